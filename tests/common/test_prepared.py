"""Issue 18: a `PreparedValues` is compiled once per process and then answers exactly as the ORM does.

The expected values are the ORM's own answers to the same queryset (not the code under test): rows, their
types after the database's converters (JSON, datetimes, booleans on SQLite), pages, and model instances."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.common.prepared import PreparedValues, Slot, instance_from_row
from apps.organizations.models import ApiKey, Organization

FIELDS = [f.attname for f in Organization._meta.concrete_fields]


def _organizations(slot, calls: list):
    calls.append(1)
    return Organization.objects.filter(plan=slot("plan")).order_by("name", "id").values(*FIELDS)


def test_rows_pages_and_converted_values_are_the_orms(owner, outsider):
    Organization.objects.filter(pk=owner.organization.pk).update(adjustable_steps=["pv", "battery"])
    calls = []
    statement = PreparedValues(lambda slot: _organizations(slot, calls))
    for plan in ("paid", "free", "none-such"):
        orm = list(Organization.objects.filter(plan=plan).order_by("name", "id").values(*FIELDS))
        assert statement.run(plan=plan) == orm
        for offset in (0, 1, 5):
            assert statement.run(plan=plan, limit=1, offset=offset) == orm[offset : offset + 1]
    assert calls == [1]  # built and compiled once, run twelve times
    steps = statement.run(plan="paid")[0]["adjustable_steps"]
    assert steps == ["pv", "battery"]  # a JSON column comes back decoded, as from the ORM


def test_a_slot_only_stands_for_its_run_value(owner):
    slot = Slot("plan")
    assert (
        slot.slot_name == "plan" and "\x00" in slot
    )  # never equal to a real value: NUL is refused by PostgreSQL
    statement = PreparedValues(lambda slot: Organization.objects.filter(plan=slot("plan")).values("id"))
    with CaptureQueriesContext(connection) as captured:
        statement.run(plan="paid")
    assert "\x00" not in captured.captured_queries[0]["sql"]


def test_an_instance_from_a_row_equals_the_orms(owner):
    Organization.objects.filter(pk=owner.organization.pk).update(adjustable_steps=["battery"])
    key = ApiKey.objects.select_related("organization").get(organization=owner.organization)
    statement = PreparedValues(
        lambda slot: (
            ApiKey.objects.filter(pk=slot("key"))
            .order_by()
            .values(
                *(f.attname for f in ApiKey._meta.concrete_fields),
                *("organization__" + f for f in FIELDS),
            )
        )
    )
    row = statement.run(key=key.pk)[0]
    built = instance_from_row(ApiKey, row)
    organization = instance_from_row(Organization, row, prefix="organization__")
    for loaded, made in ((key, built), (key.organization, organization)):
        for field in type(loaded)._meta.concrete_fields:
            assert getattr(made, field.attname) == getattr(loaded, field.attname), field.name
        assert made._state.adding is False and made._state.db == loaded._state.db
