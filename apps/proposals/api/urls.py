from django.urls import path

from apps.proposals.api import views

urlpatterns = [
    path("proposals", views.ProposalCollectionView.as_view(), name="proposal-list"),
    path("proposals/<str:pk>", views.ProposalDetailView.as_view(), name="proposal-detail"),
    path("proposals/<str:pk>/withdraw", views.ProposalWithdrawView.as_view(), name="proposal-withdraw"),
]
