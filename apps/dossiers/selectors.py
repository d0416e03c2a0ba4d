from django.db.models import Q, QuerySet

from apps.common.errors import NotFound
from apps.dossiers.models import Dossier
from apps.organizations.models import Organization


def dossier_list(*, organization: Organization | None, search: str = "") -> QuerySet[Dossier]:
    dossiers = Dossier.objects.for_organization(organization)
    if search:
        dossiers = dossiers.filter(
            Q(customer_name__icontains=search) | Q(reference__icontains=search) | Q(address__icontains=search)
        )
    return dossiers


def dossier_get(*, organization: Organization | None, dossier_id: str) -> Dossier:
    """The organization's dossier, or NotFound (another organization's is indistinguishable from none)."""
    dossier = Dossier.objects.for_organization(organization).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound("No dossier with this id.")
    return dossier
