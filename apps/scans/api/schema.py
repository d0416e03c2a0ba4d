"""OpenAPI components for the scan read shapes that are built as dicts, not serializers.

FullReportDto, the breakdown (chartData), branding and the shared-scan envelope follow the seed's
examples (seeds/scans-api.txt) key by key; objects stay open (`additionalProperties`) because the report
grows, and the product's additions to the seed are marked `x-extension: true`.
A postprocessing hook (`add_scan_components`) registers them; the views refer to them with `ref(name)`.
"""

NUMBER = {"type": "number"}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
BOOLEAN = {"type": "boolean"}
EXTENSION = {"x-extension": True, "description": "Extension to the seed API."}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, *, nullable: bool = False, required: list[str] | None = None, **extra) -> dict:
    """An object whose listed properties are all present (unless `required` says otherwise)."""
    schema = {"type": "object", "properties": properties, **extra}
    required = list(properties) if required is None else required
    if required:  # OpenAPI 3.0: `required` must not be empty
        schema["required"] = required
    if nullable:
        schema["nullable"] = True
    return schema


def numbers(*names: str, nullable: tuple[str, ...] = ()) -> dict:
    return {name: NULLABLE_NUMBER if name in nullable else NUMBER for name in names}


def array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def extension(schema: dict) -> dict:
    return {**schema, **EXTENSION}


PV_SYSTEM = obj(
    {
        "name": STRING,
        "type": {"type": "string", "enum": ["existing", "new"]},
        "roofDirection": STRING,
        **numbers("installedCapacityKwp"),
        "panelCount": INTEGER,
        **numbers("panelPowerRatedWatts", "tiltDeg", "azimuthDeg"),
        "losses": {"type": "number", "description": "DC system losses as a fraction (0.14 = 14 %)."},
        "lifetimeYears": INTEGER,
        **numbers("yearlyOutputKwh", "capacityFactor", "specificYieldKwhPerKwp", "co2SavedKg"),
    }
)

BATTERY = obj(
    {
        "specs": obj(
            {
                **numbers("powerKw", "capacityKwh", "roundtripEfficiency", "minChargeLevel"),
                "brandName": NULLABLE_STRING,
                "modelName": NULLABLE_STRING,
            },
            nullable=True,
        ),
        "performance": obj(
            {
                **numbers("annualSavings", "cyclesPerYear", "stateOfHealth", nullable=("stateOfHealth",)),
                "gridChargingEnabled": BOOLEAN,
            },
            nullable=True,
        ),
        "costs": obj(
            {
                **numbers(
                    "purchaseCost", "replacementCost", "systemReturnPeriod", nullable=("systemReturnPeriod",)
                )
            },
            nullable=True,
        ),
        "isFeasible": BOOLEAN,
        "wasRequested": BOOLEAN,
    },
    description=(
        "Always present. `wasRequested` false: no battery was asked for, and specs/performance/costs are "
        "null. Requested but not worth buying: capacity 0 and isFeasible false."
    ),
)

FULL_REPORT = obj(
    {
        "id": STRING,
        "status": {"type": "string", "enum": ["optimal"]},
        "createdAt": {"type": "string", "format": "date-time", "example": "2026-02-10T12:00:00.000Z"},
        "latitude": NUMBER,
        "longitude": NUMBER,
        "goal": STRING,
        "tariffType": {"type": "string", "enum": ["flat", "dynamic"]},
        "hasError": BOOLEAN,
        "overview": obj(
            {
                "kpi": obj(
                    numbers(
                        "yearlyUsageKwh",
                        "selfSufficiency",
                        "selfSufficiencyBaseline",
                        "selfSufficiencyImprovement",
                        "yearlySavings",
                        "returnPeriod",
                        nullable=("returnPeriod",),
                    )
                ),
                "selfConsumption": obj(
                    numbers("selfConsumption", "selfSufficiency", "yearlyGridPurchaseKwh", "yearlyFeedInKwh")
                ),
                "energyFlow": obj(
                    numbers(
                        "yearlyUsageKwh",
                        "solarYearlyOutputKwh",
                        "yearlyGridPurchaseKwh",
                        "yearlyFeedInKwh",
                        "directlyUsedSolarKwh",
                        "batteryCapacityKwh",
                    )
                ),
                "financialSummary": obj(
                    numbers(
                        "firstYearElectricityCost",
                        "firstYearSavings",
                        "totalOwnershipCost",
                        "totalProjectSavings",
                    )
                ),
                "lifecycleCostBreakdown": obj(
                    numbers(
                        "energyBill",
                        "batteryInvestment",
                        "replacementCost",
                        "solarMaintenanceCost",
                        "batteryMaintenanceCost",
                        "feedInRevenue",
                        "totalCost",
                    )
                ),
            }
        ),
        "solar": obj(
            {
                "existingSystems": array(PV_SYSTEM),
                "newSystems": array(PV_SYSTEM),
                **numbers(
                    "totalCapacityKwp", "totalYearlyOutputKwh", "peakOutputKw", "directConsumption", "toGrid"
                ),
                "hasSolarPanelsCurrently": BOOLEAN,
                "wantsNewSolarPanels": BOOLEAN,
            }
        ),
        "battery": BATTERY,
        "electricityGrid": obj(
            numbers(
                "annualEnergySuppliedKwh",
                "annualEnergySuppliedKwhBau",
                "peakGridDemandKw",
                "peakGridDemandKwBau",
            )
        ),
        "financial": obj(
            {
                "isPositiveOutcome": BOOLEAN,
                "netPresentValue": NUMBER,
                "investment": obj(
                    numbers(
                        "batteryPurchaseCost",
                        "replacementCostNetPresentValue",
                        "solarMaintenanceCost",
                        "batteryMaintenanceCost",
                        "totalInvestment",
                        "totalInvestmentAfterIncentives",
                    )
                ),
                "yearOne": obj(
                    numbers("energyBill", "feedInRevenue", "maintenanceCosts", "savingsVsBaseline")
                ),
                "lifecycle": obj(numbers("energyBill", "feedInRevenue", "totalCost", "savingsVsBaseline")),
                "parameters": obj(
                    {
                        "evaluationPeriod": INTEGER,
                        **numbers("discountRate", "baselineFirstYearCost", "baselineTotalCost"),
                    }
                ),
                "costComparison": obj(
                    numbers(
                        "firstYearBaseline", "firstYearOptimized", "projectedBaseline", "projectedOptimized"
                    )
                ),
                "cashflowSummary": obj(
                    {
                        "breakEvenYear": {"type": "integer", "nullable": True},
                        **numbers("endBalance", "avgAnnualReturn", nullable=("avgAnnualReturn",)),
                    }
                ),
            }
        ),
        "sustainability": obj(
            {
                "energyBalance": obj(
                    numbers("totalConsumptionKwh", "solarProductionKwh", "gridPurchaseKwh", "gridFeedInKwh")
                ),
                "co2Emissions": obj(
                    numbers(
                        "gridCarbonIntensity",
                        "co2SavedTotalKg",
                        "co2FromGridImportKg",
                        "co2AvoidedByExportKg",
                    )
                ),
                "selfSufficiency": obj(
                    numbers(
                        "renewableShare",
                        "selfConsumption",
                        "directlyUsedRenewableKwh",
                        "netGridDependencyKwh",
                    )
                ),
                "equivalents": obj(
                    numbers("treesEquivalent", "carKmAvoided", "flightsAvoided", "projectedCo2Savings")
                ),
                "energyMix": obj(numbers("ownGenerationKwh", "gridPurchaseKwh", "renewableShare")),
            }
        ),
        "accuracy": extension({"type": "object"}),
        "scenarios": extension(array({"type": "object"})),
        "paybackRange": extension({"type": "object"}),
        "assumptions": extension({"type": "object", "description": "Every assumption behind the figures."}),
        "isShared": BOOLEAN,
        "shareToken": NULLABLE_STRING,
    },
    required=[
        "id",
        "status",
        "createdAt",
        "goal",
        "overview",
        "solar",
        "battery",
        "electricityGrid",
        "financial",
        "sustainability",
        "isShared",
        "shareToken",
    ],
    description="The full report of a completed scan (GET /v1/scans/:id once its status is optimal).",
)

_STATS = obj(numbers("min", "max", "average"))
_SERIES = array(NUMBER)

BREAKDOWN = obj(
    {
        "consumption": _SERIES,
        "solarUsedOnsite": _SERIES,
        "solarExported": _SERIES,
        "solarStored": _SERIES,
        "solarWasted": _SERIES,
        "solarProduction": _SERIES,
        "gridUsedOnsite": _SERIES,
        "gridStored": _SERIES,
        "baselineGridConsumption": _SERIES,
        "batteryUsedOnsite": _SERIES,
        "batteryLevel": {**_SERIES, "description": "Mean state of charge per bucket [% of capacity]."},
        "batteryLevelStats": {**array(_STATS), "description": "State of charge per bucket [%]."},
        "batteryLevelKwh": extension({**_SERIES, "description": "Mean energy stored per bucket [kWh]."}),
        "tariffType": {"type": "string", "nullable": True, "enum": ["flat", "dynamic", None]},
        "tariffRates": {**array(_STATS), "description": "Import price per bucket [EUR/kWh]."},
        "labels": array(STRING),
        "intervalType": {"type": "string", "enum": ["day", "week", "month", "year"]},
        "startDate": {
            "type": "string",
            "format": "date-time",
            "description": (
                "Start of the window in the simulated year (UTC, e.g. 2027-01-15T00:00:00.000Z). A "
                "requested startDate of any year is mapped to the same calendar day of the simulated year."
            ),
        },
        "endDate": {"type": "string", "format": "date-time", "description": "End of the window (exclusive)."},
        "simulatedYear": extension({"type": "integer", "description": "The year the series simulate."}),
        "monthlyEnergyCosts": {**_SERIES, "nullable": True},
        "monthlyDemandCosts": {**_SERIES, "nullable": True},
        "monthlyFixedCosts": {**_SERIES, "nullable": True},
        "yearlyElectricityCost": NULLABLE_NUMBER,
        "yearlyCashflows": {**_SERIES, "nullable": True},
        "cumulativeCashflows": {**_SERIES, "nullable": True},
        "monthlyCo2SavingsKg": {**_SERIES, "nullable": True},
    },
    required=[],
    description="Chart series of one window; the `fields` query parameter keeps only the listed keys.",
)

BRANDING = obj(
    {"brandingLogo": NULLABLE_STRING, "brandingDisplayName": NULLABLE_STRING, "brandingEnabled": BOOLEAN}
)

SHARED_SCAN = obj(
    {
        "scanId": STRING,
        "report": ref("FullReportDto"),
        "chartData": ref("Breakdown"),
        **BRANDING["properties"],
    }
)

COMPONENTS = {
    "FullReportDto": FULL_REPORT,
    "Breakdown": BREAKDOWN,
    "Branding": BRANDING,
    "SharedScan": SHARED_SCAN,
}


def _list_bounds(serializer) -> dict[str, int]:
    """camelCase name → max_length of the serializer's `many=True` fields (drf-spectacular omits them)."""
    from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
    from rest_framework.serializers import ListSerializer

    return {
        camelize_re.sub(underscore_to_camel, name): field.max_length
        for name, field in serializer.fields.items()
        if isinstance(field, ListSerializer) and field.max_length is not None
    }


def add_scan_components(result, generator, request, public):
    """drf-spectacular postprocessing hook: register the dict-built scan shapes, state the array bounds of
    the scan request (6 newPv arrays, …)."""
    from apps.scans.api.serializers import ScanCreateSerializer

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    properties = schemas.get("ScanCreate", {}).get("properties", {})
    for name, limit in _list_bounds(ScanCreateSerializer()).items():
        if name in properties:
            properties[name]["maxItems"] = limit
    return result
