from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from apps.dossiers.selectors import dossier_list
from apps.organizations.selectors import organization_for_request


def _organization(request):
    organization = organization_for_request(request)
    if organization is None:
        raise Http404("You are not a member of any organization.")
    return organization


@login_required
def dashboard(request):
    organization = _organization(request)
    dossiers = dossier_list(organization=organization, search=request.GET.get("q", ""))[:50]
    return render(request, "portal/dashboard.html", {"organization": organization, "dossiers": dossiers})
