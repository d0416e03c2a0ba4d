"""The installer's installed-design page: take the design from an accepted proposal or a completed scan of
the dossier, or enter it by hand. Everything is read through the owning app's selectors, inside the request's
organization (another organization's row is a NotFound, the portal's 404 page)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.common.errors import AppError
from apps.dossiers.selectors import dossier_get
from apps.monitoring import selectors, services
from apps.monitoring.forms import ArrayFormSet, FromSourceForm, InstalledDesignForm
from apps.portal.views.base import portal_view
from apps.proposals.models import Proposal
from apps.proposals.selectors import proposal_get, proposal_list
from apps.scans.models import Scan
from apps.scans.selectors import scan_get, scan_list


def _source_choices(request, dossier) -> list[tuple[str, str]]:
    proposals = proposal_list(organization=request.organization, dossier_id=dossier.pk).filter(
        status=Proposal.Status.ACCEPTED
    )
    scans = scan_list(organization=request.organization, dossier_id=dossier.pk).filter(
        status=Scan.Status.COMPLETED
    )
    return [
        *(
            (f"proposal:{p.pk}", _("Accepted proposal v%(version)s") % {"version": p.version})
            for p in proposals
        ),
        *(
            (f"scan:{s.pk}", _("Scan of %(date)s") % {"date": s.created_at.strftime("%Y-%m-%d")})
            for s in scans
        ),
    ]


def _from_source(request, dossier, form):
    kind, pk = form.cleaned_data["source"].split(":", 1)
    if kind == "proposal":
        proposal = proposal_get(organization=request.organization, proposal_id=pk)
        return services.installed_design_from_proposal(
            dossier=dossier, proposal=proposal, install_date=form.cleaned_data["install_date"]
        )
    scan = scan_get(organization=request.organization, scan_id=pk)
    return services.installed_design_from_scan(
        dossier=dossier, scan=scan, install_date=form.cleaned_data["install_date"]
    )


def _initial(design):
    if design is None:
        return {}, None
    battery = design.battery or {}
    return (
        {
            "install_date": design.install_date,
            "battery_capacity_kwh": battery.get("capacity_kwh"),
            "battery_power_kw": battery.get("power_kw"),
        },
        design.arrays,
    )


def _save(request, dossier, source_form, form, formset) -> bool:
    """Save what was posted: the source form when it was sent, else the form by hand. False: show again."""
    try:
        if "source" in request.POST:
            if not source_form.is_valid():
                return False
            _from_source(request, dossier, source_form)
        else:
            if not (form.is_valid() and formset.is_valid()):
                return False
            services.installed_design_save(
                dossier=dossier,
                install_date=form.cleaned_data["install_date"],
                arrays=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                battery=form.battery(),
            )
    except AppError as exc:
        messages.error(request, exc.detail)
        return False
    return True


@portal_view
@require_http_methods(["GET", "POST"])
def installed_design(request, pk: str):
    dossier = dossier_get(organization=request.organization, dossier_id=pk)
    design = selectors.installed_design_of(dossier=dossier)
    initial, arrays = _initial(design)
    posted = request.POST if request.method == "POST" else None
    by_source = posted is not None and "source" in posted
    source_form = FromSourceForm(posted if by_source else None, choices=_source_choices(request, dossier))
    form = InstalledDesignForm(None if by_source else posted, initial=initial)
    formset = ArrayFormSet(None if by_source else posted, initial=arrays, prefix="arrays")
    if posted is not None and _save(request, dossier, source_form, form, formset):
        messages.success(request, _("Installed system saved."))
        return redirect(reverse("portal:dossier_detail", args=[dossier.pk]) + "#performance")
    context = {
        "dossier": dossier,
        "design": design,
        "form": form,
        "formset": formset,
        "source_form": source_form,
    }
    return render(request, "monitoring/installed_design.html", context)
