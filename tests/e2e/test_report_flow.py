"""The installer's whole path in a real browser: log in, create a dossier, run a scan through the form,
read the report, share it, open the share link without login (logo, KPIs, charts), switch language,
revoke and see 404. Screenshots of the report and the share page go to artifacts/."""

import re

import pytest
from django.core.files.base import ContentFile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    b'<rect width="120" height="40" rx="6" fill="#1d4ed8"/><circle cx="20" cy="20" r="10" fill="#fbbf24"/>'
    b'<text x="38" y="26" font-size="16" fill="#fff" font-family="sans-serif">ZonPlus</text></svg>'
)
PASSWORD = "pw-e2e-installer-1"


@pytest.fixture
def installer(transactional_db, settings, tmp_path):
    from apps.organizations.services import organization_create

    settings.MEDIA_ROOT = tmp_path
    organization = organization_create(
        name="ZonPlus Installaties",
        owner_email="installer@zonplus.test",
        owner_password=PASSWORD,
        plan="paid",
    )
    organization.branding_enabled = True
    organization.branding_display_name = "ZonPlus"
    organization.branding_color = "#1d4ed8"
    organization.branding_logo.save("zonplus.svg", ContentFile(LOGO_SVG), save=False)
    organization.save()
    return organization


def _charts_drawn(page) -> int:
    """Charts with real marks in them (bars or paths), not just an empty <svg>."""
    return page.locator("svg.chart-svg").evaluate_all(
        "els => els.filter(e => e.querySelectorAll('rect, path').length > 3 && e.getBoundingClientRect().width > 100).length"
    )


def test_report_flow(live_server, scan_worker, installer, browser, artifacts):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    # Anything the Content-Security-Policy blocks shows in the console; the portal must cause none.
    blocked: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))

    # Log in and create a dossier.
    page.goto(f"{base}/login/")
    page.fill("#id_username", "installer@zonplus.test")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/dossiers/new/")
    page.fill("[name=customer_name]", "Familie Jansen")
    page.fill("[name=address]", "Oudegracht 112, Utrecht")
    page.fill("[name=latitude]", "52.09")
    page.fill("[name=longitude]", "5.12")
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/dossiers/\w+/$"))

    # The scan form, prefilled from the dossier; add a second roof, then submit.
    page.click("a[href$='/scans/new/']")
    page.wait_for_selector("[data-scan-form]")
    assert page.input_value("[name='location.lat']") == "52.09"
    page.click("[data-add-row=newPv]")
    page.fill("[name='newPv.1.maxPanelCount']", "6")
    page.fill("[name='newPv.1.panelPowerWatts']", "430")
    page.fill("[name='newPv.1.tiltAngle']", "30")
    page.fill("[name='newPv.1.orientationAngle']", "270")
    page.fill("[name=yearlyKwh]", "4200")
    page.screenshot(path=str(artifacts / "scan-form-desktop.png"), full_page=True)
    page.click("[data-scan-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/scans/\w+/$"))

    # Progress, then the report appears by itself (polling), KPIs first.
    page.wait_for_selector(".kpis", timeout=180_000)
    assert page.locator(".kpi").count() == 4
    assert _charts_drawn(page) >= 5
    page.screenshot(path=str(artifacts / "report-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "report-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert page.locator(".share-card").is_hidden()  # the print layout shows the report only
    page.screenshot(path=str(artifacts / "report-print.png"), full_page=True)
    page.emulate_media(media="screen")
    scan_url = page.url

    # Share: enable, read the link.
    page.click("[data-share]")
    share_url = page.input_value("#share-url")
    assert "/s/" in share_url

    # The homeowner: a fresh context without login, on a phone and on a desktop.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    home = public.new_page()
    home.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
    response = home.goto(share_url)
    assert response.status == 200
    assert home.locator("html").get_attribute("lang") == "nl"  # Dutch by default, whatever the browser says
    logo = home.locator("[data-brand-logo]")
    assert logo.is_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "ZonPlus" in home.locator("[data-brand-name]").inner_text()
    assert home.locator(".kpi").count() == 4
    assert _charts_drawn(home) >= 5
    assert re.search(r"€\s\d", home.locator(".kpi-savings .kpi-value").inner_text())
    home.screenshot(path=str(artifacts / "share-desktop.png"), full_page=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone_page = phone.new_page()
    phone_page.goto(share_url)
    phone_page.screenshot(path=str(artifacts / "share-phone.png"), full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    wide = phone_page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391"
        " && !e.closest('.table-wrap')).slice(0, 8).map(e => e.tagName + '.' + e.className)"
    )
    assert width <= 392, f"the share page scrolls sideways on a phone ({width}px): {wide}"
    phone.close()

    pdf = home.request.get(share_url + "/report.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (artifacts / "share-report.pdf").write_bytes(pdf.body())

    # Language switch.
    home.click(".share-lang a[lang=en]")
    home.wait_for_load_state()
    assert home.locator("html").get_attribute("lang") == "en"
    assert "Your solar report" in home.locator("h1").inner_text()

    # The installer sees that the customer opened it.
    page.goto(scan_url)
    assert page.locator(".share-card .pill-ok").count() == 1

    # Revoke: the link is gone at once.
    page.click("[data-revoke]")
    page.wait_for_selector("[data-share]")
    assert home.goto(share_url).status == 410  # withdrawn by the installer
    public.close()

    # Adjust the battery range (location and consumption stay read-only), then compare.
    page.click("a[href$='/adjust/']")
    page.wait_for_selector("[data-scan-form]")
    assert page.locator("fieldset.section-location").get_attribute("disabled") is not None
    page.fill("[name='electricBattery.minCapacityKwh']", "5")  # a fixed 5 kWh battery
    page.fill("[name='electricBattery.capacityKwh']", "5")
    # A cheap battery with no installation cost, so that it is bought and the comparison shows a change.
    page.fill("[name='electricBattery.costPerKwh']", "100")
    page.fill("[name='electricBattery.fixedCostEur']", "0")
    page.screenshot(path=str(artifacts / "adjust-form-desktop.png"), full_page=True)
    page.click("[data-scan-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/scans/\w+/$"))
    assert page.url != scan_url
    page.wait_for_selector(".kpis", timeout=180_000)
    page.click("a[href$='/compare/']")
    assert page.locator(".compare-table thead th").count() == 3  # figure, original, adjustment 1
    assert page.locator(".compare-table td.changed").count() >= 1  # the battery row at least
    page.screenshot(path=str(artifacts / "compare-desktop.png"), full_page=True)
    page.goto(f"{base}/")
    assert page.locator("[data-usage]").inner_text().strip() == "1"  # the adjustment was free
    page.screenshot(path=str(artifacts / "dashboard-desktop.png"), full_page=True)
    assert blocked == []
    context.close()
