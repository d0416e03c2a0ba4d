"""Named limits and assumptions of the meter-file parser (units in brackets)."""

from __future__ import annotations

from datetime import timedelta, timezone

# Largest accepted upload [bytes]. A year of Fluvius quarter-hour data with four registers is 140 160 rows
# of ~125 bytes, ~17.5 MB (more with the Omschrijving column filled), so 20 MB would turn away real
# one-year files; 40 MB admits two years (the most recent is used) and parses in ~1.5 s.
MAX_FILE_BYTES = 40 * 1024 * 1024  # 40 MiB
# Most lines accepted [lines]: a year of 1-minute readings is 525 600 lines, two years 1 051 200; a Fluvius
# quarter-hour year with four registers 140 160. A 10^6-line minute file (29 MB) parses in ~1.5 s CPU
# (benchmarks/meterfiles_bench.py, issue 18's bar is 3 s); beyond this, short lines would pass the byte limit
# and keep a web worker busy for long (issue 15).
MAX_FILE_LINES = 1_100_000

# Engine time base: 8760 hourly values of a non-leap year in local standard time (UTC+1, no DST).
HOURS_PER_YEAR = 8760
DAYS_PER_YEAR = 365
STANDARD_TIME = timezone(timedelta(hours=1), "UTC+01:00")
STANDARD_OFFSET_S = 3600  # standard time minus UTC [s]

# Wall-clock zone of files written without a UTC offset. Europe/Brussels and Europe/Amsterdam follow the
# same EU summer-time rules (last Sunday of March / October, 01:00 UTC) for every year a meter file covers.
LOCAL_TZ = "Europe/Brussels"

# Resolutions [min] that divide an hour; anything else (and anything >= 1 day) is rejected.
SUPPORTED_RESOLUTIONS_MIN = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)
DAILY_RESOLUTION_MIN = 24 * 60

# Gap filling (see timebase.fill_gaps).
SHORT_GAP_MAX_MIN = 120  # gaps up to this length [min] are interpolated linearly between their neighbours
NEIGHBOUR_WEEKS = 4  # longer gaps: same time and weekday in up to this many weeks before and after

# A partial year is completed only from at least this many days of data [days].
MIN_COVERAGE_DAYS = 7

# History kept before choosing the most recent 365 days [days]: one year + leap day + the neighbour weeks
# the gap filler may look at.
MAX_HISTORY_DAYS = 366 + 7 * NEIGHBOUR_WEEKS + 1

# Bad rows listed by line number in an error message.
MAX_REPORTED_LINES = 5

# Cumulative-reading detection for generic files: at least this many readings, monotone non-decreasing.
MIN_CUMULATIVE_ROWS = 8
# ... and the first reading at least this many times the median step (unless the header says "stand",
# "reading", "total", ...). A new meter starting near 0 kWh is therefore only recognised by its header.
CUMULATIVE_LEVEL_RATIO = 50

# Seasonal shapes used only to complete a partial year (months with no data). Shares of the annual
# total per calendar month (Jan..Dec), summing to 1.
# ASSUMPTION (stated, not a published table): a Dutch/Belgian household without heat pump uses ~35 %
# more electricity in December/January than in June/July (lighting, indoor time); rounded by hand to the
# shape of standard residential profiles (NEDU E1A, Synergrid S21). Replace with the engine's standard
# load profile when the studio service wires one in.
MONTHLY_SHARE_CONSUMPTION = (
    0.0980,
    0.0870,
    0.0880,
    0.0790,
    0.0750,
    0.0700,
    0.0710,
    0.0720,
    0.0760,
    0.0850,
    0.0940,
    0.1050,
)
# ASSUMPTION: monthly shares of the yield of a south-facing PV system around 51-52 deg N (typical
# PVGIS-style distribution, rounded by hand). Export follows PV yield more closely than load does.
MONTHLY_SHARE_EXPORT = (
    0.0250,
    0.0420,
    0.0800,
    0.1150,
    0.1350,
    0.1350,
    0.1350,
    0.1180,
    0.0880,
    0.0600,
    0.0340,
    0.0330,
)

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# The layouts the readers understand (``meterfiles.FORMATS``; the name is stored with every upload).
FLUVIUS = "fluvius"
HOMEWIZARD = "homewizard"
DSMR_READER = "dsmr-reader"
GENERIC = "generic"
