"""Issue 18: the API's faster camelCase renderer writes exactly the bytes djangorestframework-camel-case's
renderer wrote, for the scan endpoints' real answers and for every kind of value the library treats specially;
the list item's written-out representation equals DRF's generic walk over its declared fields, for model
instances and for the list's `.values()` rows alike."""

from collections import OrderedDict

import pytest
from django.utils.translation import gettext_lazy
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from apps.common.api.renderers import FastCamelCaseJSONRenderer
from apps.dossiers.services import dossier_create
from apps.scans import selectors
from apps.scans.api.serializers import ListedScan, ScanListItemSerializer
from apps.scans.models import Scan
from apps.scans.services import scan_share
from tests.scans.conftest import make_scan


def _both(data) -> tuple[bytes, bytes]:
    return FastCamelCaseJSONRenderer().render(data), CamelCaseJSONRenderer().render(data)


@pytest.mark.parametrize("path", ["/v1/scans?limit=5", "/v1/scans/{id}", "/v1/scans/{id}/status"])
def test_scan_answers_render_as_the_library_rendered_them(owner, completed, path):
    scan_share(scan=completed)
    make_scan(owner.organization, copied_from=completed)  # an adjustment: adjustmentCount 1 in the list
    response = owner.key_client().get(path.format(id=completed.id))
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, FastCamelCaseJSONRenderer)
    fast, library = _both(response.data)
    assert response.content == fast == library


def test_special_values_take_the_library_path():
    serializer_dict = ReturnDict({"return_period": 7.5}, serializer=None)
    data = {
        "lazy_text": gettext_lazy("Unknown API key."),
        "nested_list": [{"a_b": 1}, ("c_d", {"e_f": None})],
        "ordered": OrderedDict([("z_a", True), ("a_z", False)]),
        "return_dict": serializer_dict,
        "return_list": ReturnList([{"x_y": 1.25}], serializer=None),
        "non_string_keys": {1: {"k_l": "v_w"}, "m_n": 2, None: "none key"},
        "digits_and_case": {"co2_saved_kg": 1, "year_2030_value": 2, "already_camelCase": 3, "_lead": 4},
        "a_set": {"s_t"},
        "empty": {},
    }
    fast, library = _both(data)
    assert fast == library
    assert b'"co2SavedKg"' in fast and b'"lazyText"' in fast  # it did camelize


def test_list_items_equal_the_generic_field_walk(owner, completed):
    dossier = dossier_create(organization=owner.organization, customer_name="Fam. Visser")
    make_scan(owner.organization, copied_from=completed, dossier=dossier)  # adjustment, in a dossier
    make_scan(owner.organization, status=Scan.Status.ERROR, error_message="The goal cannot be met")
    make_scan(owner.organization, status=Scan.Status.RUNNING)  # shown as processing, no figures yet
    Scan.objects.filter(pk=completed.pk).update(has_seen_report=True)
    scans = selectors.scan_list(organization=owner.organization)
    listed = list(scans.only(*ScanListItemSerializer.COLUMNS))
    unannotated = list(Scan.objects.filter(organization=owner.organization))  # counts its adjustments itself
    rows = [ListedScan(row) for row in scans.values(*ScanListItemSerializer.COLUMNS, "adjustment_count")]
    assert len(listed) == len(unannotated) == len(rows) == 4
    serializer = ScanListItemSerializer()
    for scan in listed + unannotated + rows:
        written = list(ScanListItemSerializer(scan).data.items())
        generic = list(serializers.Serializer.to_representation(serializer, scan).items())
        assert written == generic
        assert [type(value) for _, value in written] == [type(value) for _, value in generic]
    # GET /v1/scans renders `.values()` rows: the same items as the model instances
    assert ScanListItemSerializer(rows, many=True).data == ScanListItemSerializer(listed, many=True).data
