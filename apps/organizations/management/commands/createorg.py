from django.core.management.base import BaseCommand, CommandError

from apps.common.errors import AppError
from apps.organizations.models import Organization
from apps.organizations.services import api_key_create, organization_create


class Command(BaseCommand):
    help = "Create an organization with an owner; optionally print a new API key on its own line."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--owner", required=True, help="Owner e-mail (created if new)")
        parser.add_argument("--password", help="Owner password (for a new user)")
        parser.add_argument("--plan", choices=Organization.Plan.values, default=Organization.Plan.FREE)
        parser.add_argument("--api-key", action="store_true", help="Issue an API key and print it")

    def handle(self, *args, **options):
        try:
            organization = organization_create(
                name=options["name"],
                owner_email=options["owner"],
                owner_password=options["password"],
                plan=options["plan"],
            )
        except AppError as exc:
            raise CommandError(exc.detail) from exc
        self.stderr.write(
            f"Created organization {organization.name} ({organization.id}, plan {organization.plan})"
        )
        if options["api_key"]:
            issued = api_key_create(organization=organization, name="createorg")
            self.stdout.write(issued.raw_key)
