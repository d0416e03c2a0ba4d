from django.urls import path

from apps.proposals import views

app_name = "proposals"

# The homeowner (share token, no login); the installer's proposal pages are the portal's (apps.portal.views.proposals).
urlpatterns = [
    path("s/<str:token>/proposal/accept", views.proposal_accept, name="accept"),
    path("s/<str:token>/proposal/decline", views.proposal_decline, name="decline"),
    path("s/<str:token>/proposal.pdf", views.proposal_pdf, name="pdf"),
]
