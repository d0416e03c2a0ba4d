"""Parse-time benchmark of apps.studio.meterfiles.

Generates one year of data in each layout in memory (quarter-hours: 35 040 intervals; Fluvius with four
register rows per interval = 140 160 rows) and prints, per format, the wall time of the first call
(imports and time-zone data warm), the median and fastest wall time of the following runs, and the
median CPU time of this process (stable when other jobs share the machine).

    .venv/bin/python benchmarks/meterfiles_bench.py [--runs 7] [--two-year-fluvius]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.studio.meterfiles import parse_meter_file  # noqa: E402
from devkit import meterfiles as syn  # noqa: E402

TARGET_S = 1.0  # requirement: a year of quarter-hour data parses in at most 1 s
MILLION_TARGET_S = 3.0  # issue 18: a 10^6-line meter file parses in at most 3 s
MILLION = "generic 1 min, 10^6 lines"


def cases(two_year: bool) -> list[tuple[str, bytes, int]]:
    q = syn.synthetic_data("2025-01-01", "2026-01-01", step_min=15, seed=11)
    h = syn.synthetic_data("2025-01-01", "2026-01-01", step_min=60, seed=12)
    out = [
        ("fluvius 15 min, 4 registers", syn.fluvius_csv(q, variant="2025"), 4 * len(q.utc_s)),
        ("fluvius 15 min, English header", syn.fluvius_csv(q, variant="english"), 4 * len(q.utc_s)),
        ("homewizard 15 min P1 + phases", syn.homewizard_csv(q, phases=True), len(q.utc_s) + 1),
        ("homewizard 15 min kWh meter", syn.homewizard_csv(q, variant="kwh"), len(q.utc_s) + 1),
        ("dsmr-reader hourly", syn.dsmr_reader_csv(h), len(h.utc_s)),
        ("generic 15 min ',' '.'", syn.generic_csv(q), len(q.utc_s) + 1),
        (
            "generic 15 min ';' ',' no header",
            syn.generic_csv(q, sep=";", decimal_comma=True, header=False),
            len(q.utc_s),
        ),
        ("generic 15 min cumulative", syn.generic_csv(q, cumulative=True), len(q.utc_s) + 2),
    ]
    minutes = syn.synthetic_data("2024-02-07", "2026-01-01", step_min=1, seed=5)
    out.append((MILLION, syn.generic_csv(minutes), len(minutes.utc_s) + 1))
    if two_year:
        q2 = syn.synthetic_data("2024-01-01", "2026-01-01", step_min=15, seed=13)
        out.append(("fluvius 15 min, two years", syn.fluvius_csv(q2), 4 * len(q2.utc_s)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--two-year-fluvius", action="store_true")
    args = parser.parse_args()
    print(f"{'format':36} {'rows':>8} {'MB':>6} {'first s':>8} {'median s':>9} {'min s':>7} {'cpu s':>7}")
    slow = []
    for name, data, rows in cases(args.two_year_fluvius):
        t = time.perf_counter()
        parse_meter_file(data)
        first = time.perf_counter() - t
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            parse_meter_file(data)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        med = statistics.median(times)
        print(
            f"{name:36} {rows:8d} {len(data) / 1e6:6.1f} {first:8.3f} {med:9.3f} {min(times):7.3f} "
            f"{statistics.median(cpu):7.3f}"
        )
        if med > (MILLION_TARGET_S if name == MILLION else TARGET_S) and "two years" not in name:
            slow.append(name)
    if slow:
        print(
            f"slower than its target ({TARGET_S} s; {MILLION_TARGET_S} s for 10^6 lines): {', '.join(slow)}"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
