from django.db import transaction

from apps.dossiers.models import Dossier
from apps.organizations.models import Organization

EDITABLE_FIELDS = ("reference", "customer_name", "address", "latitude", "longitude", "notes")


@transaction.atomic
def dossier_create(*, organization: Organization, **fields) -> Dossier:
    return Dossier.objects.create(
        organization=organization, **{k: fields[k] for k in EDITABLE_FIELDS if k in fields}
    )


@transaction.atomic
def dossier_update(*, dossier: Dossier, **fields) -> Dossier:
    changed = [k for k in EDITABLE_FIELDS if k in fields]
    for key in changed:
        setattr(dossier, key, fields[key])
    dossier.save(update_fields=[*changed, "updated_at"])
    return dossier


@transaction.atomic
def dossier_delete(*, dossier: Dossier) -> None:
    dossier.delete()
