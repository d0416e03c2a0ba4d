"""Files that are not an hourly consumption history are rejected with one exception type and a message
that says what the file is and what to upload instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.studio.meterfiles import MAX_FILE_BYTES, MeterFileError, parse_meter_file, read_meter_file
from devkit import meterfiles as syn

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def rejected(data: bytes) -> MeterFileError:
    with pytest.raises(MeterFileError) as info:
        parse_meter_file(data, "upload.csv")
    return info.value


def test_single_p1_telegram():
    err = rejected(sample("p1_telegram.txt"))
    assert err.code == "p1_telegram"
    assert "one P1 telegram" in err.message
    assert "a single meter reading" in err.message
    assert "not a consumption history" in err.message
    assert "2025-01-14 09:35" in err.message  # 0-0:1.0.0(250114093512W)
    assert "HomeWizard" in err.message and "DSMR-reader" in err.message


def test_several_p1_telegrams():
    err = rejected(sample("p1_telegram.txt") * 3)
    assert err.code == "p1_telegram"
    assert "3 raw P1 telegrams" in err.message


@pytest.mark.parametrize("name", ["fluvius_gas.csv", "homewizard_gas.csv"])
def test_gas_files(name):
    err = rejected(sample(name))
    assert err.code == "gas"
    assert "gas" in err.message and "electricity" in err.message


def test_dsmr_reader_file_with_only_gas():
    text = (
        "Hour Start,Electricity 1 (Dutch Users: Low Tariff),Electricity 2 (Dutch Users: Normal Tariff),"
        "Electricity 1 Returned (x),Electricity 2 Returned (x),Gas\n"
        + "".join(f"2025-01-14T{h:02d}:00:00+01:00,0,0,0,0,0.05\n" for h in range(24))
    )
    assert rejected(text.encode()).code == "gas"


@pytest.mark.parametrize(
    "name", ["daily_meterreadingdate.csv", "daily_vanaf_tot.csv", "daily_homewizard.csv"]
)
def test_daily_files(name):
    err = rejected(sample(name))
    assert err.code == "daily"
    assert "per day" in err.message and "hourly" in err.message


def test_fluvius_daily_resolution():
    text = (
        "\ufeffVan datum;Van tijdstip;Tot datum;Tot tijdstip;EAN-code;Meter;Metertype;Register;Volume;Eenheid;"
        "Validatiestatus;Omschrijving\n"
        + "".join(
            f"{d:02d}-01-2025;00:00:00;{d + 1:02d}-01-2025;00:00:00;5414;1SAG;Digitale Meter;Afname Dag;8,5;kWh;"
            "Gevalideerd;\n"
            for d in range(1, 10)
        )
    )
    assert rejected(text.encode()).code == "daily"


def test_generic_daily_rows():
    text = "".join(f"2025-01-{d:02d},{8 + d * 0.1:.1f}\n" for d in range(1, 20))
    assert rejected(text.encode()).code == "daily"


def test_unknown_format_names_the_expected_ones():
    err = rejected(sample("unknown_format.csv"))
    assert err.code == "unknown_format"
    assert "naam,adres,postcode" in err.message
    assert "Fluvius" in err.message and "HomeWizard" in err.message and "DSMR-reader" in err.message


def test_excel_workbook():
    err = rejected(b"PK\x03\x04" + b"\x00" * 100)
    assert err.code == "unknown_format"
    assert "CSV" in err.message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n"])
def test_empty(data):
    assert rejected(data).code == "empty"


def test_header_only():
    assert rejected(b"time,Import kWh,Export kWh\n").code in ("empty", "no_data")


def test_too_large():
    err = rejected(b"x" * (MAX_FILE_BYTES + 1))
    assert err.code == "too_large"
    assert "the limit is 40 MB" in err.message  # MAX_FILE_BYTES = 40 MiB


def test_bad_rows_are_listed_by_line_number():
    err = rejected(sample("generic_bad_rows.csv"))
    assert err.code == "bad_rows"
    # line 5 has "n/a" as value, line 9 month 13
    assert err.lines == [5, 9]
    assert "5, 9" in err.message


def test_bad_rows_only_first_five_listed():
    lines = ["time,Import kWh,Export kWh"]
    for i in range(40):
        value = "oops" if i % 4 == 0 else f"{100 + i:.3f}"
        lines.append(f"2025-01-01 {i // 4:02d}:{15 * (i % 4):02d},{value},1.000")
    err = rejected("\n".join(lines).encode())
    assert err.code == "bad_rows"
    assert err.lines == [2, 6, 10, 14, 18]  # data row i is on line i + 2
    assert err.message.startswith("10 row(s)")


def test_row_with_too_many_fields():
    text = "timestamp,kwh\n2025-01-01 00:00,0.2\n2025-01-01 01:00,0.2,7,8\n2025-01-01 02:00,0.2\n"
    err = rejected(text.encode())
    assert err.code == "bad_rows"
    assert err.lines == [3]


def test_fluvius_bad_volume_line_number():
    data = sample("fluvius_english_hourly.csv").decode("utf-8-sig").splitlines()
    assert ";2,005;" in data[7]  # Injection Day 11:00-12:00, line 8 of the file
    data[7] = data[7].replace(";2,005;", ";2,0x5;")
    with pytest.raises(MeterFileError) as info:
        read_meter_file("\n".join(data).encode())
    assert info.value.code == "bad_rows"
    assert info.value.lines == [8]


def test_too_short_for_a_year():
    err = rejected(sample("homewizard_p1_spring_dst.csv"))
    assert err.code == "too_short"
    assert "0.96 days" in err.message or "1.0 days" in err.message


def test_unsupported_resolution():
    text = "".join(f"2025-01-01 {h:02d}:00,0.5\n" for h in range(0, 24, 2))
    assert rejected(text.encode()).code == "unsupported_resolution"


def test_error_codes_are_validated():
    with pytest.raises(ValueError):
        MeterFileError("nonsense", "x")


def test_fluvius_rejection_of_generated_gas_units():
    data = syn.synthetic_data("2025-01-01", "2025-01-02", step_min=60)
    text = syn.fluvius_csv(data).decode("utf-8").replace(";kWh;", ";m³;")
    assert rejected(text.encode()).code == "gas"


def test_water_meter():
    err = rejected(b"time,Total water used\n2025-01-01 00:00,12.5\n")
    assert err.code == "not_electricity"
    assert "water" in err.message


def test_package_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys; import apps.studio.meterfiles, devkit.meterfiles; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework', 'dramatiq')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
