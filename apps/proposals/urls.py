from django.urls import path

from apps.proposals import portal_views, views

app_name = "proposals"

urlpatterns = [
    # The homeowner (share token, no login).
    path("s/<str:token>/proposal/accept", views.proposal_accept, name="accept"),
    path("s/<str:token>/proposal/decline", views.proposal_decline, name="decline"),
    path("s/<str:token>/proposal.pdf", views.proposal_pdf, name="pdf"),
    # The installer (portal login).
    path("scans/<str:pk>/proposals/new/", portal_views.proposal_new, name="new"),
    path("proposals/<str:pk>/withdraw/", portal_views.proposal_withdraw, name="withdraw"),
    path("proposals/<str:pk>/accepted.pdf", portal_views.proposal_accepted_pdf, name="accepted_pdf"),
]
