from django.db import transaction
from django.utils.translation import gettext as _

from apps.dossiers.geocoding import postcodes
from apps.dossiers.geocoding.service import UnknownPostcode, locate, lookup_fields
from apps.dossiers.models import Dossier, LocationAccuracy
from apps.organizations.models import Organization

EDITABLE_FIELDS = (
    "reference",
    "customer_name",
    "address",
    "country",
    "postcode",
    "house_number",
    "latitude",
    "longitude",
    "location_accuracy",
    "notes",
)
ADDRESS_FIELDS = ("country", "postcode", "house_number", "address")

__all__ = [
    "UnknownPostcode",
    "dossier_create",
    "dossier_delete",
    "dossier_update",
    "postcode_error",
    "resolve_location",
]


def resolve_location(fields: dict, *, current: Dossier | None = None) -> dict:
    """The fields with coordinates and their accuracy settled, before anything is saved.

    Typed coordinates (new, or changed from the stored ones) win and count as "manual"; otherwise a new
    or changed postcode/address, or a dossier without coordinates, is looked up. A postcode that is sent
    must exist for its country either way: raises UnknownPostcode."""
    stored = (getattr(current, "latitude", None), getattr(current, "longitude", None))
    typed = (fields.get("latitude", stored[0]), fields.get("longitude", stored[1]))
    address_changed = any(
        key in fields and fields[key] != getattr(current, key, "") for key in lookup_fields()
    )
    resolved = dict(fields)
    if not (address_changed or None in typed or typed != stored):
        return resolved
    merged = {key: fields.get(key, getattr(current, key, "")) or "" for key in ADDRESS_FIELDS}
    country = merged["country"] or Dossier.Country.NL
    located = None
    if merged["postcode"].strip():
        located = locate(
            country=country,
            postcode=merged["postcode"],
            house_number=merged["house_number"],
            address=merged["address"],
        )
    if None not in typed and typed != stored:
        resolved["location_accuracy"] = LocationAccuracy.MANUAL
    elif located is not None:
        resolved |= {
            "latitude": located.latitude,
            "longitude": located.longitude,
            "location_accuracy": located.accuracy,
        }
    elif None in typed:
        resolved["location_accuracy"] = ""
    return resolved


def postcode_error(country: str | None, postcode: str) -> str | None:
    """Why a postcode cannot be used (for the field's error message), or None when it is known."""
    country = country or Dossier.Country.NL
    if not postcode.strip() or postcodes.lookup(country, postcode):
        return None
    if not postcodes.is_well_formed(country, postcode):
        example = "3511 AW" if country == "NL" else "9000"
        return _("Not a %(country)s postcode; write it like %(example)s.") % {
            "country": Dossier.Country(country).label,
            "example": example,
        }
    return _("Postcode %(postcode)s is not known in %(country)s.") % {
        "postcode": postcode.strip().upper(),
        "country": Dossier.Country(country).label,
    }


@transaction.atomic
def dossier_create(*, organization: Organization, **fields) -> Dossier:
    fields = resolve_location(fields)
    return Dossier.objects.create(
        organization=organization, **{k: fields[k] for k in EDITABLE_FIELDS if k in fields}
    )


@transaction.atomic
def dossier_update(*, dossier: Dossier, **fields) -> Dossier:
    fields = resolve_location(fields, current=dossier)
    changed = [k for k in EDITABLE_FIELDS if k in fields]
    for key in changed:
        setattr(dossier, key, fields[key])
    dossier.save(update_fields=[*changed, "updated_at"])
    return dossier


@transaction.atomic
def dossier_delete(*, dossier: Dossier) -> None:
    dossier.delete()
