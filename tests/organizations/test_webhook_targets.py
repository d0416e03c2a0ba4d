"""Issue 15.2: webhook URLs may only point at the public internet, over https. Checked at save time and again
at each delivery (DNS can change), connected to the checked address, no redirects followed, and a generic
line in the delivery log for refused targets. DNS is a table here (tests use no network)."""

from __future__ import annotations

import http.server
import ipaddress
import threading

import pytest
from django.urls import reverse

from apps.organizations import webhook_targets
from apps.organizations.models import WebhookDelivery, WebhookEndpoint
from apps.organizations.services import webhook_endpoint_create
from apps.organizations.webhook_targets import REFUSED_LOG_MESSAGE, RefusedTarget, checked_target
from apps.organizations.webhooks import WebhookDeliveryFailed, webhook_deliver, webhook_emit
from tests.conftest import PUBLIC_TEST_ADDRESS
from tests.webhook_receiver import Receiver

DNS = {
    "crm.example": [PUBLIC_TEST_ADDRESS],
    "localhost": ["127.0.0.1", "::1"],
    "inside.attacker.example": ["10.1.2.3"],  # a public name that resolves inside
    "split.attacker.example": [PUBLIC_TEST_ADDRESS, "192.168.0.7"],  # one public, one private answer
    "metadata.attacker.example": ["fd00:ec2::254"],
}


@pytest.fixture
def dns(monkeypatch):
    table = dict(DNS)

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError as exc:
            raise OSError("name not known") from exc

    monkeypatch.setattr(webhook_targets, "_resolve", resolve)
    return table


REFUSED = [
    # IPv4, by class
    "https://127.0.0.1/hook",  # loopback
    "https://127.0.0.1:5432/",  # loopback, PostgreSQL's port
    "https://127.0.0.1:6379/",  # loopback, Redis' port
    "https://10.0.0.5/hook",  # private 10/8
    "https://172.16.3.4/hook",  # private 172.16/12
    "https://192.168.1.1/hook",  # private 192.168/16
    "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
    "https://100.64.0.1/hook",  # shared address space (carrier NAT)
    "https://224.0.0.1/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://0.0.0.0/hook",  # unspecified
    "https://192.0.2.10/hook",  # documentation (TEST-NET-1)
    # IPv6, by class
    "https://[::1]/hook",  # loopback
    "https://[fc00::1]/hook",  # unique local (private)
    "https://[fe80::1]/hook",  # link-local
    "https://[ff02::1]/hook",  # multicast
    "https://[::]/hook",  # unspecified
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "https://[::ffff:169.254.169.254]/hook",  # IPv4-mapped link-local
    # names
    "https://localhost/hook",
    "https://inside.attacker.example/hook",
    "https://split.attacker.example/hook",
    "https://metadata.attacker.example/hook",
    "https://does-not-resolve.example/hook",
    # schemes and shapes
    "http://crm.example/hook",  # plain http without WEBHOOK_ALLOW_HTTP
    "ftp://crm.example/hook",
    "file:///etc/passwd",
    "https://user:pw@crm.example/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused_at_save_time(owner, dns, url):
    with pytest.raises(RefusedTarget):
        webhook_endpoint_create(organization=owner.organization, url=url, events=[])
    assert not WebhookEndpoint.objects.exists()


def test_public_https_is_accepted_and_http_only_with_the_setting(owner, dns, settings):
    assert webhook_endpoint_create(organization=owner.organization, url="https://crm.example/hook", events=[])
    settings.WEBHOOK_ALLOW_HTTP = True
    assert checked_target("http://crm.example/hook").url.host == PUBLIC_TEST_ADDRESS
    with pytest.raises(RefusedTarget):
        checked_target("http://127.0.0.1:8000/hook")  # http is allowed, the inside still is not


def test_the_portal_form_names_the_rule(client, owner, dns):
    client.force_login(owner.user)
    response = client.post(
        reverse("portal:webhook_new"), {"url": "https://169.254.169.254/x", "events": ["scan.completed"]}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.fixture
def local_receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_dns_that_turns_inside_after_saving_is_refused_at_delivery(owner, dns, settings, local_receiver):
    settings.WEBHOOK_ALLOW_HTTP = True  # the receiver speaks plain http; the address rule stays on
    port = local_receiver.server.server_port
    webhook_endpoint_create(
        organization=owner.organization, url=f"http://crm.example:{port}/hooks/solarscan", events=[]
    )
    dns["crm.example"] = ["127.0.0.1"]  # the record now points at the server itself
    (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.failed", data={})
    webhook_deliver(delivery_id=delivery.id)  # refused: no retry is raised

    delivery.refresh_from_db()
    assert local_receiver.requests == []
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_status_code is None
    assert [a["error"] for a in delivery.attempts] == [REFUSED_LOG_MESSAGE]
    assert "127.0.0.1" not in str(delivery.attempts) and str(port) not in str(delivery.attempts)


def test_delivery_connects_to_the_checked_address_with_the_original_host(
    owner, dns, settings, local_receiver
):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # local development mode
    dns["hooks.customer.example"] = ["127.0.0.1"]
    port = local_receiver.server.server_port
    webhook_endpoint_create(
        organization=owner.organization, url=f"http://hooks.customer.example:{port}/in", events=[]
    )
    (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.failed", data={})
    webhook_deliver(delivery_id=delivery.id)
    (headers, _body), *_ = local_receiver.requests
    assert headers["host"] == f"hooks.customer.example:{port}"


def test_redirects_are_not_followed(owner, dns, settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    inside = Receiver()

    class Redirect(http.server.BaseHTTPRequestHandler):
        hits: list[str] = []

        def do_POST(self):  # noqa: N802 - the stdlib's name
            self.hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", inside.url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{redirector.server_port}/hook"
        webhook_endpoint_create(organization=owner.organization, url=url, events=[])
        (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.failed", data={})
        with pytest.raises(WebhookDeliveryFailed, match="HTTP 307"):
            webhook_deliver(delivery_id=delivery.id)
        assert Redirect.hits == ["/hook"]
        assert inside.requests == []
    finally:
        inside.close()
        redirector.shutdown()
        redirector.server_close()


def test_admin_applies_the_same_rule(owner, client, dns):
    from apps.accounts.models import User

    client.force_login(User.objects.create_superuser(email="root@zon.test", password="pw-root-12345"))
    add = "/admin/organizations/webhookendpoint/add/"
    form = {"organization": owner.organization.pk, "secret": "whsec_x", "events": '["scan.completed"]'}
    assert client.post(add, {**form, "url": "https://169.254.169.254/"}).status_code == 200  # form error
    assert not WebhookEndpoint.objects.exists()
    assert client.post(add, {**form, "url": "https://crm.example/in"}).status_code == 302
    assert WebhookEndpoint.objects.get().url == "https://crm.example/in"
