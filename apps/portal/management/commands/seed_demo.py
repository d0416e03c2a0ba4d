"""Load the demo organization (fixtures/demo.json) for the embedded run and print a login and a fresh API key.

Idempotent: re-running keeps the data, revokes the previous demo key and prints a new one.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_create
from apps.organizations.models import ApiKey, Organization
from apps.organizations.services import api_key_create, api_key_revoke, membership_add, organization_create

DEMO_KEY_NAME = "demo (embedded run)"


class Command(BaseCommand):
    help = "Load the demo organization, users and dossiers; print the demo login and a new demo API key."

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads((settings.BASE_DIR / "fixtures" / "demo.json").read_text())
        org_data, owner = data["organization"], data["owner"]
        organization = Organization.objects.filter(name=org_data["name"]).first()
        if organization is None:
            organization = organization_create(
                name=org_data["name"],
                owner_email=owner["email"],
                owner_password=owner["password"],
                plan=org_data["plan"],
            )
            organization.branding_enabled = True
            organization.branding_display_name = org_data["brandingDisplayName"]
            organization.branding_color = org_data["brandingColor"]
            organization.save()
        for member in data["members"]:
            membership_add(
                organization=organization,
                email=member["email"],
                role=member["role"],
                password=member["password"],
            )
        for dossier in data["dossiers"]:
            if (
                not Dossier.objects.for_organization(organization)
                .filter(reference=dossier["reference"])
                .exists()
            ):
                dossier_create(
                    organization=organization,
                    reference=dossier["reference"],
                    customer_name=dossier["customerName"],
                    address=dossier["address"],
                    country=dossier["country"],
                    latitude=dossier["latitude"],
                    longitude=dossier["longitude"],
                    notes=dossier["notes"],
                )
        for old in ApiKey.objects.for_organization(organization).filter(name=DEMO_KEY_NAME, revoked_at=None):
            api_key_revoke(api_key=old)
        issued = api_key_create(organization=organization, name=DEMO_KEY_NAME)
        self.stdout.write(
            "\nDemo organization: {org}\n  login:    {email} / {password}\n  API key:  {key}\n".format(
                org=organization.name, email=owner["email"], password=owner["password"], key=issued.raw_key
            )
        )
