"""The battery's cost-optimal dispatch for fixed sizes and hourly prices (dynamic tariffs), as LPs solved
by HiGHS; the rules it follows under a capacity tariff are in ``battery``.

* ``DispatchLP``: the cost-optimal dispatch for fixed sizes and hourly prices (dynamic tariffs, grid
  charging) as one vectorised LP solved by HiGHS. The model is built once per structure and thread, and
  re-solved with new bounds and costs from the previous basis (warm start), passing HiGHS only the
  entries that changed.
* ``RunDispatchLP``: the same LP without grid charging (the default) with one level per run of surplus
  or deficit hours instead of one per hour: the same optimum from a model ten times smaller, a few
  milliseconds per design (``dispatch_lp`` picks it).

Dispatch LP (per hour t; sur = max(pv - load, 0), def = max(load - pv, 0), PV feeds the load first):
  variables cp_t (PV → battery), cg_t (grid → battery, only with grid charging), dis_t (battery → load),
  s_t (level at the end of hour t);
  s_t = s_{t-1} + eta (cp_t + cg_t) - dis_t / eta (cyclic: s_{-1} = s_{T-1});
  0 <= cp_t <= min(sur_t, P); 0 <= dis_t <= min(def_t, P); cp_t + cg_t <= P; min_frac C <= s_t <= C;
  with an import limit L (capacity tariff): def_t - dis_t + cg_t <= max(L, def_t);
  minimise sum_t [ v_t cp_t + p_t cg_t - p_t dis_t ],
  with p_t the import price and v_t = max(export price after fees, 0) the value a stored surplus kWh
  would have earned (surplus is curtailed when the export price is negative).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class LpFlows:
    """Cost-optimal dispatch for one design [kWh per hour, (T,)]: PV → battery, grid → battery, battery →
    load, level at the end of each hour."""

    solar_stored: np.ndarray
    grid_stored: np.ndarray
    discharged: np.ndarray
    level: np.ndarray
    objective: float
    energy_value: np.ndarray | None = None
    """The dual of each hour's energy balance [EUR per kWh in store] (``RunDispatchLP`` only): what one
    more kWh held at the end of the hour would save; ``sizing.lp_bound`` bounds other designs with it."""


_RECENT_SOLVES = 8


"""Solutions a ``DispatchLP`` keeps for identical re-solves [count] (about 0.4 MB each)."""


def _pass_model(highs, a, cost, col_lower, col_upper, row_lower, row_upper) -> None:
    """Give ``highs`` the LP min cost.x, row_lower <= a x <= row_upper, col_lower <= x <= col_upper
    (``a`` a scipy CSC matrix; row bounds as lists of blocks), from numpy arrays directly (filling a
    ``HighsLp`` attribute by attribute copies each array through Python lists, several ms a model)."""
    highs.passModel(
        a.shape[1],
        a.shape[0],
        a.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        np.ascontiguousarray(cost, dtype=float),
        np.ascontiguousarray(col_lower, dtype=float),
        np.ascontiguousarray(col_upper, dtype=float),
        np.concatenate(row_lower).astype(float),
        np.concatenate(row_upper).astype(float),
        a.indptr[:-1].astype(np.int32),
        a.indices.astype(np.int32),
        a.data.astype(float),
        np.zeros(a.shape[1], dtype=np.int32),  # all continuous
    )


class _KeptSolutions:
    """The last ``_RECENT_SOLVES`` solutions of a dispatch model and the entries its HiGHS model holds."""

    def __init__(self) -> None:
        self._recent: list[tuple[tuple, LpFlows]] = []
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)

    def forget(self) -> None:
        """Drop the kept solutions (``forget_solutions``)."""
        self._recent = []

    @staticmethod
    def _changed(held: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Indices where ``wanted`` differs from what the model ``held``; ``held`` is updated in place.
        Each re-solve passes only these: a capacity step changes the level bounds alone, and passing
        every column took as long as a warm re-solve itself."""
        idx = np.flatnonzero(held != wanted).astype(np.int32)
        held[idx] = wanted[idx]
        return idx

    def _cached(self, key: tuple) -> LpFlows | None:
        """The flows of an identical earlier solve (same sizes, bounds and prices), or None. The chosen
        design is solved again by the report after the sizing solved it; this answers it for free."""
        for held, flows in self._recent:
            if all(
                np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
                for a, b in zip(held, key, strict=True)
            ):
                return flows
        return None

    def _keep(self, key: tuple, flows: LpFlows) -> LpFlows:
        for a in (flows.solar_stored, flows.grid_stored, flows.discharged, flows.level, flows.energy_value):
            if a is not None:
                a.setflags(write=False)  # shared by identical re-solves
        self._recent = [(key, flows), *self._recent[: _RECENT_SOLVES - 1]]
        return flows

    def _run(self) -> np.ndarray:
        """Solve (from the held basis) and return the column values."""
        h = self.highs
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            # A stale basis can occasionally confuse the warm start: retry cold once.
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"dispatch LP not optimal: {h.modelStatusToString(status)}")
        return np.asarray(h.getSolution().col_value)


class DispatchLP(_KeptSolutions):
    """Reusable HiGHS model of the dispatch LP for one structure (hours, grid charging)."""

    def __init__(self, hours: int, grid_charging: bool) -> None:
        super().__init__()
        self.hours = hours
        self.grid_charging = grid_charging
        self._eta: float | None = None

    # Column layout: cp | cg (optional) | dis | s
    def _layout(self) -> dict[str, slice]:
        n = self.hours
        out = {}
        pos = 0
        for name, size in (
            ("cp", n),
            ("cg", n if self.grid_charging else 0),
            ("dis", n),
            ("s", n),
        ):
            out[name] = slice(pos, pos + size)
            pos += size
        out["total"] = slice(0, pos)
        return out

    def _build(self, eta: float) -> None:
        n = self.hours
        lay = self._layout()
        ncol = lay["total"].stop
        eye = sp.identity(n, format="csr")
        shift = sp.csr_matrix((np.ones(n), (np.arange(n), (np.arange(n) - 1) % n)), shape=(n, n))
        blocks_soc = [-eta * eye]
        if self.grid_charging:
            blocks_soc.append(-eta * eye)
        blocks_soc += [eye / eta, eye - shift]
        rows = [sp.hstack(blocks_soc)]
        lower = [np.zeros(n)]
        upper = [np.zeros(n)]
        if self.grid_charging:
            zero = sp.csr_matrix((n, n))
            # cp + cg <= P
            rows.append(sp.hstack([eye, eye, zero, zero]))
            # cg - dis <= max(L - def, 0): grid charging never lifts import above max(L, def)
            rows.append(sp.hstack([zero, eye, -eye, zero]))
            lower += [np.full(n, -highspy.kHighsInf)] * 2
            upper += [np.zeros(n)] * 2  # set per solve
        a = sp.vstack(rows).tocsc()
        _pass_model(
            self.highs, a, np.zeros(ncol), np.zeros(ncol), np.full(ncol, highspy.kHighsInf), lower, upper
        )
        self._eta = eta
        # What the model holds now (``_changed``).
        self._cost = np.zeros(ncol)
        self._lower = np.zeros(ncol)
        self._upper = np.full(ncol, highspy.kHighsInf)
        self._row_lower = np.concatenate(lower)
        self._row_upper = np.concatenate(upper)
        self._recent = []

    def solve(
        self,
        surplus: np.ndarray,
        deficit: np.ndarray,
        capacity_kwh: float,
        power_kw: float,
        min_fraction: float,
        eta: float,
        import_price: np.ndarray,
        export_value: np.ndarray,
        import_limit_kw: float | None = None,
    ) -> LpFlows:
        """Cost-optimal dispatch of one battery [kWh per hour]; prices [EUR/kWh]; ``import_limit_kw``: the
        hourly import [kW] above which grid charging may not lift an hour (None = no limit)."""
        n = self.hours
        key = (surplus, deficit, capacity_kwh, power_kw, min_fraction, eta, import_price, export_value)
        key += (import_limit_kw,)
        found = self._cached(key)
        if found is not None:
            return found
        if self._eta != eta:
            self._build(eta)
        lay = self._layout()
        ncol = lay["total"].stop
        cost = np.zeros(ncol)
        lower = np.zeros(ncol)
        upper = np.zeros(ncol)
        cost[lay["cp"]] = np.maximum(export_value, 0.0)
        upper[lay["cp"]] = np.minimum(surplus, power_kw)
        if self.grid_charging:
            cost[lay["cg"]] = import_price
            upper[lay["cg"]] = power_kw
        cost[lay["dis"]] = -import_price
        upper[lay["dis"]] = np.minimum(deficit, power_kw)
        lower[lay["s"]] = min_fraction * capacity_kwh
        upper[lay["s"]] = capacity_kwh
        row_upper = self._row_upper.copy()
        if self.grid_charging:
            row_upper[n : 2 * n] = power_kw
            row_upper[2 * n : 3 * n] = (
                highspy.kHighsInf if import_limit_kw is None else np.maximum(import_limit_kw - deficit, 0.0)
            )
        h = self.highs
        idx = self._changed(self._cost, cost)
        if len(idx):
            h.changeColsCost(len(idx), idx, cost[idx])
        idx = np.flatnonzero((self._lower != lower) | (self._upper != upper)).astype(np.int32)
        if len(idx):
            self._lower[idx], self._upper[idx] = lower[idx], upper[idx]
            h.changeColsBounds(len(idx), idx, lower[idx], upper[idx])
        idx = self._changed(self._row_upper, row_upper)
        if len(idx):
            h.changeRowsBounds(len(idx), idx, self._row_lower[idx], row_upper[idx])
        x = self._run()
        cp = np.clip(x[lay["cp"]], 0.0, None)
        cg = np.clip(x[lay["cg"]], 0.0, None) if self.grid_charging else np.zeros(n)
        dis = np.clip(x[lay["dis"]], 0.0, None)
        flows = LpFlows(
            solar_stored=np.minimum(cp, surplus),
            grid_stored=cg,
            discharged=np.minimum(dis, deficit),
            level=x[lay["s"]].copy(),
            objective=float(h.getInfo().objective_function_value),
        )
        return self._keep(key, flows)


_STATUS = (highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kBasic, highspy.HighsBasisStatus.kUpper)


class RunDispatchLP(_KeptSolutions):
    """The dispatch LP without grid charging, with one level per run of hours instead of one per hour:
    the same optimum in a model about ten times smaller.

    Without grid charging the battery only charges in surplus hours and only discharges in deficit
    hours, so within a run of consecutive surplus hours (idle hours, with neither, leave the level alone)
    the level only rises, and within a run of deficit hours it only falls. Its bounds then hold in every
    hour of a run exactly when they hold at the run's ends: one balance row and one level column per run
    (about two runs a day) replace the 8,760 hourly ones, and the hourly levels follow from the flows.
    The rows depend on the hours' signs only (the panel set), so a capacity step re-solves warm."""

    def __init__(self) -> None:
        super().__init__()
        self._signs: np.ndarray | None = None
        self._eta: float | None = None
        self._hint: tuple[np.ndarray, np.ndarray] | None = None

    def _build(self, signs: np.ndarray, eta: float) -> None:
        """The rows and columns of the hours' signs (passed to HiGHS with the first solve's data)."""
        active = np.flatnonzero(signs)
        kind = signs[active]
        run = np.cumsum(np.append(True, kind[1:] != kind[:-1])) - 1
        runs = int(run[-1]) + 1
        if runs > 1 and kind[0] == kind[-1]:  # the year is cyclic: the last run continues the first
            run[run == runs - 1] = 0
            runs -= 1
        n = len(active)
        # Row r: S_r - S_{r-1} - eta x (charge in run r) + (discharge in run r) / eta = 0 (cyclic in r).
        rows = [run]
        cols = [np.arange(n)]
        vals = [np.where(kind > 0, -eta, 1.0 / eta)]
        if runs > 1:
            r = np.arange(runs)
            rows += [r, r]
            cols += [n + r, n + (r - 1) % runs]
            vals += [np.ones(runs), -np.ones(runs)]
        a = sp.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(runs, n + runs)
        )
        self._matrix = a
        self._signs, self._eta = signs, eta
        self._active, self._kind, self._run_of, self._runs = active, kind, run, runs
        first = np.empty(runs, dtype=int)
        first[run[::-1]] = active[::-1]
        self._first = first  # each run's first hour: names the run across structures

    def _remember(self, x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Keep where the solution sits (0 at its lower bound, 1 between, 2 at its upper bound) by hour:
        each flow's at its hour, each run level's at the run's first hour (-1 elsewhere)."""
        tol = 1e-9
        status = np.where(x <= lower + tol, 0, np.where(x >= upper - tol, 2, 1)).astype(np.int8)
        n = len(self._active)
        hours = len(self._signs)
        flow, level = np.full(hours, -1, np.int8), np.full(hours, -1, np.int8)
        flow[self._active] = status[:n]
        level[self._first] = status[n:]
        self._hint = (flow, level)

    def _start_basis(self) -> None:
        """Start a new structure (another panel set, weather or price year) from the previous solution's
        basis carried over hour by hour: neighbouring designs share most of their optimal dispatch, and
        the dual simplex then needs a quarter of the iterations of a cold start. A flow is basic when it
        was strictly between its bounds, a run's level when the run starting at the same hour had its
        level strictly inside; the count is then trimmed or filled with row slacks to one basic variable
        per row (HiGHS repairs a singular start, and a rejected one means a cold start)."""
        if self._hint is None:
            return
        flow, level = self._hint
        n, runs = len(self._active), self._runs
        cols = np.concatenate([np.maximum(flow[self._active], 0), level[self._first]])
        cols[n:][cols[n:] < 0] = 1
        rows = np.zeros(runs, dtype=np.int8)
        basic = np.flatnonzero(cols == 1)
        if len(basic) > runs:
            cols[basic[: len(basic) - runs]] = 0
        else:
            rows[: runs - len(basic)] = 1
        basis = highspy.HighsBasis()
        basis.col_status = [_STATUS[i] for i in cols]
        basis.row_status = [_STATUS[i] for i in rows]
        basis.valid = True
        self.highs.setBasis(basis)

    def solve(
        self,
        surplus: np.ndarray,
        deficit: np.ndarray,
        capacity_kwh: float,
        power_kw: float,
        min_fraction: float,
        eta: float,
        import_price: np.ndarray,
        export_value: np.ndarray,
        import_limit_kw: float | None = None,
    ) -> LpFlows:
        """As ``DispatchLP.solve`` without grid charging (``import_limit_kw`` limits grid charging only,
        so it has nothing to limit here)."""
        key = (surplus, deficit, capacity_kwh, power_kw, min_fraction, eta, import_price, export_value)
        found = self._cached(key)
        if found is not None:
            return found
        charge_max = np.minimum(surplus, power_kw)
        discharge_max = np.minimum(deficit, power_kw)
        if np.any((charge_max > 0) & (discharge_max > 0)):
            raise ValueError("an hour with both surplus and deficit: PV serves the load first")
        signs = np.where(charge_max > 0, 1, np.where(discharge_max > 0, -1, 0)).astype(np.int8)
        hours = len(surplus)
        if np.all(signs >= 0) or np.all(signs <= 0):  # one kind of hour: the cyclic year forbids any flow
            level = np.full(hours, min_fraction * capacity_kwh)
            zero = np.zeros(hours)
            # Its duals: a stored kWh is worth no more than the dearest import it could replace (then no
            # discharge pays), or nothing when every hour has surplus.
            value = np.full(hours, -eta * float(import_price.max()) if np.all(signs <= 0) else 0.0)
            return self._keep(key, LpFlows(zero, zero.copy(), zero.copy(), level, 0.0, value))
        rebuilt = self._eta != eta or self._signs is None or not np.array_equal(signs, self._signs)
        if rebuilt:
            self._build(signs, eta)
        active, kind, runs = self._active, self._kind, self._runs
        charging = kind > 0
        cost = np.concatenate(
            [
                np.where(charging, np.maximum(export_value[active], 0.0), -import_price[active]),
                np.zeros(runs),
            ]
        )
        lower = np.concatenate([np.zeros(len(active)), np.full(runs, min_fraction * capacity_kwh)])
        upper = np.concatenate(
            [np.where(charging, charge_max[active], discharge_max[active]), np.full(runs, capacity_kwh)]
        )
        h = self.highs
        if rebuilt:
            zero = [np.zeros(runs)]
            _pass_model(h, self._matrix, cost, lower, upper, zero, zero)
            h.setOptionValue("presolve", "off")  # presolve only slows a model this small (3x cold)
            self._cost, self._lower, self._upper = cost, lower, upper
            self._start_basis()
        else:
            idx = self._changed(self._cost, cost)
            if len(idx):
                h.changeColsCost(len(idx), idx, cost[idx])
            idx = np.flatnonzero((self._lower != lower) | (self._upper != upper)).astype(np.int32)
            if len(idx):
                self._lower[idx], self._upper[idx] = lower[idx], upper[idx]
                h.changeColsBounds(len(idx), idx, lower[idx], upper[idx])
        x = self._run()
        self._remember(x, lower, upper)
        flow = np.clip(x[: len(active)], 0.0, None)
        stored = np.zeros(hours)
        discharged = np.zeros(hours)
        stored[active[charging]] = flow[charging]
        discharged[active[~charging]] = flow[~charging]
        stored = np.minimum(stored, surplus)
        discharged = np.minimum(discharged, deficit)
        # Hourly levels: the change of each hour summed up, anchored at the end of a run that does not
        # wrap around the year (run 1; with one run the flows are zero and the level is its column).
        change = np.cumsum(eta * stored - discharged / eta)
        if runs > 1:
            end = active[np.flatnonzero(self._run_of == 1)[-1]]
            level = change + (x[len(active) + 1] - change[end])
        else:
            level = change + x[len(active)]
        # Each hour's balance dual is its run's (idle hours keep the run before them, cyclically).
        owner = np.full(hours, -1)
        owner[active] = self._run_of
        last = np.maximum.accumulate(np.where(owner >= 0, np.arange(hours), -1))
        last = np.where(last >= 0, last, active[-1])
        duals = np.asarray(h.getSolution().row_dual)
        return self._keep(
            key,
            LpFlows(
                solar_stored=stored,
                grid_stored=np.zeros(hours),
                discharged=discharged,
                level=level,
                objective=float(h.getInfo().objective_function_value),
                energy_value=duals[owner[last]],
            ),
        )


_local = threading.local()


def dispatch_lp(hours: int, grid_charging: bool) -> DispatchLP | RunDispatchLP:
    """The calling thread's cached dispatch model for this structure (HiGHS objects are not shared
    between threads): ``RunDispatchLP`` without grid charging, else ``DispatchLP``."""
    cache = getattr(_local, "models", None)
    if cache is None:
        cache = _local.models = {}
    key = (hours, grid_charging)
    if key not in cache:
        cache[key] = DispatchLP(hours, grid_charging) if grid_charging else RunDispatchLP()
    return cache[key]


def forget_solutions() -> None:
    """Drop the calling thread's kept dispatch solutions (not the warm-start bases). ``run_scan`` calls it
    first: a solution is kept for the same scan's report, and a repeated scan (a benchmark) must solve
    again rather than read the previous run's answers."""
    for model in getattr(_local, "models", {}).values():
        model.forget()
