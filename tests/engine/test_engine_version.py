"""ENGINE_VERSION changes whenever results can change: a fingerprint of the engine's outputs on a fixed small
case is stored with the version it belongs to (tests/engine/data/engine_fingerprint.json).

When this test fails, the engine's outputs changed: bump ``defaults.ENGINE_VERSION`` (the next minor
version for a changed formula, default or search) and append the new pair to the data file — never edit
an existing pair, so that stored results of different engines can be told apart by their version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

import numpy as np

from apps.engine import defaults as d
from apps.engine.api import run_scan
from apps.engine.types import TariffInput
from devkit.engine.examples import seed_example_inputs

PAIRS = Path(__file__).parent / "data" / "engine_fingerprint.json"
SKIP = {"engine_version"}  # the version itself is what the fingerprint is checked against


def _canonical(value):
    """JSON-ready value with floats at 6 significant digits (the outputs' meaning, not the last bits of a
    platform's floating point); hourly arrays enter by their sum, minimum and maximum."""
    if is_dataclass(value):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value) if f.name not in SKIP}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, np.ndarray) and value.size > 24:
        return [_canonical(float(x)) for x in (value.sum(), value.min(), value.max())]
    if isinstance(value, list | tuple | np.ndarray):
        return [_canonical(v) for v in value]
    if isinstance(value, np.generic):
        return _canonical(value.item())
    if isinstance(value, float):
        return "0" if abs(value) < 1e-9 else f"{value:.6g}"
    return value


def fingerprint() -> str:
    """sha256 of the whole typed result of fixed cases: the seed's example (flat contract, goal
    self-sufficiency: the greedy dispatch), the same home on the dynamic contract with goal cost-savings
    (the dispatch LP) and (pairs from 0.4.0 on) on a Belgian flat contract with the capacity tariff; all on the
    offline weather."""
    seed = seed_example_inputs()
    dynamic = replace(seed, tariff=TariffInput(type="dynamic"), goal="cost-savings")
    belgian = TariffInput(country="BE", capacity_tariff=True, flat_eur_per_kwh=0.35, feed_in_eur_per_kwh=0.03)
    cases = [seed, dynamic, replace(seed, tariff=belgian, goal="cost-savings")]
    results = [_canonical(run_scan(inputs)) for inputs in cases]
    return hashlib.sha256(json.dumps(results, sort_keys=True).encode()).hexdigest()


def test_engine_version_changes_whenever_the_outputs_change():
    pairs = json.loads(PAIRS.read_text())
    versions = [p["engine_version"] for p in pairs]
    assert len(set(versions)) == len(versions), "one fingerprint per engine version"
    current = {"engine_version": d.ENGINE_VERSION, "fingerprint": fingerprint()}
    assert current == pairs[-1], (
        "the engine's outputs or its version changed: bump defaults.ENGINE_VERSION and append "
        f"{json.dumps(current)} to {PAIRS.name}"
    )
