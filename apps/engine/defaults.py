"""Every default the engine uses: a named constant with its unit and its source.

Two sections, each owned by one part of the engine. Numbers shown to homeowners come from here, so each
constant names where it comes from (a published figure, a regulation, or a stated assumption).
"""

# --- Physical: time base, weather, PV, load, CO2 -------------------------------------------------------

# Time base --------------------------------------------------------------------------------------------
REFERENCE_YEAR = 2025
"""Calendar of the modelled year [year]: non-leap, so exactly 8760 hours; sets weekdays and holidays.
Assumption (any non-leap year works; 2025 is recent and starts on a Wednesday)."""

TIMEZONE = "Etc/GMT-1"
"""Local standard time UTC+1 without daylight saving [tz name] (POSIX sign convention: GMT-1 = UTC+1).
Design §4: Europe/Amsterdam without DST shifts."""

UTC_OFFSET_HOURS = 1
"""Offset of the time base from UTC [h]."""

# Weather: grid, providers ----------------------------------------------------------------------------
DEFAULT_WEATHER_SOURCE = "offline"
"""Weather provider used when none is configured ["offline" | "pvgis"]. Design §4."""

WEATHER_GRID_DEG = 0.1
"""Weather is computed and cached per location rounded to this grid [degrees] (~11 km north-south);
irradiation varies far less than that across such a cell. Assumption."""

WEATHER_MEMO_SIZE = 64
"""Locations kept in the in-process weather memo [count]. Assumption."""

PVGIS_URL = "https://re.jrc.ec.europa.eu/api/v5_3/"
"""PVGIS API base; the TMY tool is at ``<base>tmy`` [URL]. Source: JRC PVGIS API documentation."""

PVGIS_TIMEOUT_S = 30.0
"""Timeout of one PVGIS request [s]. Same as pvlib.iotools.get_pvgis_tmy's default."""

# Weather: measured years (KNMI De Bilt) -------------------------------------------------------------
REFERENCE_STATION_LAT = 52.10
REFERENCE_STATION_LON = 5.18
REFERENCE_STATION_ALTITUDE_M = 2.0
"""KNMI station 260 De Bilt [degrees, degrees, m above sea level], where the built-in weather was measured.
Source: KNMI station list (260 De Bilt, 52.100 N 5.180 E, 1.9 m)."""

DEFAULT_WEATHER_YEAR = 2023
"""Measured weather year of a scan when its price year has no weather of its own [year]. 2023's De Bilt
irradiation (1,096 kWh/m2) is the nearest of 2021-2024 to their mean (1,091 kWh/m2), and a real year keeps
the hour-by-hour joint behaviour of sun and prices that a month-by-month typical year (ISO 15927-4) spliced
from only four candidate years would break at every month boundary. Choice; the spread over all four
years is reported next to it."""

CLEAR_SKY_INDEX_MIN_CLEAR_W_M2 = 20.0
"""Below this clear-sky GHI [W/m2] (the sun within a few degrees of the horizon) an hour takes its day's
clear-sky index instead of its own ratio, which is dominated by noise there. Assumption."""

CLEAR_SKY_INDEX_MAX = 1.4
"""Upper bound of the hourly clear-sky index carried to other locations [-]: cloud enhancement lets an
hour exceed the clear sky by up to ~30-40 % (e.g. Gueymard 2017, Renew. Sust. Energy Rev. 74). Assumption."""

DNI_CLEAR_SKY_MARGIN = 1.05
"""Decomposed DNI is capped at this multiple of the clear-sky DNI [-]. Assumption."""

# PV ------------------------------------------------------------------------------------------------------
DEFAULT_SYSTEM_LOSSES_PCT = 14.0
"""DC system losses (soiling, shading, mismatch, wiring, connections, LID, nameplate, availability) [%].
Source: NREL PVWatts v5 default (Dobos 2014, NREL/TP-6A20-62641); also the PVGIS default."""

PV_GAMMA_PDC_PER_K = -0.0037
"""Temperature coefficient of DC power [1/K] (-0.37 %/K). Source: typical crystalline-silicon datasheets;
PVWatts v5 'standard' module uses -0.47 %/K, current mono-PERC/TOPCon modules -0.30..-0.37 %/K."""

PV_INVERTER_EFFICIENCY = 0.96
"""Nominal inverter efficiency [-]. Source: PVWatts v5 default (Dobos 2014)."""

PV_DC_AC_RATIO = 1.1
"""DC nameplate over inverter AC rating [-]. Assumption typical of Dutch residential systems (PVWatts v5
default is 1.2; clipping is negligible at Dutch irradiances either way)."""

PV_ALBEDO = 0.2
"""Ground reflectance [-]. Source: common default for grass/urban surroundings (pvlib, PVGIS)."""

PV_FAIMAN_U0 = 25.0
PV_FAIMAN_U1 = 6.84
"""Faiman heat-loss coefficients for open-rack modules [W/m2/K] and [W/m2/K/(m/s)].
Source: pvlib.temperature.faiman defaults (Faiman 2008; PVsyst-equivalent)."""

PV_IAM_MODEL = "physical"
"""Incidence-angle modifier for beam irradiance (Fresnel/absorption of flat glass). Source: PVWatts v5
uses the same physical (De Soto/Sjerps-Koomen) model (Dobos 2014)."""

# Load ----------------------------------------------------------------------------------------------------
# The load profile's public holidays follow the scan's calendar year and country:
# apps.engine.load.public_holidays (the `holidays` package; NL without Good Friday).

HOUSEHOLD_LOAD_SEED = 4000
"""Seed of the stochastic single-household load profile [-]: fixed, so a scan is reproducible.
Assumption."""

# Stochastic single-household profile: calibrated (see apps/engine/load.py) so that hourly simulation
# reproduces the HTW Berlin 'Unabhängigkeitsrechner' (Weniger/Quaschning, HTW Berlin,
# https://solar.htw-berlin.de/rechner/unabhaengigkeitsrechner/): 4000 kWh/yr, 1 kWp/MWh at 1024
# kWh/kWp → self-sufficiency 30.5 % without battery and 55.5 % with 1 kWh/MWh usable battery.
LOAD_BASE_SHARE = 0.25
"""Share of the expected load that is steady base load (fridge, standby, ventilation) [-]."""

LOAD_APPLIANCE_SHARE = 0.4
"""Share of the expected load drawn as discrete appliance events (washing, dishwasher, oven, kettle,
dryer) [-]. Calibration parameter."""

LOAD_APPLIANCE_EVENT_KWH = 1.0
"""Mean energy of one appliance event [kWh] (a 60 °C wash ~1 kWh, a dishwasher run ~1 kWh).
Source: Milieu Centraal appliance figures; used as calibration parameter."""

LOAD_REFERENCE_HOME_KWH = 4000.0
"""Yearly consumption at which appliance events have their nominal size [kWh/yr]; the household shape
is built for this home and scaled to the scan's yearly kWh. Assumption (HTW's reference household)."""

LOAD_APPLIANCE_EVENT_SHAPE = 2.0
"""Gamma shape of one appliance event's energy [-] (2: most runs near the mean, few twice as large).
Assumption."""

LOAD_NOISE_MAX = 4.0
"""Cap of the hourly behavioural noise factor [-], so that no hour exceeds what a home can draw.
Assumption."""

LOAD_NOISE_SIGMA = 0.6
LOAD_NOISE_CORRELATION = 0.5
"""Multiplicative lognormal noise on the remaining (behavioural) load: log standard deviation [-] and
hour-to-hour lag-1 correlation [-]. Calibration parameters."""

LOAD_DAY_SIGMA = 0.2
LOAD_DAY_CORRELATION = 0.5
"""Day-to-day activity factor of the household: log standard deviation [-] and lag-1 correlation [-]
(days away, busy days). Calibration parameters."""

HTW_REFERENCE_YIELD_KWH_PER_KWP = 1024.0
"""Specific yield behind the HTW Unabhängigkeitsrechner [kWh/kWp/yr] (its German reference site);
used to compare at equal PV energy. Source: HTW Berlin, Weniger/Quaschning, Unabhängigkeitsrechner."""

HTW_SELF_SUFFICIENCY_NO_BATTERY = 0.305
"""HTW result for 4000 kWh/yr, 4 kWp, no battery [-]. Source: HTW Unabhängigkeitsrechner."""

HTW_SELF_SUFFICIENCY_WITH_BATTERY = 0.555
"""HTW result for 4000 kWh/yr, 4 kWp, 4 kWh usable battery [-]. Source: HTW Unabhängigkeitsrechner."""

# CO2 -----------------------------------------------------------------------------------------------------
GRID_CARBON_INTENSITY_KG_PER_KWH = 0.374
"""Average CO2 emission of Dutch grid electricity including chain emissions [kg CO2/kWh]: 300 g/kWh
at production plus 74 g/kWh upstream, for the 2021 Dutch production mix. Source: CE Delft for
CO2emissiefactoren.nl, 'Ketenemissies elektriciteit. Actualisatie elektriciteitsmix 2021' (2023)."""

TREE_KG_CO2_PER_YEAR = 22.0
"""CO2 taken up by one mature tree in a year [kg CO2/tree/yr]: the widely quoted 48 lb (~22 kg) per
mature tree (e.g. Arbor Day Foundation; real uptake varies strongly with species, age and site).
Also the factor implied by the scans API example (330 kg/yr ↔ 15 trees)."""

CAR_KG_CO2_PER_KM = 0.183
"""CO2 of one kilometre in an average petrol car [kg CO2/km]: 2.74 kg CO2 per litre of Dutch E95 petrol
(well-to-wheel, CO2emissiefactoren.nl) x 1 litre per 15 km (assumed consumption)."""

FLIGHT_KG_CO2 = 125.0
"""CO2 per passenger of one return flight Amsterdam-London [kg CO2/flight]: 1 tonne CO2 ≈ 8 such return
flights. Source: energievergelijk.nl 'CO2-uitstoot' (citing PBL/EEA per-passenger figures)."""

# (end of physical section)

# --- Economic: tariffs, battery, sizing, finance, scenarios --------------------------------------------
ENGINE_VERSION = "0.4.0"
"""Version of the engine's sizing and finance model, stored with every result so that results of
different engines can be told apart [semver]. Rule: it changes whenever results can change (a default, a
formula, the search, a data file): bump the minor version and append the new (version, fingerprint) pair
to tests/engine/data/engine_fingerprint.json — tests/engine/test_engine_version.py fails when the
outputs on its fixed cases change and the version does not. 0.3.0: typed results (issue 17); 0.4.0: the
Belgian capacity tariff as billed (issue 12.4)."""

# Calendar and regulation ----------------------------------------------------------------------------
DEFAULT_FIRST_OPERATING_YEAR = 2027
"""Calendar year of analysis year 1 when the caller gives none [year]: a scan made in 2026 is installed
and billed from 2027 on. Assumption; the Django layer passes the year after the scan's creation."""

NL_NET_METERING_LAST_YEAR = 2026
"""Last calendar year with the Dutch salderingsregeling (annual net metering) [year]. Source: Wet
afschaffing salderingsregeling, adopted by the Eerste Kamer on 18 Feb 2025; netting ends 1 Jan 2027."""

NL_FEED_IN_FLOOR_FRACTION = 0.5
"""Minimum feed-in compensation as a fraction of the bare supply price after net metering ends [-].
Source: Kamerstuk 36611 (Wet beëindiging salderingsregeling), nr. D, Nota naar aanleiding van het verslag
(Eerste Kamer, 6 Dec 2024), §1: the amendment Grinwis c.s. fixes the 'redelijke vergoeding' until
1 January 2030 at at least 50 % of the agreed supply price excluding taxes ('kale leveringstarief'), and
'deze minimumvergoeding zal gelden voor elk type contract'. On a dynamic contract the agreed supply price
is the hourly one (day-ahead + supplier markup), so the floor is applied hour by hour (our reading)."""

NL_FEED_IN_FLOOR_YEARS = (2027, 2029)
"""First and last calendar year the feed-in floor applies [year]. Source: as above ('tot 1 januari
2030', the years 2027, 2028 and 2029)."""

# Taxes and tariff components ---------------------------------------------------------------------------
NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR = {2025: 0.10154, 2026: 0.09161}
"""Dutch energy tax on electricity, first bracket, per calendar year [EUR/kWh, excl. VAT]. Sources:
Belastingdienst 'Tabellen tarieven milieubelastingen' 2025 (0.10154) and 2026 (0.09161, Belastingplan
2026). The 2027 rate was not published when this table was made (Nov 2026): years after the last known
one use it, and the finance escalates every bill with the price escalation. Check yearly."""

NL_ENERGY_TAX_EUR_PER_KWH = NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR[max(NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR)]
"""The latest known Dutch energy tax [EUR/kWh, excl. VAT] (the rate of years after the table)."""

NL_VAT = 0.21
"""Dutch VAT on electricity [-]. Source: Wet OB 1968, general rate."""

BE_VAT = 0.06
"""Belgian VAT on residential electricity [-]. Source: Belgian federal law of 2023, 6 % permanent for
households since 1 April 2023."""

BE_EXCISE_EUR_PER_KWH = 0.0503
"""Belgian federal excise (bijzondere accijns) on residential electricity, first 3 MWh [EUR/kWh, excl.
VAT]. Source: FOD Financiën excise tariffs 2025 (approximate; check yearly)."""

BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR = {2023: 40.4, 2026: 53.39}
"""Flemish capacity tariff (capaciteitstarief, 'gemiddelde maandpiek') per calendar year, the average over
the Flemish distribution areas [EUR/kW/yr, excl. VAT]. Sources: 2023: Fluvius FAQ 'capaciteitstarief
gezinnen en kleine ondernemingen' (https://www.fluvius.be/nl/veelgestelde-vragen/capaciteitstarief-gezinnen-
kleine-ondernemingen: 'In 2023 betaal je voor 1 kW op jaarbasis gemiddeld over Vlaanderen ongeveer 40,4
euro excl. btw'); 2026: Vlaamse Nutsregulator (VNR, formerly VREG), page 'capaciteitstarief'
(https://www.vlaamsenutsregulator.be/elektriciteit-en-aardgas/nettarieven/capaciteitstarief, update of
23 April 2026): Flemish average 53.39 EUR/kW/yr excl. VAT (4.45 per month). The 2026 tariff sheets per
area ('<area> - 2026 - ELEK', row 'Gemiddelde maandpiek', VNR page 'Hoeveel bedragen de
distributienettarieven') give 49.05 (Fluvius Limburg), 49.40 (Antwerpen), 50.12 (Midden-Vlaanderen), 54.20
(Imewo), 56.04 (Halle-Vilvoorde), 56.12 (Zenne-Dijle), 56.21 (Kempen) and 57.10 (West); a scan that knows
its area passes its own rate (``TariffInput.capacity_tariff_eur_per_kw_year``). The 2026 figures were
read as quoted, with their VNR source, in public code that uses them (e.g. the Home Assistant integration
johan71gent/ha-capacity-tariff); the VNR pages themselves could not be opened when this table was made
(offline), so check them yearly. 2024 and 2025 averages are not in this table: no citable figure was
found, and no scan operates in those years. As with the Dutch energy tax, a year uses the latest known
rate at or before it (the 2027 sheets were not published) and the finance escalates every bill after
that."""

BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR = BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR[
    max(BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR)
]
"""The latest known Flemish capacity tariff [EUR/kW/yr, excl. VAT] (2026; used for later years)."""

BE_CAPACITY_TARIFF_FLOOR_KW = 2.5
"""Minimum monthly peak billed by the capacity tariff [kW]: each month's peak is raised to it before the
12-month mean. Source: VREG tariff methodology 2021-2024 and 2025-2028 (Fluvius: 'Rekenkundig gemiddelde
van de Max(Maandpiek(m), 2,5)')."""

BE_QUARTER_HOUR_PEAK_FACTOR = 1.1
"""Billed monthly peak over the highest hourly-mean import of the month [-]. The grid operator bills the
highest quarter-hour average power of each month, which is at least the highest hourly mean (an hour is
the mean of its four quarters); the engine works in hours, so it bills factor x its hourly peak.
Calibration (assumption, not a measured ratio): no published ratio of household quarter-hour to hourly
peaks was found, and no full-year 15-minute Fluvius export is available offline. The factor is therefore
fitted so that the engine's own hourly household (``load.household_profile``, 3,500 kWh/yr, seeds
4000-4005: mean monthly hourly peak 3.90-4.24 kW, 3.94 for the default seed) bills what the regulator
states for that household: VREG's reference household of 3,500 kWh/yr has a 'gemiddelde maandpiek' of
4.28 kW (VREG on the 2024 distribution tariffs, Trends/Knack Dec 2023,
https://trends.knack.be/geld/consumeren/energiefactuur-voor-een-gezin-stijgt-met-45-euro-in-2024/), and
the average over ~470,000 Flemish digital meters was 4.37 kW (VREG newsletter 16 Jan 2023, quoted at
https://futech.be/betaalt-u-onder-capaciteitstarief-meer-voor-pieken-boven-25-kw/); 4.28 / 3.94 = 1.09 and
4.37 / 3.94 = 1.11, rounded to 1.1. It corrects the engine's hourly model, not any hourly series: a
measured hourly meter profile is smoother than the modelled household, so its real ratio is likely higher
(household kettles and ovens draw 2-3 kW for minutes). Overridable per scan
(``TariffInput.capacity_peak_factor``); a scan with a 15-minute export can bill its quarter-hours directly
(``apps.engine.capacity.billed_peaks_from_quarter_hours``)."""

DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH = 0.02
"""Supplier surcharge on the day-ahead price for dynamic contracts [EUR/kWh, excl. VAT]. Assumption
in the 1.5-2.5 ct range published by Dutch dynamic suppliers in 2025."""

DYNAMIC_FEED_IN_FEE_EUR_PER_KWH = 0.015
"""Deducted from the day-ahead price for exported energy on dynamic contracts [EUR/kWh]. Assumption
in the 1-2 ct range of Dutch dynamic suppliers in 2025."""

DEFAULT_FEED_IN_COST_EUR_PER_KWH = 0.10
"""Per-kWh feed-in cost (terugleverkosten) of a FIXED contract when the caller gives none [EUR/kWh
exported, incl. VAT]. Typical published values: Vattenfall from July 2025 EUR 330 for 3,300 kWh exported
= 0.10 (Tweakers, May 2025); Eneco 0.115 for contracts from June 2024 (Consumentenbond, May 2024);
Greenchoice 0.11616 (1 year) and 0.12705 (2-3 years) from June 2024 (Kassa, June 2024). The lower end is
taken; shown in the assumptions and overridable per scan (0 for a contract without such costs)."""

DEFAULT_FEED_IN_COST_DYNAMIC_EUR_PER_KWH = 0.0
"""Per-kWh feed-in cost of a DYNAMIC contract when the caller gives none [EUR/kWh]: the supplier's costs
are in the feed-in fee deducted from the day-ahead price (``DYNAMIC_FEED_IN_FEE_EUR_PER_KWH``), so no
second charge is assumed."""

DEFAULT_FIXED_PRICE_EUR_PER_KWH = 0.28
DEFAULT_FIXED_FEED_IN_EUR_PER_KWH = 0.05
"""A fixed-price contract when the caller gives none, and the fixed-contract column of a dynamic scan's
comparison [EUR/kWh, incl. energy tax and VAT]: import 0.28, feed-in 0.05. Assumption (2025): Dutch
fixed/variable offers incl. taxes were about 0.25-0.30 EUR/kWh and feed-in compensations after net metering
a few cents; the report states these figures whenever they are used."""

DEFAULT_FIXED_MONTHLY_EUR = 0.0
"""Fixed monthly costs (standing charge, grid connection) when none are given [EUR/month]. They are
the same with and without the new system, so they change bills but never savings. Assumption."""

# Battery ---------------------------------------------------------------------------------------------------
DEFAULT_BATTERY_ROUNDTRIP_EFFICIENCY_PCT = 90.0
"""AC round-trip efficiency of a home battery when none is given [%]. Source: datasheets of current
residential LFP systems (88-92 %)."""

DEFAULT_BATTERY_MIN_CHARGE_PCT = 10.0
"""Minimum state of charge when none is given [% of capacity]. Assumption (typical reserve setting)."""

DEFAULT_BATTERY_LIFE_YEARS = 15
"""Calendar life of a home battery before replacement [years]. Source: typical 10-15 year warranties
of LFP home batteries; the upper end, combined with the fade below."""

BATTERY_CAPACITY_FADE_PER_YEAR = 0.02
"""Loss of usable capacity per year of age [fraction of new capacity/yr]: ~70 % left after 15 years,
the usual end-of-warranty figure. Source: LFP warranty terms (70 % after 10-15 years); assumption."""

BATTERY_CAPACITY_FADE_LOW_HIGH = (0.01, 0.03)
"""Optimistic and pessimistic capacity fade for the payback range [fraction/yr]. Assumption."""

BATTERY_REPLACEMENT_COST_FRACTION = 1.0
"""Replacement cost as a fraction of today's battery purchase cost [-]. Assumption: no price decline
is assumed (honest default; falling prices would only help)."""

BATTERY_COST_EUR_PER_KW = 0.0
"""Cost per kW of battery power [EUR/kW]. The seed prices batteries per kWh only, so power is free within
its range and the sizing takes the largest allowed power. Assumption."""

DEFAULT_BATTERY_COST_EUR_PER_KWH = 450.0
"""Cost of a home battery per kWh of capacity when none is given [EUR/kWh], on top of the fixed
installation cost below. Source: 2025 Dutch installer prices for 5-10 kWh LFP systems, roughly
500-800 EUR/kWh all-in; split as 450 EUR/kWh + 1,000 EUR fixed this gives 650 EUR/kWh at 5 kWh and
550 EUR/kWh at 10 kWh (year 2025; re-check against quotes yearly)."""

BATTERY_INSTALLATION_FIXED_EUR = 1000.0
"""Fixed cost of installing a home battery, whatever its size [EUR, incl. VAT]: electrician's labour,
(hybrid) inverter or AC coupling, cabling, energy-management set-up. Year 2025. Assumption: the fixed
share of Dutch installer quotes (see DEFAULT_BATTERY_COST_EUR_PER_KWH); small batteries cost far more per
kWh than large ones because of it. Overridable per scan (``electricBattery.fixedCostEur``)."""

BATTERY_STANDBY_W = 30.0
"""Own consumption of a home battery system, all year, for its battery management, inverter standby and
control [W] (30 W = 263 kWh/yr). Source: HTW Berlin 'Stromspeicher-Inspektion' (2023-2025), which measures
the standby draw of home storage systems: typically about 20-50 W (175-440 kWh/yr); the middle is used.
Modelled as an extra household load while a battery is installed, served like any load (solar, battery,
grid). Overridable per scan (``electricBattery.standbyW``)."""

BATTERY_MAX_C_RATE = 1.0
"""Highest battery power per kWh of capacity [kW/kWh] a home battery delivers: the power used is
min(powerRatingKw, this x capacity). Source: datasheets of current home batteries range from about
0.3 C (HomeWizard Plug-In Battery 2.7 kWh / 0.8 kW; Sessy 5 kWh / 2.2 kW) to about 1 C (BYD Battery-Box
HVS, ~1 C; Tesla Powerwall 3 13.5 kWh / 11.5 kW = 0.85 C); the upper end is used so no real product is
excluded, while a 2 kWh battery is never credited with 5 kW."""

DEFAULT_PV_COST_EUR_PER_KWP = 850.0
"""Cost of residential PV per kWp when none is given [EUR/kWp, incl. VAT], on top of the fixed cost
below. Source: Milieu Centraal 2025 (about 1,000-1,300 EUR/kWp all-in for 3-5 kWp systems); split as
850 EUR/kWp + 1,000 EUR fixed this gives 1,183 EUR/kWp at 3 kWp, 1,100 at 4 kWp and 1,050 at 5 kWp."""

PV_INSTALLATION_FIXED_EUR = 1000.0
"""Fixed cost of a new PV installation, whatever the panel count [EUR, incl. VAT]: inverter,
scaffolding or roof access, a new group in the meter cupboard and the grid registration. Year 2025.
Assumption: the fixed share of Dutch installer quotes (see DEFAULT_PV_COST_EUR_PER_KWP). Charged once
when any new panel is installed. Overridable per scan (``pvFixedCostEur``)."""

PV_LIFETIME_YEARS = 25
"""Technical life of PV panels reported to the homeowner [years]. Source: standard 25-year performance
warranties."""

# Finance ---------------------------------------------------------------------------------------------------
DEFAULT_ANALYSIS_YEARS = 25
ANALYSIS_YEARS_RANGE = (10, 30)
"""Analysis period: default and allowed range [years]. Source: seed API (analysisYears 10-30, default 25)."""

DEFAULT_DISCOUNT_RATE = 0.05
"""Nominal discount rate [-/yr]. Source: design §4 (default 5 %)."""

DEFAULT_PRICE_ESCALATION = 0.02
"""Yearly escalation of all electricity prices [-/yr]: follows the ECB 2 % inflation target, no real
price rise assumed. Assumption (honest middle)."""

PRICE_ESCALATION_LOW_HIGH = (0.0, 0.04)
"""Low and high price escalation for the payback range [-/yr]. Assumption."""

OM_ESCALATION = 0.02
"""Yearly escalation of maintenance costs [-/yr]: inflation. Assumption."""

PV_DEGRADATION_PER_YEAR = 0.005
"""Yearly loss of PV output [-/yr]. Source: design §4; Jordan & Kurtz, NREL 2013 (median ~0.5 %/yr)."""

PV_OM_EUR_PER_KW_YEAR = 18.0
"""PV maintenance when enabled [EUR/kWp/yr]. Source: seed API (REopt default O&M ~18 $/kW/yr)."""

BATTERY_OM_FRACTION_PER_YEAR = 0.025
"""Battery maintenance when enabled [fraction of battery capex/yr]. Source: seed API (2.5 %/yr)."""

# Sizing ------------------------------------------------------------------------------------------------------
BATTERY_CAPACITY_STEP_KWH = 0.1
"""Resolution of the chosen battery capacity [kWh]. Assumption."""

SELF_SUFFICIENCY_TOLERANCE = 0.005
"""For the self-sufficiency goal: designs whose grid import is within this fraction of the yearly load of
the minimum are considered equal and the cheapest is chosen [-]. Assumption (lexicographic epsilon)."""

GRID_SEARCH_MAX_COMBINATIONS = 400
"""Above this many panel-count combinations of the new PV arrays the sizing switches from enumeration to
coordinate search [count]. Assumption (keeps run time bounded)."""

NEW_PV_MAX_ARRAYS = 6
NEW_PV_MAX_PANELS_PER_ARRAY = 60
NEW_PV_MAX_PANELS_TOTAL = 180
"""Bounds of a scan's search space: new PV arrays per scan [count], maxPanelCount of one array [panels],
sum of maxPanelCount over the arrays [panels]. The sizing is exact within them; the request validation
rejects anything larger. Assumption (a large detached house has up to ~60 panels on one roof face)."""

SIZING_PROOF_TOLERANCE = 1e-5
"""The exact panel search stops when the best design found is within this fraction of the proven lower
bound on the cost [-]: 0.001 % (about 1 ct/yr on a 1,000 EUR/yr cost). Assumption (run time)."""

SIZING_PROOF_MAX_ROUNDS = 200
"""Most cutting-plane rounds of the exact panel search before it falls back to coordinate search
[count]. Assumption (run time; realistic layouts close in far fewer)."""

LOCAL_SEARCH_CAPACITY_SHIFT_KWH = 0.5
"""Capacity shift tried with each panel move in the battery search's last neighbourhood [kWh].
Assumption (checked against exhaustive grids in tests/engine/test_sizing_exact.py)."""

# (end of economic section)

EXISTING_PV_SCALE_RANGE = (0.5, 1.5)
"""Bounds of the factor that calibrates the existing PV's simulated yearly production to a measured one
(measured / simulated) [-]. A factor outside them points at a wrong array description or a bad meter
rather than at weather or shading, so it is clipped and a warning is reported. Assumption."""

MAX_EXPORT_KWH_PER_KWP = 1500.0
"""Upper bound of a yearly export per installed kWp of existing PV [kWh/kWp/yr], checked on the request
before any simulation: Dutch/Belgian yields are 850-1,000 kWh/kWp (KNMI/PVGIS), times the upper bound of
EXISTING_PV_SCALE_RANGE (1.5). A bill above it cannot come from the described panels. Assumption."""
