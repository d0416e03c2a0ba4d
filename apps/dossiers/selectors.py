from django.db.models import Q, QuerySet

from apps.dossiers.models import Dossier
from apps.organizations.models import Organization


def dossier_list(*, organization: Organization, search: str = "") -> QuerySet[Dossier]:
    dossiers = Dossier.objects.for_organization(organization)
    if search:
        dossiers = dossiers.filter(
            Q(customer_name__icontains=search) | Q(reference__icontains=search) | Q(address__icontains=search)
        )
    return dossiers
