"""Browser checks of issue 19 in Debian's chromium: a dossier from a postcode (no coordinates typed), the
homeowner's share page on a 390 px phone (comparison readable, no label over its value, no technical
details), and the revoked-link page in the visitor's language."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-e2e-installer-19"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def installer(transactional_db):
    from apps.organizations.services import organization_create

    return organization_create(
        name="Zon Noord", owner_email="i19@zonnoord.test", owner_password=PASSWORD, plan="paid"
    )


@pytest.fixture
def shared_scan(installer):
    from apps.engine.api import run_scan
    from apps.scans import services
    from apps.scans.engine_inputs import build_engine_inputs
    from tests.scans.conftest import SEED_BODY, complete_scan, resolved_inputs

    result = run_scan(build_engine_inputs(resolved_inputs(SEED_BODY)))
    scan = complete_scan(installer, result)
    return services.scan_share(scan=scan)


def _log_in(page, base):
    page.goto(f"{base}/login/")
    page.fill("#id_username", "i19@zonnoord.test")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_dossier_from_a_postcode(live_server, installer, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    _log_in(page, live_server.url)

    # An unknown postcode: the summary names the field, links to it, and the field is marked invalid.
    page.goto(f"{live_server.url}/dossiers/new/")
    page.fill("[name=customer_name]", "Familie de Vries")
    page.fill("[name=postcode]", "1009")
    page.click("form button[type=submit].primary")
    summary_link = page.locator(".error-summary a[href='#id_postcode']")
    assert summary_link.count() == 1
    assert page.get_attribute("#id_postcode", "aria-invalid") == "true"
    summary_link.click()
    assert page.evaluate("document.activeElement.id") == "id_postcode" or page.url.endswith("#id_postcode")

    # A known postcode and house number, no coordinates: the dossier gets the postcode area's centre.
    page.fill("[name=postcode]", "3511 AW")
    page.fill("[name=house_number]", "112")
    page.fill("[name=address]", "Oudegracht 112")
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/dossiers/\w+/(#id_postcode)?$"))  # the browser keeps the fragment
    location = page.locator("[data-accuracy]").locator("xpath=..").inner_text()
    # GeoNames 3511 Utrecht: 52.0886, 5.1174 (../shared/data/geo/geonames_postal_codes_NL.txt)
    assert "52.0886, 5.1174" in location and "postcodegebied" in location

    # The scan form starts from those coordinates.
    page.click("a[href$='/scans/new/']")
    page.wait_for_selector("[data-scan-form]")
    assert page.input_value("[name='location.lat']") == "52.0886"
    context.close()


def test_phone_share_page_comparison_readable(live_server, shared_scan, browser, artifacts):
    phone = browser.new_context(**PHONE, locale="nl-NL")
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{shared_scan.share_token}")
    page.screenshot(path=str(artifacts / "share-phone-19.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392  # nothing cut off sideways

    # Every comparison cell lies fully inside the 390 px screen and carries its column's label.
    cells = page.locator(".comparison .compare-table td").evaluate_all(
        "els => els.map(e => ({r: e.getBoundingClientRect().right, l: e.getBoundingClientRect().left,"
        " label: getComputedStyle(e, '::before').content}))"
    )
    assert cells, "no comparison cells"
    for cell in cells:
        assert cell["l"] >= 0 and cell["r"] <= 390, cell
        assert cell["label"] in ('"Zonder batterij"', '"Met batterij"'), cell

    # No label runs into its value: each <dt> box ends above or left of its <dd> box.
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('.facts dt')].map(dt => {
            const dd = dt.nextElementSibling; const a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
            const apart = a.bottom <= b.top + 0.5 || a.right <= b.left + 0.5;
            return apart ? null : dt.textContent + ' / ' + dd.textContent; }).filter(Boolean)"""
    )
    assert overlaps == []
    body = page.content()
    assert "data-technical-details" not in body and "Dimensioneringsmethode" not in body
    # What the homeowner reads in Dutch: no English leftovers, Dutch number and date formats.
    from tests.portal.helpers import english_leftovers

    assert english_leftovers(page.inner_text("body")) == []
    assert re.search(r"€\s\d{1,3}(\.\d{3})*(,\d+)?", page.inner_text(".kpi-savings .kpi-value"))
    phone.close()


def test_revoked_link_page(live_server, shared_scan, browser):
    from apps.scans import services

    token = shared_scan.share_token
    services.scan_unshare(scan=shared_scan)
    context = browser.new_context(**PHONE, locale="nl-NL")
    page = context.new_page()
    response = page.goto(f"{live_server.url}/s/{token}")
    assert response.status == 410  # withdrawn by the installer, not unknown
    assert page.locator("h1").inner_text() == "Dit rapport is niet beschikbaar"
    assert "ingetrokken" in page.inner_text("main")
    assert "URLconf" not in page.content()
    page.click(".share-lang a[lang=en]")
    assert page.locator("h1").inner_text() == "This report is not available"
    context.close()


def test_pdf_download_from_the_share_page_is_drawn_once_and_then_served_from_storage(
    live_server, shared_scan, browser, settings, tmp_path
):
    """The homeowner's "Download PDF" button: the first click draws and stores the PDF, the second is served
    from storage — the same bytes (a new drawing would carry a new creation timestamp) and no new file."""
    import io

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from apps.portal import pdf_cache

    settings.MEDIA_ROOT = tmp_path
    context = browser.new_context(**PHONE, locale="nl-NL", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{shared_scan.share_token}")

    def download() -> bytes:
        with page.expect_download() as info:
            page.click("a[download]")
        return open(info.value.path(), "rb").read()

    first = download()
    folder = f"{pdf_cache.STORAGE_DIR}/{shared_scan.pk}/nl"
    stored = default_storage.listdir(folder)[1]
    second = download()
    assert first.startswith(b"%PDF") and second == first
    assert default_storage.listdir(folder)[1] == stored and len(stored) == 1
    pages = PdfReader(io.BytesIO(first)).pages
    assert all(len(p.extract_text().split()) > 40 for p in pages)  # no near-empty page
    context.close()
