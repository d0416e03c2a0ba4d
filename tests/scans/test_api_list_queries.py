"""Issue 18: the scan list reads a page in a fixed number of queries, whatever its size, and never loads a
scan's inputs or report JSON (the heavy columns); the adjustments list likewise. A scan's detail is the key
and the scan, both unique lookups compiled without an ORDER BY."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.scans.conftest import make_scan

# the API key lookup; the page's rows with their adjustment counts and the list's total (COUNT(*) OVER ())
LIST_QUERIES = 2
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
        ]  # the rows come last (after the key and, for adjustments, their parent scan)
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


def test_the_total_comes_with_the_page_and_on_its_own_past_the_end(owner, completed):
    for _ in range(4):
        make_scan(owner.organization)
    client = owner.key_client()
    # 5 scans in pages of 2: pages 1-3 hold rows that carry the total; page 4 has none to carry it
    for page, rows in ((1, 2), (3, 1), (4, 0)):
        body = client.get(f"/v1/scans?page={page}&limit=2").json()
        assert (body["total"], body["totalPages"], len(body["items"])) == (5, 3, rows), page
    # past the end, the first row is read again for the total it carries
    assert len(_list_queries(client, "/v1/scans?page=4&limit=2")) == LIST_QUERIES + 1


def test_an_empty_list_totals_zero_without_a_count(outsider):
    client = outsider.key_client()
    assert client.get("/v1/scans").json() == {
        "items": [],
        "total": 0,
        "page": 1,
        "limit": 20,
        "totalPages": 0,
    }
    assert len(_list_queries(client, "/v1/scans")) == LIST_QUERIES
