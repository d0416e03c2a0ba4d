"""Issue 15.1: an uploaded SVG logo never makes the server send a request or read a local file, neither on
the share page nor when the anonymous share PDF is drawn. The exact payload of the issue: a logo with
<image href="http://127.0.0.1:…/x"/> and <image href="file:///…/some.png"/>."""

from __future__ import annotations

import base64
import http.server
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.organizations.logos import UnsafeLogo, sanitised_svg
from apps.scans import services

# A 1×1 PNG (the smallest valid file: signature, IHDR, IDAT, IEND).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff89993d1d0000000049454e44ae426082"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A tiny HTTP server on a free local port that records every request it gets."""
    handler = type("Handler", (_Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler.hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def payload(listener, tmp_path):
    server, hits = listener
    local = tmp_path / "some.png"
    local.write_bytes(PNG)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#0f766e"/>'
        f'<image href="http://127.0.0.1:{server.server_port}/x" width="10" height="10"/>'
        f'<image href="{local.as_uri()}" width="10" height="10"/>'
        "</svg>"
    ).encode()
    return svg, hits


def _image_count(pdf: bytes) -> int:
    return pdf.count(b"/Subtype /Image") + pdf.count(b"/Subtype/Image")


def test_the_harness_sees_a_fetch_by_an_unrestricted_renderer(payload):
    """Control: WeasyPrint's default fetcher does call the listener and embed the local file, so the
    assertions below can fail."""
    from weasyprint import HTML

    from apps.reports.pdf import url_fetcher

    svg, hits = payload
    html = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}">'
    pdf = HTML(string=html).write_pdf()
    assert hits == ["/x"]
    assert _image_count(pdf) >= 1
    hits.clear()
    pdf = HTML(string=html, url_fetcher=url_fetcher()).write_pdf()
    assert hits == []
    assert _image_count(pdf) == 0


def _share_pdf(client, scan) -> bytes:
    services.scan_share(scan=scan)
    scan.refresh_from_db()
    response = client.get(reverse("portal:share_pdf", args=[scan.share_token]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_uploaded_svg_payload_fetches_nothing_in_the_share_pdf(
    owner_client, owner, completed_scan, client, payload, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    svg, hits = payload
    response = owner_client.post(
        reverse("portal:branding"),
        {"enabled": "on", "color": "#0f766e", "logo": SimpleUploadedFile("logo.svg", svg)},
    )
    assert response.status_code == 302
    owner.organization.refresh_from_db()
    stored = owner.organization.branding_logo.read()
    assert b"127.0.0.1" not in stored and b"file:" not in stored and b"<rect" in stored

    pdf = _share_pdf(client, completed_scan)
    assert hits == []
    assert _image_count(pdf) == 0
    assert pdf.startswith(b"%PDF")


def test_a_logo_stored_before_sanitising_fetches_nothing(
    owner, completed_scan, client, payload, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    svg, hits = payload
    organization = owner.organization
    organization.branding_enabled = True
    organization.branding_logo.save("legacy.svg", ContentFile(svg))
    _share_pdf(client, completed_scan)
    assert hits == []


def test_sanitiser_keeps_drawing_and_fragments_and_drops_outside_references():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="x()">'
        b'<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
        b'<rect fill="url(#g)" width="4" height="4"/>'
        b'<rect style="fill:url(http://evil.test/a)" width="4" height="4"/>'
        b'<use xlink:href="#g"/><use href="http://evil.test/s.svg#a"/>'
        b'<image href="data:image/png;base64,iVBORw0KGgo="/>'
        b'<image xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/>'
        b"<style>@import url(http://evil.test/c.css);</style>"
        b'<foreignObject><iframe src="http://evil.test"/></foreignObject>'
        b"</svg>"
    )
    clean = sanitised_svg(svg).decode()
    assert "evil.test" not in clean and "onload" not in clean and "<style" not in clean
    assert 'fill="url(#g)"' in clean and 'xlink:href="#g"' in clean
    assert "data:image/png" in clean and "image/svg+xml" not in clean


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<html><svg/></html>",
    ],
)
def test_sanitiser_refuses_what_is_not_a_plain_svg(data):
    with pytest.raises(UnsafeLogo):
        sanitised_svg(data)


def test_the_pdf_fetcher_serves_own_static_and_media_files_and_nothing_else(settings, tmp_path):
    from apps.reports.pdf import PDF_BASE_URL, url_fetcher

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "branding").mkdir()
    (tmp_path / "branding" / "a.png").write_bytes(PNG)
    (tmp_path.parent / "outside.txt").write_text("secret")
    fetcher = url_fetcher()
    assert fetcher.fetch(f"{PDF_BASE_URL}media/branding/a.png").read() == PNG
    assert b"{" in fetcher.fetch(f"{PDF_BASE_URL}static/css/report.css").read()
    refused = [
        f"{PDF_BASE_URL}media/../outside.txt",
        f"{PDF_BASE_URL}media/%2e%2e/outside.txt",
        f"{PDF_BASE_URL}static/../../config/settings.py",
        f"{PDF_BASE_URL}config/settings.py",
        "https://example.com/static/css/report.css",
        "http://127.0.0.1/static/css/report.css",
        (tmp_path / "branding" / "a.png").as_uri(),
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
