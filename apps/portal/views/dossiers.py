from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.dossiers.models import Dossier
from apps.dossiers.selectors import dossier_get, dossier_list
from apps.dossiers.services import EDITABLE_FIELDS, dossier_create, dossier_delete, dossier_update
from apps.portal.forms import DossierForm
from apps.portal.views.base import portal_view
from apps.reports.context import with_savings
from apps.scans.selectors import scan_list

PAGE_SIZE = 20


def _dossier(request, pk: str) -> Dossier:
    return dossier_get(organization=request.organization, dossier_id=pk)


def _fields(form: DossierForm) -> dict:
    return {key: form.cleaned_data[key] for key in EDITABLE_FIELDS if key in form.cleaned_data}


@portal_view
def dossier_index(request):
    query = request.GET.get("q", "").strip()
    page = Paginator(dossier_list(organization=request.organization, search=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/dossiers/list.html", {"page": page, "query": query})


@portal_view
def dossier_detail(request, pk: str):
    dossier = _dossier(request, pk)
    scans = with_savings(
        scan_list(organization=request.organization, dossier_id=dossier.pk).select_related("dossier")
    )
    return render(request, "portal/dossiers/detail.html", {"dossier": dossier, "scans": scans})


@portal_view
@require_http_methods(["GET", "POST"])
def dossier_new(request):
    form = DossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dossier = dossier_create(organization=request.organization, **_fields(form))
        messages.success(request, _("Dossier created."))
        return redirect("portal:dossier_detail", pk=dossier.pk)
    return render(request, "portal/dossiers/form.html", {"form": form, "dossier": None})


@portal_view
@require_http_methods(["GET", "POST"])
def dossier_edit(request, pk: str):
    dossier = _dossier(request, pk)
    # The form validates a copy, so a rejected edit never touches the object the service saves.
    form = DossierForm(
        request.POST or None, instance=Dossier(pk=dossier.pk, organization=dossier.organization)
    )
    if request.method == "GET":
        form = DossierForm(instance=dossier)
    if request.method == "POST" and form.is_valid():
        dossier_update(dossier=dossier, **_fields(form))
        messages.success(request, _("Dossier saved."))
        return redirect("portal:dossier_detail", pk=dossier.pk)
    return render(request, "portal/dossiers/form.html", {"form": form, "dossier": dossier})


@portal_view
@require_http_methods(["GET", "POST"])
def dossier_remove(request, pk: str):
    dossier = _dossier(request, pk)
    if request.method == "POST":
        dossier_delete(dossier=dossier)
        messages.success(request, _("Dossier “%(name)s” deleted.") % {"name": dossier.customer_name})
        return redirect("portal:dossier_index")
    return render(request, "portal/dossiers/confirm_delete.html", {"dossier": dossier})
