"""The fixed installation costs as optional request fields (extensions of the seed): defaults, overrides,
stored inputs of older scans, and a clear 400 naming the field."""

import copy

import pytest
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ValidationError

from apps.engine import defaults as d
from apps.scans.api.serializers import ScanCreateSerializer
from apps.scans.engine_inputs import build_engine_inputs

from .conftest import SEED_BODY, resolved_inputs


def test_defaults_are_the_named_constants():
    engine = build_engine_inputs(resolved_inputs(SEED_BODY))
    assert engine.pv_fixed_cost_eur == d.PV_INSTALLATION_FIXED_EUR
    assert engine.battery.fixed_cost_eur == d.BATTERY_INSTALLATION_FIXED_EUR
    assert engine.battery.standby_w == d.BATTERY_STANDBY_W


def test_overrides_reach_the_engine():
    body = copy.deepcopy(SEED_BODY)
    body["pvFixedCostEur"] = 750
    body["electricBattery"]["fixedCostEur"] = 0
    body["electricBattery"]["standbyW"] = 45
    engine = build_engine_inputs(resolved_inputs(body))
    assert engine.battery.standby_w == 45
    assert engine.pv_fixed_cost_eur == 750
    assert engine.battery.fixed_cost_eur == 0


def test_scans_stored_before_the_fields_existed_get_the_defaults():
    inputs = resolved_inputs(SEED_BODY)
    inputs.pop("pv_fixed_cost_eur")
    inputs["electric_battery"].pop("fixed_cost_eur")
    engine = build_engine_inputs(inputs)
    assert engine.pv_fixed_cost_eur == d.PV_INSTALLATION_FIXED_EUR
    assert engine.battery.fixed_cost_eur == d.BATTERY_INSTALLATION_FIXED_EUR


@pytest.mark.parametrize("path", [("pvFixedCostEur",), ("electricBattery", "fixedCostEur")])
def test_negative_fixed_cost_is_refused_naming_the_field(path):
    body = copy.deepcopy(SEED_BODY)
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = -1
    serializer = ScanCreateSerializer(data=underscoreize(body))
    with pytest.raises(ValidationError) as exc:
        serializer.is_valid(raise_exception=True)
    leaf = exc.value.detail
    for key in path:
        leaf = leaf[next(iter(underscoreize({key: 0})))]
    assert leaf[0].code == "min_value"
