"""Issue 18: authentication records an API key's last use at most once a minute, never on every request,
and workers that find the record stale at the same moment write it once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.organizations.keys import split_prefix
from apps.organizations.models import ApiKey
from apps.organizations.services import LAST_USED_RESOLUTION, api_key_touch


def _key(owner) -> ApiKey:
    return ApiKey.objects.get(organization=owner.organization, prefix=split_prefix(owner.api_key))


def _key_updates(client, times: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        for _ in range(times):
            assert client.get("/v1/scans").status_code == 200
    return sum(q["sql"].startswith('UPDATE "organizations_apikey"') for q in captured.captured_queries)


def test_last_use_is_written_once_for_a_burst_of_requests(owner):
    client = owner.key_client()
    assert _key_updates(client, 5) == 1  # the first use; the next four are within the minute
    first = _key(owner).last_used_at
    assert first is not None
    assert _key_updates(client, 5) == 0
    assert _key(owner).last_used_at == first


def test_last_use_is_written_again_once_the_minute_has_passed(owner):
    client = owner.key_client()
    client.get("/v1/scans")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ApiKey.objects.filter(pk=_key(owner).pk).update(last_used_at=an_hour_ago)
    assert _key_updates(client, 3) == 1
    assert _key(owner).last_used_at > timezone.now() - LAST_USED_RESOLUTION


def test_a_worker_holding_a_stale_copy_does_not_overwrite_a_fresh_record(owner):
    stale_copy = _key(owner)  # read by a second worker before the first one wrote
    api_key_touch(api_key=_key(owner))
    written = _key(owner).last_used_at
    api_key_touch(api_key=stale_copy)  # its copy says "due"; the row says "just written"
    assert _key(owner).last_used_at == written
