"""Studio profiles API: every endpoint's shape against the seed (../shared/seeds/studio-profiles-api.txt),
tenant isolation, the 400 rules, chart and CSV contents."""

import csv
import io

import pytest

from apps.studio.models import StudioLayer, StudioProfile

SUMMARY_KEYS = {
    "id",
    "name",
    "baseProfileType",
    "baseProfileName",
    "totalKwh",
    "peakKw",
    "totalExportKwh",
    "peakExportKw",
    "layerCount",
    "hasSolarLayer",
    "year",
    "lat",
    "lon",
    "userId",
    "organizationId",
    "createdAt",
    "updatedAt",
}
LIST_KEYS = SUMMARY_KEYS - {"lat", "lon", "userId", "organizationId", "createdAt"}


@pytest.fixture
def client(owner):
    return owner.key_client()


@pytest.fixture
def profile_id(client):
    created = client.post("/v1/studio-profiles", {}, format="json")
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    based = client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "stel"}, format="json")
    assert based.status_code == 201, based.content
    return pid


def test_create_defaults_and_shape(client, owner):
    first = client.post("/v1/studio-profiles", {}, format="json")
    assert first.status_code == 201
    body = first.json()
    assert set(body) == SUMMARY_KEYS
    # seed: name defaults to "Profiel N", lat/lon default 52.09/5.12
    assert body["name"] == "Profiel 1" and body["lat"] == 52.09 and body["lon"] == 5.12
    assert body["organizationId"] == owner.organization.id and len(body["id"]) == 25
    assert body["baseProfileType"] is None and body["layerCount"] == 0 and body["totalKwh"] == 0
    second = client.post(
        "/v1/studio-profiles", {"name": "Thuis", "year": 2026, "lat": 51.0, "lon": 4.4}, format="json"
    )
    assert second.json()["name"] == "Thuis" and second.json()["year"] == 2026
    assert client.post("/v1/studio-profiles", {}, format="json").json()["name"] == "Profiel 3"


def test_create_is_idempotent_with_a_key(client, outsider):
    first = client.post("/v1/studio-profiles", {"name": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/v1/studio-profiles", {"name": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    other = outsider.key_client().post("/v1/studio-profiles", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.json()["id"] != first.json()["id"]
    assert client.get("/v1/studio-profiles").json()["total"] == 1


def test_jwt_create_sets_user(owner):
    body = owner.jwt_client().post("/v1/studio-profiles", {"name": "x"}, format="json").json()
    assert body["userId"] == str(owner.user.pk)


def test_list_is_paginated_and_light(client, profile_id, django_assert_max_num_queries):
    client.post("/v1/studio-profiles", {"name": "Leeg"}, format="json")
    listed = client.get("/v1/studio-profiles", {"limit": 1})
    assert listed.status_code == 200
    body = listed.json()
    assert set(body) == {"items", "total", "page", "limit", "totalPages"}
    assert body["total"] == 2 and body["limit"] == 1 and body["totalPages"] == 2
    assert set(body["items"][0]) == LIST_KEYS
    full = client.get("/v1/studio-profiles").json()["items"]
    based = next(item for item in full if item["id"] == profile_id)
    assert based["baseProfileType"] == "template" and based["baseProfileName"] == "Stel"
    assert based["totalKwh"] == pytest.approx(3200, abs=0.5)


def test_list_query_does_not_load_arrays(owner, profile_id):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        owner.key_client().get("/v1/studio-profiles")
    select = next(
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "studio_studioprofile"' in q["sql"] and "LIMIT" in q["sql"]
    )
    for column in ("base_data", "result", "export_result", "production_result", "base_export"):
        assert f'"{column}"' not in select


def test_presets(client):
    body = client.get("/v1/studio-profiles/presets").json()
    assert {t["id"] for t in body["templates"]} == {
        "alleenstaand",
        "stel",
        "thuiswerkers-kinderen",
        "groot-gezin",
    }
    stel = next(t for t in body["templates"] if t["id"] == "stel")
    # seed example: stel, "Tweepersoonshuishouden, standaard verbruik", 3200 kWh, icon Users
    assert stel == {
        "id": "stel",
        "label": "Stel",
        "description": "Tweepersoonshuishouden, standaard verbruik",
        "annualKwh": 3200,
        "icon": "Users",
    }
    presets = {p["id"]: p for p in body["layerPresets"]}
    assert set(presets) == {"ev", "warmtepomp", "zwembad", "custom", "solar"}
    ev = presets["ev"]
    # seed example: EV preset name/icon/color/maxKw and its 24-value defaultHourlyKw
    assert (
        ev["name"] == "Elektrische auto"
        and ev["icon"] == "Car"
        and ev["color"] == "energy"
        and ev["maxKw"] == 7
    )
    assert ev["defaultHourlyKw"][7] == 0.5 and ev["defaultHourlyKw"][17:20] == [1, 1, 1]
    for preset in presets.values():
        assert len(preset["defaultHourlyKw"]) == 24
        assert len(preset["defaultSchedule"]) == 7 and all(
            len(row) == 12 for row in preset["defaultSchedule"]
        )


def test_fetch_complete(client, profile_id):
    client.post(f"/v1/studio-profiles/{profile_id}/layers", {"presetId": "custom"}, format="json")
    body = client.get(f"/v1/studio-profiles/{profile_id}").json()
    assert SUMMARY_KEYS <= set(body)
    assert {"sourceType", "name", "templateId", "annualKwh", "annualExportKwh"} <= set(body["baseline"])
    assert body["baseline"]["templateId"] == "stel" and len(body["baseline"]["data"]) == 8760
    layer = body["layers"][0]
    assert {"id", "name", "type", "enabled", "icon", "color", "schedule", "maxKw", "solarConfig"} <= set(
        layer
    )
    assert layer["type"] == "custom" and len(layer["data"]) == 8760 and len(layer["hourlyKw"]) == 24
    assert len(body["result"]) == 8760 and len(body["exportResult"]) == 8760
    assert sum(body["result"]) == pytest.approx(body["totalKwh"], abs=0.05)


def test_rename_duplicate_delete(client, profile_id):
    renamed = client.patch(f"/v1/studio-profiles/{profile_id}", {"name": "Mijn thuisprofiel"}, format="json")
    assert renamed.status_code == 200 and set(renamed.json()) == SUMMARY_KEYS
    assert renamed.json()["name"] == "Mijn thuisprofiel"
    assert client.patch(f"/v1/studio-profiles/{profile_id}", {"name": "  "}, format="json").status_code == 400
    client.post(f"/v1/studio-profiles/{profile_id}/layers", {"presetId": "ev"}, format="json")

    copy = client.post(f"/v1/studio-profiles/{profile_id}/duplicate", {}, format="json")
    assert copy.status_code == 201 and set(copy.json()) == SUMMARY_KEYS
    copied = copy.json()
    # seed: the name defaults to "{original name} (kopie)"
    assert copied["name"] == "Mijn thuisprofiel (kopie)" and copied["id"] != profile_id
    assert copied["totalKwh"] == renamed.json()["totalKwh"] or copied["layerCount"] == 1
    original = client.get(f"/v1/studio-profiles/{profile_id}").json()
    duplicate = client.get(f"/v1/studio-profiles/{copied['id']}").json()
    assert (
        duplicate["result"] == original["result"]
        and duplicate["layers"][0]["id"] != original["layers"][0]["id"]
    )
    named = client.post(f"/v1/studio-profiles/{profile_id}/duplicate", {"name": "Variant"}, format="json")
    assert named.json()["name"] == "Variant"

    assert client.delete(f"/v1/studio-profiles/{profile_id}").status_code == 204
    assert not StudioProfile.objects.filter(pk=profile_id).exists()
    assert not StudioLayer.objects.filter(profile_id=profile_id).exists()
    assert client.get(f"/v1/studio-profiles/{copied['id']}").status_code == 200


def test_layers_add_update_remove_recompute(client, profile_id):
    base_total = client.get(f"/v1/studio-profiles/{profile_id}").json()["totalKwh"]
    added = client.post(
        f"/v1/studio-profiles/{profile_id}/layers",
        {"presetId": "ev", "name": "Tesla", "evConfig": {"dailyConsumptionKwh": 10, "chargerPowerKw": 11}},
        format="json",
    )
    assert added.status_code == 201 and set(added.json()) == SUMMARY_KEYS
    assert added.json()["layerCount"] == 1
    # 1 car × 10 kWh × 365 driving days (preset schedule: every day) is delivered → +3650 kWh
    assert added.json()["totalKwh"] == pytest.approx(base_total + 3650, abs=1)
    layer_id = client.get(f"/v1/studio-profiles/{profile_id}").json()["layers"][0]["id"]

    updated = client.patch(
        f"/v1/studio-profiles/{profile_id}/layers/{layer_id}",
        {"evConfig": {"dailyConsumptionKwh": 20}},
        format="json",
    )
    assert updated.status_code == 200 and set(updated.json()) == SUMMARY_KEYS
    assert updated.json()["totalKwh"] == pytest.approx(base_total + 7300, abs=1)
    disabled = client.patch(
        f"/v1/studio-profiles/{profile_id}/layers/{layer_id}", {"enabled": False}, format="json"
    )
    assert disabled.json()["totalKwh"] == pytest.approx(base_total, abs=0.01)
    assert disabled.json()["layerCount"] == 1

    solar = client.post(
        f"/v1/studio-profiles/{profile_id}/layers",
        {
            "presetId": "solar",
            "solarConfig": {"panelCount": 12, "panelPowerWatts": 400, "tilt": 35, "azimuth": 180},
        },
        format="json",
    )
    assert solar.status_code == 201
    body = solar.json()
    assert body["hasSolarLayer"] is True and body["totalExportKwh"] > 0 and body["totalKwh"] < base_total
    full = client.get(f"/v1/studio-profiles/{profile_id}").json()
    solar_layer = next(layer for layer in full["layers"] if layer["type"] == "solar")
    config = solar_layer["solarConfig"]
    assert config["systemCapacityKw"] == pytest.approx(4.8)
    # Dutch south-facing 35° PV yields roughly 800–1000 kWh/kWp per year (KNMI/PVGIS order of magnitude)
    assert 800 * 4.8 < config["annualProductionKwh"] < 1000 * 4.8
    # energy balance of services.combine: import − export = base − base export + loads − production
    balance = sum(full["result"]) - sum(full["exportResult"])
    assert balance == pytest.approx(base_total - config["annualProductionKwh"], abs=1)

    removed = client.delete(f"/v1/studio-profiles/{profile_id}/layers/{solar_layer['id']}")
    assert removed.status_code == 200 and removed.json()["hasSolarLayer"] is False
    assert removed.json()["totalKwh"] == pytest.approx(base_total, abs=0.01)
    assert removed.json()["totalExportKwh"] == 0


def test_roof_surfaces(client, profile_id):
    response = client.post(
        f"/v1/studio-profiles/{profile_id}/layers",
        {
            "presetId": "solar",
            "solarConfig": {
                "roofSurfaces": [
                    {"id": "oost", "panelCount": 6, "panelPowerWatts": 400, "tilt": 30, "azimuth": 90},
                    {"id": "west", "panelCount": 6, "panelPowerWatts": 400, "tilt": 30, "azimuth": 270},
                ]
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    config = client.get(f"/v1/studio-profiles/{profile_id}").json()["layers"][0]["solarConfig"]
    east, west = config["roofSurfaces"]
    assert east["systemCapacityKw"] == pytest.approx(2.4) and config["systemCapacityKw"] == pytest.approx(4.8)
    assert config["annualProductionKwh"] == pytest.approx(
        east["annualProductionKwh"] + west["annualProductionKwh"], abs=0.2
    )


def test_save_full_state(client, profile_id):
    data = [0.5] * 8760
    layer_data = [0.1] * 8760
    saved = client.put(
        f"/v1/studio-profiles/{profile_id}",
        {
            "studioState": {
                "baseProfile": {
                    "type": "custom",
                    "name": "Eigen",
                    "annualKwh": 4380,
                    "data": data,
                    "exportData": [],
                },
                "layers": [
                    {
                        "id": "x",
                        "type": "custom",
                        "name": "Sauna",
                        "enabled": True,
                        "config": None,
                        "data": layer_data,
                    },
                    {
                        "type": "ev_charger",
                        "name": "Auto",
                        "enabled": False,
                        "config": {"evConfig": {"count": 2}},
                    },
                ],
                "result": [0] * 8760,
            },
            "year": 2027,
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert set(body) == SUMMARY_KEYS and body["year"] == 2027 and body["layerCount"] == 2
    # 0.5 + 0.1 kWh every hour (the disabled EV layer does not count): 0.6 × 8760 = 5256 kWh
    assert body["totalKwh"] == pytest.approx(5256, abs=0.5) and body["peakKw"] == pytest.approx(0.6, abs=1e-4)
    full = client.get(f"/v1/studio-profiles/{profile_id}").json()
    assert full["baseline"]["sourceType"] == "custom" and full["baseline"]["exportData"] is None
    ev = next(layer for layer in full["layers"] if layer["type"] == "ev_charger")
    assert ev["evConfig"]["count"] == 2 and ev["enabled"] is False and len(ev["data"]) == 8760

    short = client.put(
        f"/v1/studio-profiles/{profile_id}",
        {"studioState": {"baseProfile": {"type": "custom", "data": [1, 2, 3]}}},
        format="json",
    )
    assert short.status_code == 400 and "studioState.baseProfile.data" in short.json()["errors"]
    two_solar = client.put(
        f"/v1/studio-profiles/{profile_id}",
        {
            "studioState": {
                "baseProfile": {"type": "template", "templateId": "stel"},
                "layers": [{"type": "solar"}, {"type": "solar"}],
            }
        },
        format="json",
    )
    assert two_solar.status_code == 400 and two_solar.json()["code"] == "duplicate_solar_layer"
    assert client.get(f"/v1/studio-profiles/{profile_id}").json()["totalKwh"] == pytest.approx(5256, abs=0.5)


def test_chart_views(client, profile_id):
    week = client.get(f"/v1/studio-profiles/{profile_id}/chart", {"view": "week", "index": 0})
    assert week.status_code == 200
    body = week.json()
    assert len(body["labels"]) == 168 and len(body["baseline"]) == 168 and len(body["combined"]) == 168
    assert body["labels"][0].startswith(f"{body['year']}-01-01T00:00")
    month = client.get(f"/v1/studio-profiles/{profile_id}/chart", {"view": "month", "index": 1}).json()
    assert len(month["labels"]) == 28 and month["resolution"] == "day"
    year = client.get(f"/v1/studio-profiles/{profile_id}/chart", {"view": "year"}).json()
    assert len(year["combined"]) == 12
    # the year view's monthly sums add up to the profile's total
    total = client.get(f"/v1/studio-profiles/{profile_id}").json()["totalKwh"]
    assert sum(year["combined"]) == pytest.approx(total, abs=0.05)
    assert year["totals"]["combined"] == pytest.approx(total, abs=0.01)
    client.post(f"/v1/studio-profiles/{profile_id}/layers", {"presetId": "solar"}, format="json")
    production = client.get(
        f"/v1/studio-profiles/{profile_id}/chart", {"view": "production", "subView": "month", "index": 5}
    ).json()
    assert (
        len(production["combined"]) == 30
        and sum(production["combined"]) > 0
        and production["subView"] == "month"
    )
    export = client.get(f"/v1/studio-profiles/{profile_id}/chart", {"view": "export"}).json()
    assert sum(export["combined"]) == pytest.approx(
        client.get(f"/v1/studio-profiles/{profile_id}").json()["totalExportKwh"], abs=0.05
    )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"view": "day"},
        {"view": "week", "index": 52},
        {"view": "month", "index": 12},
        {"view": "week", "index": -1},
    ],
)
def test_chart_400(client, profile_id, query):
    response = client.get(f"/v1/studio-profiles/{profile_id}/chart", query)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")


def test_export_csv(client, profile_id):
    client.post(f"/v1/studio-profiles/{profile_id}/layers", {"presetId": "warmtepomp"}, format="json")
    total = client.get(f"/v1/studio-profiles/{profile_id}").json()["totalKwh"]
    response = client.get(f"/v1/studio-profiles/{profile_id}/export-csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 8760
    assert rows[0]["timestamp"].endswith("-01-01T00:00:00+01:00") and rows[-1]["timestamp"].endswith(
        "-12-31T23:00:00+01:00"
    )
    assert sum(float(r["consumption_kwh"]) for r in rows) == pytest.approx(total, abs=0.01)


def test_base_template_rules(client):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    unknown = client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "kasteel"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_template"
    assert client.post(f"/v1/studio-profiles/{pid}/base", {}, format="json").status_code == 400
    scaled = client.post(
        f"/v1/studio-profiles/{pid}/base", {"templateId": "stel", "annualKwh": 3500}, format="json"
    )
    # seed example: stel with annualKwh 3500 rescales the template
    assert scaled.status_code == 201 and scaled.json()["totalKwh"] == pytest.approx(3500, abs=0.5)


def test_layer_rules(client):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    no_base = client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "ev"}, format="json")
    assert no_base.status_code == 400 and no_base.json()["code"] == "base_profile_required"
    client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "alleenstaand"}, format="json")
    assert (
        client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "sauna"}, format="json").json()["code"]
        == "unknown_preset"
    )
    assert (
        client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "ev"}, format="json").status_code == 201
    )
    second_ev = client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "ev"}, format="json")
    assert second_ev.status_code == 400 and second_ev.json()["code"] == "duplicate_ev_layer"
    assert (
        client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "solar"}, format="json").status_code
        == 201
    )
    second_solar = client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "solar"}, format="json")
    assert second_solar.status_code == 400 and second_solar.json()["code"] == "duplicate_solar_layer"
    bad = [
        {"presetId": "custom", "schedule": [[True] * 12] * 6},
        {"presetId": "custom", "hourlyKw": [1] * 23},
        {"presetId": "custom", "hourlyKw": [-1] * 24},
        {"presetId": "custom", "maxKw": -1},
        {"presetId": "custom", "evConfig": {"count": 1}},
        {"presetId": "zwembad", "solarConfig": {"tilt": 30}},
    ]
    for body in bad:
        response = client.post(f"/v1/studio-profiles/{pid}/layers", body, format="json")
        assert response.status_code == 400, body
    profile = client.get(f"/v1/studio-profiles/{pid}").json()
    assert profile["layerCount"] == 2
    ev_id = next(layer["id"] for layer in profile["layers"] if layer["type"] == "ev_charger")
    for body in (
        {"evConfig": {"arrivalHour": 24}},
        {"evConfig": {"chargerPowerKw": 0}},
        {"solarConfig": {"tilt": 10}},
    ):
        response = client.patch(f"/v1/studio-profiles/{pid}/layers/{ev_id}", body, format="json")
        assert response.status_code == 400, body
    assert (
        client.patch(
            f"/v1/studio-profiles/{pid}/layers/cnotalayer000000000000000", {}, format="json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("auth", ["key_client", "jwt_client"])
def test_outsider_gets_404_everywhere(owner, outsider, auth):
    client = owner.key_client()
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "stel"}, format="json")
    client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "custom"}, format="json")
    layer_id = StudioLayer.objects.get(profile_id=pid).id
    before = StudioProfile.objects.get(pk=pid)
    other = getattr(outsider, auth)()
    base = f"/v1/studio-profiles/{pid}"
    calls = [
        ("get", base, None),
        ("get", base + "/chart?view=year", None),
        ("get", base + "/export-csv", None),
        ("post", base + "/duplicate", {}),
        ("post", base + "/base", {"templateId": "stel"}),
        ("post", base + "/layers", {"presetId": "ev"}),
        ("patch", base + f"/layers/{layer_id}", {"enabled": False}),
        ("delete", base + f"/layers/{layer_id}", None),
        ("patch", base, {"name": "gekaapt"}),
        ("put", base, {"studioState": {"baseProfile": None, "layers": []}}),
        ("delete", base, None),
    ]
    for method, url, body in calls:
        response = (
            getattr(other, method)(url, body, format="json")
            if body is not None
            else getattr(other, method)(url)
        )
        assert response.status_code == 404, (method, url, response.status_code)
    upload = other.post(base + "/base/upload", {"file": io.BytesIO(b"x")}, format="multipart")
    assert upload.status_code == 404
    assert other.get("/v1/studio-profiles").json()["total"] == 0
    after = StudioProfile.objects.get(pk=pid)
    assert (after.name, after.total_kwh, after.layer_count) == (
        before.name,
        before.total_kwh,
        before.layer_count,
    )


def test_member_sees_the_organizations_profiles(owner, member):
    pid = owner.key_client().post("/v1/studio-profiles", {}, format="json").json()["id"]
    assert member.jwt_client().get(f"/v1/studio-profiles/{pid}").status_code == 200


def test_anonymous_is_rejected(anon):
    assert anon.get("/v1/studio-profiles").status_code in (401, 403)


def test_admin_pages(owner, profile_id, admin_client):
    owner.key_client().post(f"/v1/studio-profiles/{profile_id}/layers", {"presetId": "ev"}, format="json")
    assert admin_client.get("/admin/studio/studioprofile/").status_code == 200
    assert admin_client.get(f"/admin/studio/studioprofile/{profile_id}/change/").status_code == 200


def test_empty_profile_chart_and_csv_400(client):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    for url in (f"/v1/studio-profiles/{pid}/chart?view=year", f"/v1/studio-profiles/{pid}/export-csv"):
        response = client.get(url)
        assert response.status_code == 400 and response.json()["code"] == "base_profile_required"
    assert client.get(f"/v1/studio-profiles/{pid}").json()["baseline"] is None
