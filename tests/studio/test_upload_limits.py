"""Issue 15.4: a meter file of many short lines (10^6 lines in 22 MB passed the byte limit and held a web
worker past its 30 s timeout) is refused before parsing, with a 400 that names the line limit."""

import io

from apps.studio.meterfiles import MAX_FILE_BYTES, MAX_FILE_LINES


def test_a_million_line_upload_is_refused_naming_the_limit(owner):
    client = owner.key_client()
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    line = b"2024-01-01 00:00,0.123\n"  # 23 bytes, the file shape
    content = b"timestamp,kwh\n" + line * 1_000_000
    assert len(content) < MAX_FILE_BYTES  # the byte limit alone lets it through
    file = io.BytesIO(content)
    file.name = "meter.csv"
    response = client.post(f"/v1/studio-profiles/{pid}/base/upload", {"file": file}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_large"
    assert f"{MAX_FILE_LINES:,}" in body["detail"]
