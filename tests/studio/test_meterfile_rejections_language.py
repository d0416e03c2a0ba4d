"""The meter parser's rejections in the uploader's language: Dutch with Accept-Language: nl, English
otherwise, through the API; line numbers and counts in the language's own form."""

import io
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


def _upload(client, content: bytes, language: str):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    file = io.BytesIO(content)
    file.name = "meter.csv"
    return client.post(
        f"/v1/studio-profiles/{pid}/base/upload",
        {"file": file},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize(
    ("sample", "code", "dutch", "english"),
    [
        (
            "fluvius_gas.csv",
            "gas",
            "Dit is een export van gasverbruik (m³), geen elektriciteit.",
            "gas consumption",
        ),
        (
            "p1_telegram.txt",
            "p1_telegram",
            # the telegram's 0-0:1.0.0(250114093512W) is 14 January 2025 09:35
            "Dit is één P1-telegram — één meterstand van 2025-01-14 09:35, geen verbruikshistorie. "
            "Een profiel heeft historie per uur of per kwartier nodig",
            "This is one P1 telegram — a single meter reading taken at 2025-01-14 09:35",
        ),
        ("unknown_format.csv", "unknown_format", "Verwacht: een Fluvius-CSV", "Expected: a Fluvius"),
    ],
)
def test_rejection_follows_accept_language(owner, sample, code, dutch, english):
    client = owner.key_client()
    content = (SAMPLES / sample).read_bytes()
    nl = _upload(client, content, "nl").json()
    assert nl["code"] == code and dutch in nl["detail"], nl["detail"]
    assert nl["errors"]["file"][0] == nl["detail"]
    en = _upload(client, content, "en").json()
    assert en["code"] == code and english in en["detail"], en["detail"]


def test_bad_rows_name_their_lines_in_dutch(owner):
    client = owner.key_client()
    body = _upload(client, (SAMPLES / "generic_bad_rows.csv").read_bytes(), "nl").json()
    assert body["code"] == "bad_rows"
    assert "konden niet worden gelezen (tijdstip of kWh-waarde)" in body["detail"], body["detail"]
    assert body["errors"]["file"][1].startswith("Regels: ")


def test_line_limit_in_dutch_digit_grouping(owner):
    client = owner.key_client()
    content = b"timestamp,kwh\n" + b"2024-01-01 00:00,0.123\n" * 1_200_000
    body = _upload(client, content, "nl").json()
    # MAX_FILE_LINES is 1,100,000; Dutch groups thousands with a point
    assert "Het bestand heeft 1.200.001 regels; de grens is 1.100.000." in body["detail"], body["detail"]


def test_too_short_file_in_dutch_decimal_comma(owner):
    from apps.studio.meterfiles.constants import MIN_COVERAGE_DAYS

    client = owner.key_client()
    # 60 hourly rows = 2.5 days of data (60 / 24), shorter than the minimum
    rows = "".join(f"2025-03-{1 + h // 24:02d} {h % 24:02d}:00,0.4\n" for h in range(60))
    body = _upload(client, ("timestamp,kwh\n" + rows).encode(), "nl").json()
    assert body["code"] == "too_short"
    assert f"Het bestand beslaat maar 2,5 dagen; er zijn minstens {MIN_COVERAGE_DAYS} dagen" in body["detail"]
