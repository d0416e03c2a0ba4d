"""Issue 18: the scan list reads a page in a fixed number of queries, whatever its size, and never loads a
scan's inputs or report JSON (the heavy columns); the adjustments list likewise. A scan's detail is the key
and the scan, both unique lookups compiled without an ORDER BY."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.scans.conftest import make_scan

# the API key lookup; the page's COUNT(*); the page's rows with their adjustment counts
LIST_QUERIES = 3
# the API key lookup; the scan (its report was marked seen on the first read, which is not counted)
DETAIL_QUERIES = 2


def _list_queries(client, path: str) -> list[str]:
    client.get(path)  # the key's first use records last_used_at (at most once a minute): not counted here
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_page_costs_the_same_queries_for_one_or_twenty_scans(owner, completed):
    client = owner.key_client()
    one = _list_queries(client, "/v1/scans")
    for _ in range(19):
        make_scan(owner.organization, copied_from=completed)
    twenty = _list_queries(client, "/v1/scans")
    assert len(one) == len(twenty) == LIST_QUERIES
    page = client.get("/v1/scans").json()
    assert page["total"] == 20  # the completed scan and its 19 adjustments
    counts = {item["id"]: item["adjustmentCount"] for item in page["items"]}
    assert counts.pop(completed.id) == 19 and set(counts.values()) == {0}


def test_list_rows_leave_the_inputs_and_report_unread(owner, completed):
    make_scan(owner.organization, copied_from=completed)
    client = owner.key_client()
    for path in ("/v1/scans", f"/v1/scans/{completed.id}/adjustments"):
        rows = _list_queries(client, path)[
            -1
        ]  # the list's rows come last (after the key, count, parent scan)
        assert 'FROM "scans_scan"' in rows and '"scans_scan"."co2_saved_kg"' in rows, rows
        assert '"scans_scan"."inputs"' not in rows and '"scans_scan"."report"' not in rows, rows


def test_a_scan_detail_is_two_unordered_unique_lookups(owner, completed, outsider):
    client = owner.key_client()
    queries = _list_queries(client, f"/v1/scans/{completed.id}")
    assert len(queries) == DETAIL_QUERIES
    assert all("ORDER BY" not in sql for sql in queries), queries
    assert (
        outsider.key_client().get(f"/v1/scans/{completed.id}").status_code == 404
    )  # still the tenant's only
