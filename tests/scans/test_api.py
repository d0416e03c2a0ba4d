"""The /v1/scans endpoints: shapes from seeds/scans-api.txt, tenancy, share, adjustments, idempotency, quota."""

import pytest

from apps.dossiers.services import dossier_create
from apps.organizations.models import WebhookDelivery
from apps.scans.models import Scan, ScanUsage

from .conftest import MINIMAL_BODY, SEED_BODY, body, complete_scan, make_endpoint, make_scan

# FullReportDto keys of the seed's GET /v1/scans/:id example (seeds/scans-api.txt), nested.
SEED_REPORT = {
    "id": None,
    "status": None,
    "createdAt": None,
    "latitude": None,
    "longitude": None,
    "goal": None,
    "tariffType": None,
    "hasError": None,
    "overview": {
        "kpi": {
            "yearlyUsageKwh",
            "selfSufficiency",
            "selfSufficiencyBaseline",
            "selfSufficiencyImprovement",
            "yearlySavings",
            "returnPeriod",
        },
        "selfConsumption": {"selfConsumption", "selfSufficiency", "yearlyGridPurchaseKwh", "yearlyFeedInKwh"},
        "energyFlow": {
            "yearlyUsageKwh",
            "solarYearlyOutputKwh",
            "yearlyGridPurchaseKwh",
            "yearlyFeedInKwh",
            "directlyUsedSolarKwh",
            "batteryCapacityKwh",
        },
        "financialSummary": {
            "firstYearElectricityCost",
            "firstYearSavings",
            "totalOwnershipCost",
            "totalProjectSavings",
        },
        "lifecycleCostBreakdown": {
            "energyBill",
            "batteryInvestment",
            "replacementCost",
            "solarMaintenanceCost",
            "batteryMaintenanceCost",
            "feedInRevenue",
            "totalCost",
        },
    },
    "solar": {
        "existingSystems",
        "newSystems",
        "totalCapacityKwp",
        "totalYearlyOutputKwh",
        "peakOutputKw",
        "directConsumption",
        "toGrid",
        "hasSolarPanelsCurrently",
        "wantsNewSolarPanels",
    },
    "battery": {
        "specs": {
            "powerKw",
            "capacityKwh",
            "roundtripEfficiency",
            "minChargeLevel",
            "brandName",
            "modelName",
        },
        "performance": {"annualSavings", "cyclesPerYear", "stateOfHealth", "gridChargingEnabled"},
        "costs": {"purchaseCost", "replacementCost", "systemReturnPeriod"},
        "isFeasible": None,
        "wasRequested": None,
    },
    "electricityGrid": {
        "annualEnergySuppliedKwh",
        "annualEnergySuppliedKwhBau",
        "peakGridDemandKw",
        "peakGridDemandKwBau",
    },
    "financial": {
        "isPositiveOutcome": None,
        "netPresentValue": None,
        "investment": {
            "batteryPurchaseCost",
            "replacementCostNetPresentValue",
            "solarMaintenanceCost",
            "batteryMaintenanceCost",
            "totalInvestment",
            "totalInvestmentAfterIncentives",
        },
        "yearOne": {"energyBill", "feedInRevenue", "maintenanceCosts", "savingsVsBaseline"},
        "lifecycle": {"energyBill", "feedInRevenue", "totalCost", "savingsVsBaseline"},
        "parameters": {"evaluationPeriod", "discountRate", "baselineFirstYearCost", "baselineTotalCost"},
        "costComparison": {
            "firstYearBaseline",
            "firstYearOptimized",
            "projectedBaseline",
            "projectedOptimized",
        },
        "cashflowSummary": {"breakEvenYear", "endBalance", "avgAnnualReturn"},
    },
    "sustainability": {
        "energyBalance": {"totalConsumptionKwh", "solarProductionKwh", "gridPurchaseKwh", "gridFeedInKwh"},
        "co2Emissions": {
            "gridCarbonIntensity",
            "co2SavedTotalKg",
            "co2FromGridImportKg",
            "co2AvoidedByExportKg",
        },
        "selfSufficiency": {
            "renewableShare",
            "selfConsumption",
            "directlyUsedRenewableKwh",
            "netGridDependencyKwh",
        },
        "equivalents": {"treesEquivalent", "carKmAvoided", "flightsAvoided", "projectedCo2Savings"},
        "energyMix": {"ownGenerationKwh", "gridPurchaseKwh", "renewableShare"},
    },
    "isShared": None,
    "shareToken": None,
}
PV_SYSTEM_KEYS = {
    "name",
    "type",
    "roofDirection",
    "installedCapacityKwp",
    "panelCount",
    "panelPowerRatedWatts",
    "tiltDeg",
    "azimuthDeg",
    "losses",
    "lifetimeYears",
    "yearlyOutputKwh",
    "capacityFactor",
    "specificYieldKwhPerKwp",
    "co2SavedKg",
}
LIST_ITEM_KEYS = {
    "id",
    "status",
    "createdAt",
    "goal",
    "hasError",
    "errorMessage",
    "hasSeenReport",
    "selfSufficiency",
    "returnPeriod",
    "co2SavedKg",
    "isAdjustment",
    "adjustmentCount",
}
CHART_KEYS = {
    "consumption",
    "solarUsedOnsite",
    "solarExported",
    "solarStored",
    "solarWasted",
    "solarProduction",
    "gridUsedOnsite",
    "gridStored",
    "baselineGridConsumption",
    "batteryUsedOnsite",
    "batteryLevel",
    "batteryLevelKwh",
    "batteryLevelStats",
    "tariffType",
    "tariffRates",
    "labels",
    "intervalType",
    "startDate",
    "endDate",
    "simulatedYear",
    "monthlyEnergyCosts",
    "monthlyDemandCosts",
    "monthlyFixedCosts",
    "yearlyElectricityCost",
    "yearlyCashflows",
    "cumulativeCashflows",
    "monthlyCo2SavingsKg",
}


def _assert_shape(expected, actual, path="report"):
    if isinstance(expected, set):
        assert expected <= set(actual), f"{path}: missing {expected - set(actual)}"
        return
    assert set(expected) <= set(actual), f"{path}: missing {set(expected) - set(actual)}"
    for key, sub in expected.items():
        if sub is not None:
            _assert_shape(sub, actual[key], f"{path}.{key}")


# --- reading ----------------------------------------------------------------------------------------------


def test_completed_scan_is_the_full_report(owner, completed):
    report = owner.key_client().get(f"/v1/scans/{completed.id}").json()
    _assert_shape(SEED_REPORT, report)
    assert report["id"] == completed.id and report["status"] == "optimal" and report["hasError"] is False
    assert report["isShared"] is False and report["shareToken"] is None
    assert report["latitude"] == SEED_BODY["location"]["lat"] and report["goal"] == "self-sufficiency"
    for system in report["solar"]["existingSystems"] + report["solar"]["newSystems"]:
        assert PV_SYSTEM_KEYS <= set(system)
    assert report["solar"]["existingSystems"][0]["losses"] == 0.14  # seed: 14 % shown as 0.14
    assert report["solar"]["existingSystems"][0]["roofDirection"] == "south"
    assert {"accuracy", "scenarios", "paybackRange", "assumptions"} <= set(report)
    assert report["paybackRange"]["base"] is None or report["paybackRange"]["base"] > 0
    # Figures come from the result, and agree with one another.
    kpi, flow = report["overview"]["kpi"], report["overview"]["energyFlow"]
    assert flow["yearlyUsageKwh"] == kpi["yearlyUsageKwh"] > 0
    assert flow["solarYearlyOutputKwh"] > 0 and flow["batteryCapacityKwh"] > 0
    assert report["overview"]["selfConsumption"]["selfSufficiency"] == pytest.approx(
        100 * kpi["selfSufficiency"], abs=0.06
    )
    fin = report["financial"]
    assert fin["lifecycle"]["savingsVsBaseline"] == pytest.approx(
        fin["parameters"]["baselineTotalCost"] - fin["lifecycle"]["totalCost"], abs=0.02
    )
    assert report["sustainability"]["co2Emissions"]["gridCarbonIntensity"] > 0
    assert report["battery"]["specs"]["brandName"] == "Tesla"


def test_processing_scan_is_the_scan_dto(owner):
    scan = make_scan(owner.organization, status=Scan.Status.RUNNING)
    for path in (f"/v1/scans/{scan.id}", f"/v1/scans/{scan.id}/status"):
        body_ = owner.jwt_client().get(path).json()
        assert body_ == {
            "id": scan.id,
            "status": "processing",
            "errorMessage": None,
            "createdAt": body_["createdAt"],
        }


def test_error_scan_shows_its_message(owner):
    scan = make_scan(owner.organization, status=Scan.Status.ERROR, error_message="The goal cannot be met")
    body_ = owner.key_client().get(f"/v1/scans/{scan.id}").json()
    assert body_["status"] == "error" and body_["errorMessage"] == "The goal cannot be met"


def test_list_items_pagination_and_dossier_filter(owner, completed):
    dossier = dossier_create(organization=owner.organization, customer_name="Fam. Visser")
    in_dossier = make_scan(owner.organization, dossier=dossier)
    make_scan(owner.organization, status=Scan.Status.ERROR, error_message="failed")
    client = owner.key_client()
    page = client.get("/v1/scans", {"limit": 2}).json()
    assert set(page) == {"items", "total", "page", "limit", "totalPages"}
    assert (page["total"], page["limit"], page["totalPages"], len(page["items"])) == (3, 2, 2, 2)
    items = {item["id"]: item for item in client.get("/v1/scans").json()["items"]}
    assert all(LIST_ITEM_KEYS <= set(item) for item in items.values())
    done = items[completed.id]
    assert done["status"] == "completed" and done["hasError"] is False and done["isAdjustment"] is False
    assert done["selfSufficiency"] == completed.report["overview"]["kpi"]["self_sufficiency"]
    assert done["co2SavedKg"] > 0 and done["adjustmentCount"] == 0 and done["hasSeenReport"] is False
    filtered = client.get("/v1/scans", {"dossierId": dossier.id}).json()
    assert [item["id"] for item in filtered["items"]] == [in_dossier.id]


# --- tenancy --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["key_client", "jwt_client"])
def test_another_organization_gets_404_everywhere(completed, outsider, auth):
    client = getattr(outsider, auth)()
    base = f"/v1/scans/{completed.id}"
    for path in (base, f"{base}/status", f"{base}/breakdown", f"{base}/adjustments", f"{base}/branding"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    assert client.post(f"{base}/share").status_code == 404
    assert client.delete(f"{base}/share").status_code == 404
    assert client.delete(base).status_code == 404
    assert client.get("/v1/scans").json()["total"] == 0
    response = client.post("/v1/scans", body(copiedFromId=completed.id), format="json")
    assert response.status_code == 400 and "copiedFromId" in response.json()["errors"]
    assert Scan.objects.filter(pk=completed.id).exists()


def test_member_sees_the_organization_scans(completed, member):
    assert member.jwt_client().get(f"/v1/scans/{completed.id}").status_code == 200


def test_dossier_of_another_organization_is_400(owner, outsider, stub_broker):
    theirs = dossier_create(organization=outsider.organization, customer_name="Other")
    response = owner.key_client().post("/v1/scans", {**MINIMAL_BODY, "dossierId": theirs.id}, format="json")
    assert response.status_code == 400 and "dossierId" in response.json()["errors"]
    mine = dossier_create(organization=owner.organization, customer_name="Mine")
    response = owner.key_client().post("/v1/scans", {**MINIMAL_BODY, "dossierId": mine.id}, format="json")
    assert response.status_code == 201
    assert Scan.objects.get(pk=response.json()["id"]).dossier_id == mine.id


# --- anonymous access -----------------------------------------------------------------------------------


def test_anonymous_get_only_public_scans_and_throttled(anon, owner):
    public = make_scan(None)
    private = make_scan(owner.organization)
    assert anon.get(f"/v1/scans/{private.id}").status_code == 404  # organization scans need auth or a token
    assert anon.get(f"/v1/scans/{public.id}").status_code == 200
    assert anon.get(f"/v1/scans/{public.id}").json()["status"] == "processing"
    throttled = anon.get(f"/v1/scans/{public.id}")  # seed: anonymous 3 requests/min per IP
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled["Content-Type"] == "application/problem+json"
    # Authenticated callers are not throttled by it.
    for _ in range(5):
        assert owner.key_client().get(f"/v1/scans/{private.id}").status_code == 200


def test_anonymous_cannot_list_create_or_delete(anon, completed):
    assert anon.get("/v1/scans").status_code in (401, 403)
    assert anon.post("/v1/scans", MINIMAL_BODY, format="json").status_code in (401, 403)
    assert anon.delete(f"/v1/scans/{completed.id}").status_code in (401, 403)
    assert anon.get(f"/v1/scans/{completed.id}/status").status_code in (401, 403)


# --- breakdown ------------------------------------------------------------------------------------------


def test_breakdown_windows(owner, completed, seed_result):
    client = owner.key_client()
    url = f"/v1/scans/{completed.id}/breakdown"
    day = client.get(url).json()
    assert set(day) == CHART_KEYS
    assert day["intervalType"] == "day" and len(day["consumption"]) == 24 and len(day["labels"]) == 24
    assert day["startDate"] == "2026-12-31T23:00:00.000Z"  # 1 January 00:00 local standard time (UTC+1)
    assert len(day["batteryLevelStats"]) == 24 and set(day["tariffRates"][0]) == {"min", "max", "average"}
    week = client.get(url, {"interval": "week", "startDate": "2027-06-10"}).json()
    assert len(week["consumption"]) == 7 and week["labels"][0] == "2027-06-10"
    extended = client.get(url, {"interval": "week", "startDate": "2027-06-10", "extended": "true"}).json()
    assert len(extended["batteryLevel"]) == 168
    february = client.get(url, {"interval": "month", "startDate": "2027-02-14T00:00:00Z"}).json()
    assert len(february["consumption"]) == 28
    year = client.get(url, {"interval": "year"}).json()
    assert len(year["consumption"]) == 12
    # The monthly buckets add up to the year's energy (float32 storage: within 0.1 %); the hourly
    # consumption includes the battery's own standby draw.
    standby = seed_result.battery.standby_kwh_per_year if seed_result.battery is not None else 0.0
    assert sum(year["consumption"]) == pytest.approx(seed_result.yearly_usage_kwh + standby, rel=1e-3)
    assert sum(year["solarProduction"]) == pytest.approx(seed_result.total_pv_output_kwh, rel=1e-3)
    assert len(year["monthlyEnergyCosts"]) == 12 and len(year["yearlyCashflows"]) == 26


def test_breakdown_fields_filter_and_bad_parameters(owner, completed):
    client = owner.key_client()
    url = f"/v1/scans/{completed.id}/breakdown"
    only = client.get(url, {"fields": "consumption,solarProduction,batteryLevel"}).json()
    assert set(only) == {"consumption", "solarProduction", "batteryLevel"}
    for params, field in (
        ({"interval": "hour"}, "interval"),
        ({"fields": "nope"}, "fields"),
        ({"startDate": "yesterday"}, "startDate"),
    ):
        response = client.get(url, params)
        assert response.status_code == 400 and field in response.json()["errors"], params


def test_breakdown_of_unfinished_scan_is_409(owner):
    scan = make_scan(owner.organization)
    assert owner.key_client().get(f"/v1/scans/{scan.id}/breakdown").status_code == 409


# --- share ----------------------------------------------------------------------------------------------


def test_share_view_and_revoke(owner, completed, anon):
    endpoint = make_endpoint(owner.organization, "http://127.0.0.1:9/h", [])
    owner.organization.branding_enabled = True
    owner.organization.branding_display_name = "Zon & Co Installaties"
    owner.organization.save()
    client = owner.key_client()
    shared = client.post(f"/v1/scans/{completed.id}/share").json()
    assert shared["isShared"] is True and len(shared["shareToken"]) >= 40
    assert client.post(f"/v1/scans/{completed.id}/share").json() == shared  # idempotent
    assert client.get(f"/v1/scans/{completed.id}").json()["shareToken"] == shared["shareToken"]

    page = anon.get(f"/v1/scans/shared/{shared['shareToken']}")
    assert page.status_code == 200
    data = page.json()
    assert set(data) == {
        "scanId",
        "report",
        "chartData",
        "brandingLogo",
        "brandingDisplayName",
        "brandingEnabled",
    }
    assert data["scanId"] == completed.id and data["report"]["isShared"] is True
    _assert_shape(SEED_REPORT, data["report"])
    assert set(data["chartData"]) == CHART_KEYS
    assert (data["brandingEnabled"], data["brandingDisplayName"]) == (True, "Zon & Co Installaties")
    completed.refresh_from_db()
    assert completed.has_seen_report is True
    assert list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event_type", flat=True)) == [
        "share.viewed"
    ]
    listed = client.get("/v1/scans").json()["items"][0]
    assert listed["hasSeenReport"] is True

    revoked = client.delete(f"/v1/scans/{completed.id}/share").json()
    assert revoked == {"isShared": False, "shareToken": None}
    assert anon.get(f"/v1/scans/shared/{shared['shareToken']}").status_code == 410  # withdrawn, not unknown


def test_share_needs_paid_plan_and_completed_scan(owner, outsider, seed_result):
    free_scan = complete_scan(outsider.organization, seed_result)
    response = outsider.key_client().post(f"/v1/scans/{free_scan.id}/share")
    assert response.status_code == 402 and response["Content-Type"] == "application/problem+json"
    pending = make_scan(owner.organization)
    assert owner.key_client().post(f"/v1/scans/{pending.id}/share").status_code == 409


def test_unknown_share_token_is_404(anon, db):
    assert anon.get("/v1/scans/shared/not-a-token").status_code == 404


def test_branding(owner, completed):
    data = owner.key_client().get(f"/v1/scans/{completed.id}/branding").json()
    assert data == {"brandingLogo": None, "brandingDisplayName": "Zon & Co", "brandingEnabled": False}


def test_delete(owner, completed):
    client = owner.key_client()
    assert client.delete(f"/v1/scans/{completed.id}").status_code == 204
    assert client.get(f"/v1/scans/{completed.id}").status_code == 404
    assert not Scan.objects.filter(pk=completed.id).exists()


# --- adjustments ----------------------------------------------------------------------------------------


def test_adjustment_changes_an_allowed_step_for_free(outsider, seed_result, stub_broker):
    organization = outsider.organization  # free plan
    organization.monthly_scan_quota = 1
    organization.save()
    root = complete_scan(organization, seed_result)
    ScanUsage.objects.create(organization=organization, month=_month(), count=1)  # quota used up
    client = outsider.key_client()
    battery = {**SEED_BODY["electricBattery"], "capacityKwh": 6, "minCapacityKwh": 0}
    first = client.post("/v1/scans", {"copiedFromId": root.id, "electricBattery": battery}, format="json")
    assert first.status_code == 201, first.content
    adjustment = Scan.objects.get(pk=first.json()["id"])
    assert adjustment.copied_from_id == root.id and adjustment.counts_toward_quota is False
    assert adjustment.inputs["electric_battery"]["capacity_kwh"] == 6
    assert adjustment.inputs["yearly_kwh"] == root.inputs["yearly_kwh"]  # inherited
    # An adjustment of an adjustment resolves to the root original.
    Scan.objects.filter(pk=adjustment.pk).update(status=Scan.Status.COMPLETED)
    second = client.post("/v1/scans", {"copiedFromId": adjustment.id, "goal": "cost-savings"}, format="json")
    assert second.status_code == 201, second.content
    assert Scan.objects.get(pk=second.json()["id"]).copied_from_id == root.id
    assert ScanUsage.objects.get(organization=organization).count == 1
    listed = client.get(f"/v1/scans/{root.id}/adjustments").json()
    assert {item["id"] for item in listed} == {first.json()["id"], second.json()["id"]}
    assert all(item["isAdjustment"] for item in listed)
    root_item = next(i for i in client.get("/v1/scans").json()["items"] if i["id"] == root.id)
    assert root_item["adjustmentCount"] == 2


def test_adjustment_may_not_change_other_steps(owner, completed):
    response = owner.key_client().post(
        "/v1/scans",
        {"copiedFromId": completed.id, "location": {"lat": 51.0, "lon": 4.0}, "yearlyKwh": 5000},
        format="json",
    )
    assert response.status_code == 400
    assert {"location", "yearlyKwh"} <= set(response.json()["errors"])
    owner.organization.adjustable_steps = ["location"]
    owner.organization.save()
    response = owner.key_client().post(
        "/v1/scans", {"copiedFromId": completed.id, "electricBattery": None}, format="json"
    )
    assert response.status_code == 400 and "electricBattery" in response.json()["errors"]


def test_adjustment_needs_a_completed_parent(owner):
    pending = make_scan(owner.organization)
    response = owner.key_client().post(
        "/v1/scans", {"copiedFromId": pending.id, "goal": "cost-savings"}, format="json"
    )
    assert response.status_code == 400 and "copiedFromId" in response.json()["errors"]


# --- idempotency and quota ------------------------------------------------------------------------------


def _month():
    from django.utils import timezone

    return timezone.localtime().strftime("%Y-%m")


def test_idempotency_key(outsider, stub_broker):
    client = outsider.key_client()
    first = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="order-17")
    again = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="order-17")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Scan.objects.count() == 1
    assert ScanUsage.objects.get(organization=outsider.organization).count == 1  # counted once
    other = client.post(
        "/v1/scans", {**MINIMAL_BODY, "yearlyKwh": 4000}, format="json", HTTP_IDEMPOTENCY_KEY="order-17"
    )
    assert other.status_code == 409 and other["Content-Type"] == "application/problem+json"
    fresh = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="order-18")
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]


def test_idempotency_key_expires_after_24_hours(outsider, stub_broker):
    from datetime import timedelta

    from django.utils import timezone

    from apps.scans.models import IdempotencyRecord

    client = outsider.key_client()
    first = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="k")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]


def test_free_plan_monthly_quota(outsider, owner, stub_broker):
    outsider.organization.monthly_scan_quota = 2
    outsider.organization.save()
    client = outsider.key_client()
    assert [client.post("/v1/scans", MINIMAL_BODY, format="json").status_code for _ in range(2)] == [201, 201]
    refused = client.post("/v1/scans", MINIMAL_BODY, format="json")
    assert refused.status_code == 429
    problem = refused.json()
    assert problem["code"] == "quota_exceeded" and "2 scans per month" in problem["detail"]
    assert Scan.objects.filter(organization=outsider.organization).count() == 2
    # Deleting a scan does not give quota back.
    Scan.objects.filter(organization=outsider.organization).first().delete()
    assert client.post("/v1/scans", MINIMAL_BODY, format="json").status_code == 429
    from apps.scans.selectors import scan_usage_this_month

    usage = scan_usage_this_month(organization=outsider.organization)
    assert (usage.used, usage.quota, usage.remaining) == (2, 2, 0)
    assert scan_usage_this_month(organization=owner.organization).quota is None
    # Paid organizations have no monthly limit.
    owner.organization.monthly_scan_quota = 0
    owner.organization.save()
    assert owner.key_client().post("/v1/scans", MINIMAL_BODY, format="json").status_code == 201


def test_openapi_lists_the_scan_endpoints(client, db):
    paths = client.get("/v1/openapi.json").json()["paths"]
    assert {"/v1/scans", "/v1/scans/{id}", "/v1/scans/shared/{token}", "/v1/scans/{id}/breakdown"} <= set(
        paths
    )
