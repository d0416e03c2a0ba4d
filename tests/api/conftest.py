"""API contract tests reuse the scans fixtures (stub broker, throttle cache, a completed seed scan)."""

from tests.scans.conftest import _clear_throttle_cache, completed, seed_result, stub_broker  # noqa: F401
