"""Enphase Enlighten Systems API: OAuth authorization-code flow, systems, production and consumption."""

from .client import EnphaseClient, check_oauth_state, enphase_rate_limit, new_oauth_state
from .parsers import (
    SystemSummary,
    _parse_consumption_lifetime,
    _parse_consumption_stats,
    _parse_energy_lifetime,
    _parse_rgm_stats,
    _parse_stats,
    _parse_summary,
    _parse_system,
    _parse_systems_page,
)

__all__ = [
    "EnphaseClient",
    "SystemSummary",
    "_parse_consumption_lifetime",
    "_parse_consumption_stats",
    "_parse_energy_lifetime",
    "_parse_rgm_stats",
    "_parse_stats",
    "_parse_summary",
    "_parse_system",
    "_parse_systems_page",
    "check_oauth_state",
    "enphase_rate_limit",
    "new_oauth_state",
]
