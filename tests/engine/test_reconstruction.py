"""Gross consumption of homes with existing PV, from hourly meter data and from a yearly bill.

Every case starts from a known truth: a single household (``load.household_profile``, a seed the
reconstruction does not use) and a known PV production. The meter's view is made from them by hourly
netting, ``import = max(load − pv, 0)``, ``export = max(pv − load, 0)`` (a meter read hourly), and the
reconstruction must give the truth back within the stated bounds.

Measured (printed by the module's experiments and bounded below):
* hourly, layer = truth: gross exact; layer on another weather (true PV = layer shifted 3 days):
  yearly gross exact, daily gross mean abs. error ≈ 8 % (≈ 30 % without the day matching; 5.5 %
  even for the exact layer, whose days are re-ranked by export);
  layer 20 % too large: yearly gross +18.9 % (its whole surplus is taken as own use).
* bill (known flow): true yield 0.9 × simulated → fitted factor 0.912, gross 4,044 vs 4,000 kWh;
  the seed's 3,500/800 kWh with 4 kWp: factor clipped at 0.5, baseline 3,551/851 kWh.
"""

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.load import household_profile, reconstruct_gross_load
from apps.engine.pv import kwh_per_kwp
from apps.engine.reconstruction import reconcile_production, reorder_days
from apps.engine.weather import OfflineWeather

TRUE_HOME_KWH = 4000.0
TRUE_SEED = 11  # not d.HOUSEHOLD_LOAD_SEED: the reconstruction must not know the true shape


@pytest.fixture(scope="module")
def layer_pv():
    """The solar layer: 4 kWp south 35°, 14 % losses, on the offline weather of De Bilt [kWh/h]."""
    return kwh_per_kwp(OfflineWeather().get(52.09, 5.12), 35, 180, 14) * 4.0


@pytest.fixture(scope="module")
def true_load():
    return household_profile(TRUE_HOME_KWH, seed=TRUE_SEED)


def meter(load, pv):
    net = load - pv
    return np.maximum(net, 0.0), np.maximum(-net, 0.0)


def daily(x):
    return x.reshape(-1, 24).sum(axis=1)


@pytest.mark.parametrize("shift_days", [0, 3])
def test_hourly_reconstruction_conserves_and_recovers(layer_pv, true_load, shift_days):
    # shift 0: the layer is exactly the true system; shift 3: the true production is the layer's weather
    # three days later (the layer's reference weather is not the measured year's).
    true_pv = np.roll(layer_pv, 24 * shift_days)
    imp, exp = meter(true_load, true_pv)
    r = reconcile_production(imp, exp, layer_pv)
    # Every hour: gross ≥ import, own use ≥ 0, production ≥ export (the method's guarantees).
    assert np.all(r.gross >= imp - 1e-12)
    assert np.all(r.own_use >= -1e-12)
    assert np.all(r.production >= exp - 1e-12)
    # Measured data unchanged: gross − own use is the import; production − own use the export.
    np.testing.assert_allclose(r.gross - r.own_use, imp, atol=1e-12)
    np.testing.assert_allclose(r.production - r.own_use, exp, atol=1e-12)
    # Energy balance: Σ gross = Σ import + Σ PV − Σ export; the true load obeys the same balance with
    # the true PV, and shifting PV by days keeps its year total, so the yearly gross is the true one.
    assert r.gross.sum() == pytest.approx(imp.sum() + layer_pv.sum() - exp.sum(), rel=1e-9)
    assert r.gross.sum() == pytest.approx(true_load.sum(), rel=0.01)
    # Day by day the load is recovered closely. Even with the exact layer the days are re-ranked by
    # export (a day of equal sun but more consumption exports less), so the bound is not zero: measured
    # 5.5 % (shift 0) and 8.3 % (shift 3).
    day_error = np.abs(daily(r.gross) - daily(true_load)).mean() / daily(true_load).mean()
    assert day_error < 0.10
    # Deterministic.
    again = reconcile_production(imp, exp, layer_pv)
    np.testing.assert_array_equal(again.gross, r.gross)
    # New panels get the same re-ranked days (reorder_days with the reconstruction's day order): the same
    # roof's simulation then follows the reconciled production day by day, and keeps its year total.
    new = reorder_days(layer_pv, r.day_order)
    assert new.sum() == pytest.approx(layer_pv.sum(), rel=1e-12)
    assert np.corrcoef(daily(new), daily(r.production))[0, 1] > 0.95


def test_hourly_reconstruction_error_with_a_layer_too_large(layer_pv, true_load):
    imp, exp = meter(true_load, layer_pv)
    r = reconcile_production(imp, exp, layer_pv * 1.2)
    # Stated error: the surplus 0.2 × ΣPV is all taken as own use, so the gross is too high by
    # 0.2 × 3,780 kWh ≈ 756 kWh on 4,000 kWh = +18.9 %.
    expected = 0.2 * layer_pv.sum() / true_load.sum()
    assert r.gross.sum() / true_load.sum() - 1 == pytest.approx(expected, rel=1e-6)
    assert 0.17 < expected < 0.21
    assert np.all(r.gross >= imp - 1e-12)


def test_hourly_reconstruction_with_a_layer_too_small(layer_pv, true_load):
    imp, exp = meter(true_load, layer_pv)
    r = reconcile_production(imp, exp, layer_pv * 0.3)
    # Exporting more than the layer produces: production floored at the export, own use 0, a warning.
    if exp.sum() > 0.3 * layer_pv.sum():
        assert r.warning and "too small" in r.warning
        assert r.own_use.sum() == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(r.gross, imp + r.own_use)


def test_measured_production_is_used_as_is(layer_pv, true_load):
    # A linked inverter's production is the real weather: nothing is reordered or raised.
    imp, exp = meter(true_load, layer_pv)
    r = reconcile_production(imp, exp, layer_pv, measured=True)
    np.testing.assert_allclose(r.production, layer_pv, atol=1e-12)
    np.testing.assert_allclose(r.gross, true_load, atol=1e-12)


def test_bill_reconstruction_reproduces_the_bill(layer_pv, true_load):
    # The true panels yield 90 % of the simulated (shading): the bill is the true home's hourly net.
    imp, exp = meter(true_load, 0.9 * layer_pv)
    fit = reconstruct_gross_load(float(imp.sum()), float(exp.sum()), layer_pv)
    # Baseline with the existing panels reproduces the bill within 2 % (the bar).
    assert fit.import_kwh == pytest.approx(imp.sum(), rel=0.02)
    assert fit.export_kwh == pytest.approx(exp.sum(), rel=0.02)
    assert fit.warning is None
    # The fitted yield factor finds the truth (0.9) within 3 %, the gross within 2 %.
    assert fit.pv_factor == pytest.approx(0.9, rel=0.03)
    assert fit.gross.sum() == pytest.approx(TRUE_HOME_KWH, rel=0.02)
    # A household's shape: the load does not follow the sun. The earlier export-spread method gave a
    # correlation of 0.77 with the PV output; a real household's (the truth's) is about 0.
    assert abs(np.corrcoef(fit.gross, layer_pv)[0, 1]) < 0.2
    assert abs(np.corrcoef(true_load, layer_pv)[0, 1]) < 0.2
    # Summer days are not empty between 06:00 and 17:00 (the bug this replaces).
    july = fit.gross.reshape(-1, 24)[181:212, 6:17]
    assert july.sum() > 0.25 * fit.gross.reshape(-1, 24)[181:212].sum()


def test_bill_reconstruction_of_the_seed_example_says_how_close_it_gets():
    # Seed request: 3,500 kWh bought, 800 exported, 10 × 400 Wp south 35° in Amsterdam (3,941 kWh
    # simulated on the measured KNMI 2023 year). Exporting only 800 kWh means 80 % self-consumption
    # without a battery: no household shape does that at the simulated yield; the fit clips at the
    # lower bound and says so.
    pv = kwh_per_kwp(OfflineWeather().get(52.3676, 4.9041), 35, 180, 14) * 4.0
    fit = reconstruct_gross_load(3500.0, 800.0, pv)
    assert fit.pv_factor == d.EXISTING_PV_SCALE_RANGE[0]
    assert fit.warning and "cannot be reproduced" in fit.warning
    # How close: import within 5 %, export within 20 % (measured 3,645 / 945 kWh on KNMI 2023; it was
    # 3,551 / 851 on the synthetic year, whose ~3,750 kWh yield left less surplus at the 0.5x floor), and
    # the warning states exactly those figures.
    assert fit.import_kwh == pytest.approx(3500.0, rel=0.05)
    assert fit.export_kwh == pytest.approx(800.0, rel=0.20)
    assert f"buys {fit.import_kwh:.0f} and exports {fit.export_kwh:.0f} kWh" in fit.warning
    # Balance: the model's import − export equals the bill's (gross = I + kΣP − E).
    assert fit.import_kwh - fit.export_kwh == pytest.approx(2700.0, abs=0.5)


def test_bill_reconstruction_rejects_impossible_export(layer_pv):
    with pytest.raises(ValueError, match="exceeds"):
        reconstruct_gross_load(3000.0, 2.0 * layer_pv.sum(), layer_pv)
