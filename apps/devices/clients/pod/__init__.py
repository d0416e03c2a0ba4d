"""POD consumption API: client-credentials client, POD validation, consumption parsers."""

from .client import PATHS, TOKEN_PATH, PodClient, build_onboarding
from .parsers import (
    PERIODS,
    POD_LENGTH,
    POD_PATTERN,
    _parse_consumption,
    _parse_distribution,
    _parse_habits,
    _parse_latest,
    _parse_performance,
    _parse_realtime,
    _parse_register,
    _parse_trend,
    _read_stamps,
    validate_period,
    validate_pod,
)

__all__ = [
    "PATHS",
    "PERIODS",
    "POD_LENGTH",
    "POD_PATTERN",
    "TOKEN_PATH",
    "PodClient",
    "_parse_consumption",
    "_parse_distribution",
    "_parse_habits",
    "_parse_latest",
    "_parse_performance",
    "_parse_realtime",
    "_parse_register",
    "_parse_trend",
    "_read_stamps",
    "build_onboarding",
    "validate_period",
    "validate_pod",
]
