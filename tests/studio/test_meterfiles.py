"""Meter-file parsing: each layout on small hand-written samples (tests/studio/samples/).

Every expected number names where it comes from in the sample file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from apps.studio.meterfiles import (
    STANDARD_TIME,
    detect_format,
    read_meter_file,
)
from devkit import meterfiles as syn

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def std(*args: int) -> datetime:
    return datetime(*args, tzinfo=STANDARD_TIME)


# --- Fluvius -------------------------------------------------------------------------------------------


def test_fluvius_autumn_dst_hourly_gives_25_hour_day():
    data = sample("fluvius_2025_hourly_autumn_dst.csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, as Fluvius writes it
    s = read_meter_file(data, "verbruik.csv")
    assert s.format == "fluvius"
    assert s.resolution_minutes == 60  # Until - From = 1 h
    # local midnight 27-10-2024 is still summer time (UTC+2) = 26-10 23:00 in UTC+1
    assert s.start == std(2024, 10, 26, 23)
    assert s.hours == 25  # the 02:00-03:00 hour appears twice
    # the repeated hour: first occurrence (0,300) is summer time, the second (0,400) winter time
    assert s.import_kwh[2] == pytest.approx(0.300)
    assert s.import_kwh[3] == pytest.approx(0.400)
    # sum of the Volume column of the Afname rows: 23 x 0,250 + 0,300 + 0,400
    assert s.import_kwh.sum() == pytest.approx(6.45, rel=1e-9)
    assert s.source_total_import_kwh == pytest.approx(6.45, rel=1e-9)
    # sum of the Injectie Nacht volumes: 3 x 1,100 (12:00-15:00); empty "Geen verbruik" rows are 0
    assert s.export_kwh.sum() == pytest.approx(3.3, rel=1e-9)
    assert s.gaps == []
    assert not s.estimated.any()


def test_fluvius_old_header_quarter_hour_interleaved_dst_passes():
    s = read_meter_file(sample("fluvius_old_quarter_autumn_dst.csv"))
    assert s.format == "fluvius"
    assert s.resolution_minutes == 15
    assert s.start == std(2024, 10, 27, 0)  # 01:00 summer time
    # per hour: 4 x 0,050 (01:xx), 4 x 0,100 (02:xx summer pass), 4 x 0,200 (02:xx winter), 4 x 0,075
    np.testing.assert_allclose(s.import_kwh, [0.2, 0.4, 0.8, 0.3])
    assert s.export_kwh is None  # no Injectie registers in the file
    assert s.details["registers"] == ["afname dag", "afname nacht"]


def test_fluvius_newest_header_day_register_and_injection():
    s = read_meter_file(sample("fluvius_newest_quarter.csv"))
    assert s.format == "fluvius"
    assert s.resolution_minutes == 15
    assert s.start == std(2025, 6, 5, 11)  # 12:00 CEST
    # Afname Dag volumes 0,012 + 0,000 + 0,150 + 0,088 (Afname Nacht is "Geen verbruik")
    np.testing.assert_allclose(s.import_kwh, [0.25])
    # Injectie Dag volumes 0,310 + 0,402 + (empty, Geen verbruik) + 0,120
    np.testing.assert_allclose(s.export_kwh, [0.832])
    assert s.gaps == []


def test_fluvius_english_header_slash_dates_no_consumption():
    s = read_meter_file(sample("fluvius_english_hourly.csv"))
    assert s.format == "fluvius"
    assert s.start == std(2025, 8, 14, 9)
    # Offtake Day 0,420 then empty with "No consumption" (= 0, not a gap)
    np.testing.assert_allclose(s.import_kwh, [0.42, 0.0])
    # Injection Day 1,250 + 2,005
    assert s.export_kwh.sum() == pytest.approx(3.255)
    assert s.gaps == []


def test_format_detected_from_content_not_filename():
    assert detect_format(sample("fluvius_english_hourly.csv")) == "fluvius"
    s = read_meter_file(sample("fluvius_english_hourly.csv"), "homewizard-export.csv")
    assert s.format == "fluvius"
    assert detect_format(sample("homewizard_p1_spring_dst.csv")) == "homewizard"
    assert detect_format(sample("dsmr_reader_hours_gap.csv")) == "dsmr-reader"
    assert detect_format(sample("generic_semicolon_comma.csv")) == "generic"


# --- HomeWizard ----------------------------------------------------------------------------------------


def test_homewizard_spring_dst_day_has_23_hours():
    s = read_meter_file(sample("homewizard_p1_spring_dst.csv"))
    assert s.format == "homewizard"
    assert s.resolution_minutes == 15
    assert s.start == std(2025, 3, 30, 0)
    # 93 readings, 02:00-02:45 absent because the clock jumps: 23 hours, no gap
    assert s.hours == 23
    assert s.gaps == []
    # Import T1 rises 0.025 kWh per quarter: 0.1 kWh per hour; T2 and export constant
    np.testing.assert_allclose(s.import_kwh, np.full(23, 0.1), atol=1e-9)
    # last minus first Import T1 reading: 10002.300 - 10000.000
    assert s.source_total_import_kwh == pytest.approx(2.3, rel=1e-9)
    assert s.export_kwh.sum() == pytest.approx(0.0)


def test_homewizard_offline_readings_are_a_gap_with_known_energy():
    s = read_meter_file(sample("homewizard_kwh_offline.csv"))
    assert s.format == "homewizard"
    # last minus first reading: Import 813.100 - 812.500, Export 92.400 - 90.000
    assert s.source_total_import_kwh == pytest.approx(0.6, rel=1e-9)
    assert s.source_total_export_kwh == pytest.approx(2.4, rel=1e-9)
    assert s.import_kwh.sum() == pytest.approx(0.6, rel=1e-9)
    assert s.export_kwh.sum() == pytest.approx(2.4, rel=1e-9)
    # readings 10:45-11:30 (CEST) empty: the intervals from the 10:30 reading to the 11:45 reading are
    # a gap of 5 quarters = 1.25 h, 09:30-10:45 in UTC+1; its energy is known from the readings
    assert len(s.gaps) == 1
    gap = s.gaps[0]
    assert (gap.start, gap.end, gap.hours, gap.total_known) == (
        std(2025, 6, 10, 9, 30),
        std(2025, 6, 10, 10, 45),
        1.25,
        True,
    )
    assert any("offline" in w for w in s.warnings)


def test_homewizard_autumn_dst_repeated_readings_give_25_hours():
    data = syn.synthetic_data("2025-10-26", "2025-10-27", step_min=15, seed=2)
    text = syn.homewizard_csv(data).decode()
    # generated file: the 02:00-02:45 readings appear twice (summer pass, then winter pass)
    assert text.count("2025-10-26 02:15,") == 2
    s = read_meter_file(text.encode())
    assert s.start == std(2025, 10, 25, 23)  # local midnight, still UTC+2
    assert s.hours == 25
    assert s.gaps == []
    assert s.warnings == []  # no reading went down: the repeated hour was ordered correctly
    # last minus first reading of Import T1 + T2 = the generated quarter-hour energies
    assert s.import_kwh.sum() == pytest.approx(data.total_import_kwh, rel=1e-9)
    np.testing.assert_allclose(s.import_kwh, data.import_wh.reshape(-1, 4).sum(axis=1) / 1000, atol=1e-9)


# --- DSMR-reader ---------------------------------------------------------------------------------------


def test_dsmr_reader_hours_with_a_ten_hour_gap():
    s = read_meter_file(sample("dsmr_reader_hours_gap.csv"))
    assert s.format == "dsmr-reader"
    assert s.resolution_minutes == 60
    assert s.start == std(2025, 1, 14, 0)  # "+01:00" offsets in the file
    assert s.hours == 48
    # sum of Electricity 1 + 2 over the rows present: 14 Jan 8 x 0.3 + 6 x 0.5, 15 Jan 8 x 0.3 + 16 x 0.5
    assert s.source_total_import_kwh == pytest.approx(15.8, rel=1e-9)
    assert s.measured_import_kwh.sum() == pytest.approx(15.8, rel=1e-9)
    # Electricity 2 Returned: 0.8 in hours 11-15 of 15 Jan (those of 14 Jan are in the gap)
    assert s.source_total_export_kwh == pytest.approx(4.0, rel=1e-9)
    # rows 08:00-17:00 of 14 Jan are absent: one gap of 10 h, energy unknown, estimated
    assert len(s.gaps) == 1
    assert (s.gaps[0].start, s.gaps[0].hours, s.gaps[0].total_known) == (std(2025, 1, 14, 8), 10.0, False)
    assert s.estimated.sum() == 10
    assert (s.import_kwh[s.estimated] > 0).all()


# --- generic -------------------------------------------------------------------------------------------


def test_generic_semicolon_decimal_comma_without_header():
    s = read_meter_file(sample("generic_semicolon_comma.csv"))
    assert s.format == "generic"
    assert s.details["header"] is False
    assert s.details["decimalComma"] is True
    assert s.start == std(2025, 1, 2, 0)  # dd-mm-yyyy, winter: local = UTC+1
    # second column: 0,2 0,3 0,4 0,5 0,6 repeated over 24 hours -> 4 x 2.0 + 0.2 + 0.3 + 0.4 + 0.5
    assert s.import_kwh.sum() == pytest.approx(9.4, rel=1e-9)
    np.testing.assert_allclose(s.import_kwh[:6], [0.2, 0.3, 0.4, 0.5, 0.6, 0.2])
    assert s.export_kwh.sum() == 0.0  # third column all 0,000


def test_generic_cumulative_readings_are_differenced():
    s = read_meter_file(sample("generic_cumulative.csv"))
    assert s.format == "generic"
    assert s.details["cumulative"] is True
    # readings 15000.000 .. 15012.000 over 24 hours, 0.5 kWh per hour
    np.testing.assert_allclose(s.import_kwh, np.full(24, 0.5), atol=1e-9)
    assert s.source_total_import_kwh == pytest.approx(12.0, rel=1e-9)
    assert any("cumulative" in w for w in s.warnings)


def test_generic_tab_separated_iso_with_offset_two_columns():
    text = "time\tkwh\n" + "".join(f"2025-07-01T{h:02d}:00:00+02:00\t0.{h + 10}\n" for h in range(24))
    s = read_meter_file(text.encode())
    assert s.format == "generic"
    assert s.start == std(2025, 6, 30, 23)  # 00:00+02:00 = 23:00 UTC+1 the day before
    # column values 0.10 .. 0.33
    assert s.import_kwh.sum() == pytest.approx(sum((h + 10) / 100 for h in range(24)))
    assert s.export_kwh is None


def test_generic_net_values_split_into_import_and_export():
    text = "".join(f"2025-07-01 {h:02d}:00,{0.5 if h < 10 else -0.25}\n" for h in range(20))
    s = read_meter_file(text.encode())
    # 10 hours of +0.5 (import 5.0) and 10 hours of -0.25 (export 2.5)
    assert s.import_kwh.sum() == pytest.approx(5.0)
    assert s.export_kwh.sum() == pytest.approx(2.5)


def test_generic_date_and_time_in_separate_columns():
    text = "datum;tijd;afname\n" + "".join(f"03-02-2025;{h:02d}:00;0,{h + 10}\n" for h in range(24))
    s = read_meter_file(text.encode())
    assert s.start == std(2025, 2, 3, 0)
    assert s.hours == 24
    assert s.import_kwh.sum() == pytest.approx(sum((h + 10) / 100 for h in range(24)))


def test_generic_quarter_hours_summed_to_hours():
    text = "".join(f"2025-01-05 {q // 4:02d}:{15 * (q % 4):02d},0.{q % 4 + 1}\n" for q in range(96))
    s = read_meter_file(text.encode())
    assert s.resolution_minutes == 15
    # each hour: 0.1 + 0.2 + 0.3 + 0.4
    np.testing.assert_allclose(s.import_kwh, np.full(24, 1.0))


def test_empty_export_columns_mean_no_export_not_a_gap():
    text = "time,Import kWh,Export kWh\n" + "".join(
        f"2025-01-06 {q // 4:02d}:{15 * (q % 4):02d},{1000 + 0.1 * q:.3f},\n" for q in range(97)
    )
    text = text.replace("2025-01-06 24:00", "2025-01-07 00:00")
    s = read_meter_file(text.encode())
    assert s.export_kwh is None
    assert s.source_total_export_kwh is None
    assert s.gaps == []
    # Import readings 1000.000 .. 1009.600: 0.1 kWh per quarter, 0.4 per hour
    np.testing.assert_allclose(s.import_kwh, np.full(24, 0.4), atol=1e-9)


def test_generic_tariff_columns_summed_per_direction_from_the_header():
    header = "Datum;Levering normaal (kWh);Levering dal (kWh);Teruglevering normaal (kWh);Teruglevering dal (kWh)\n"
    rows = "".join(f"01-01-2025 {h:02d}:00;0,{h + 10};0,05;0,{h % 3};0\n" for h in range(24))
    s = read_meter_file((header + rows).encode())
    assert s.format == "generic"
    # Levering normaal 0,10 .. 0,33 (sum 5.16) + Levering dal 24 x 0,05
    assert s.import_kwh.sum() == pytest.approx(5.16 + 1.2)
    # Teruglevering normaal 0,0 0,1 0,2 repeated 8 times
    assert s.export_kwh.sum() == pytest.approx(2.4)
    assert s.details["exportColumns"] == ["Teruglevering normaal (kWh)", "Teruglevering dal (kWh)"]


def test_generic_export_column_first_is_recognised_by_its_header():
    text = "time,export,import\n" + "".join(f"2025-01-01 {h:02d}:00,0.5,0.{h + 10}\n" for h in range(24))
    s = read_meter_file(text.encode())
    assert s.format == "generic"
    assert s.export_kwh.sum() == pytest.approx(12.0)  # 24 x 0.5 in the "export" column
    assert s.import_kwh.sum() == pytest.approx(5.16)  # 0.10 .. 0.33 in the "import" column


def test_generic_preamble_lines_above_the_header_are_skipped():
    text = "Verbruiksgegevens elektriciteit\nEAN;871687120000000000\n\nDatum;Afname (kWh)\n" + "".join(
        f"04-03-2025 {h:02d}:00;0,{h + 10}\n" for h in range(24)
    )
    s = read_meter_file(text.encode())
    assert s.format == "generic"
    assert s.details["header"] is True
    assert s.import_kwh.sum() == pytest.approx(5.16)  # 0,10 .. 0,33
    assert any("2 line(s) above the column header" in w for w in s.warnings)


def test_generic_interval_end_stamps_with_24_00():
    # rows stamped at the END of each hour: 01:00 .. 24:00
    text = "".join(f"2025-01-08 {h:02d}:00,0.{h + 9}\n" for h in range(1, 25))
    s = read_meter_file(text.encode())
    assert s.start == std(2025, 1, 8, 0)  # the row "01:00" is the hour 00:00-01:00
    assert s.hours == 24
    np.testing.assert_allclose(s.import_kwh[:2], [0.10, 0.11])  # first two rows
    assert s.import_kwh.sum() == pytest.approx(5.16)  # 0.10 .. 0.33
    assert any("interval ends" in w for w in s.warnings)


def test_generic_date_time_columns_with_24_00():
    text = "datum;tijd;kwh\n" + "".join(f"09-01-2025;{h:02d}:00;0,5\n" for h in range(1, 25))
    s = read_meter_file(text.encode())
    assert s.start == std(2025, 1, 9, 0)
    assert s.hours == 24
    assert s.import_kwh.sum() == pytest.approx(12.0)  # 24 x 0,5


def test_generic_from_until_columns_take_the_start():
    text = "Van;Tot;Verbruik (kWh)\n" + "".join(
        f"10-01-2025 {h:02d}:00;10-01-2025 {h + 1:02d}:00;0,25\n" for h in range(23)
    )
    s = read_meter_file(text.encode())
    assert s.start == std(2025, 1, 10, 0)
    assert s.hours == 23
    assert s.import_kwh.sum() == pytest.approx(23 * 0.25)  # Verbruik column
