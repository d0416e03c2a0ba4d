"""The frozen content of a proposal and its content hash: sha256 of canonical JSON (sorted keys, no spaces,
UTF-8), so the same content always gives the same hash and any change gives another."""

import hashlib
import json
from decimal import Decimal


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def design_of(report: dict) -> dict:
    """The chosen design as the report states it: the new panel arrays and the battery."""
    return {
        "new_pv": (report.get("solar") or {}).get("new_systems") or [],
        "battery": report.get("battery"),
    }


def build_snapshot(*, scan, price: dict, valid_until, terms: str, version: int) -> dict:
    """Everything the homeowner agrees to, as plain JSON (money as strings with two decimals [EUR])."""
    return {
        "version": version,
        "scan_id": scan.id,
        "scan_finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
        "engine_version": scan.engine_version,
        "inputs": scan.inputs,
        "report": scan.report,
        "design": design_of(scan.report or {}),
        "price": {key: _money(value) for key, value in price.items()},
        "currency": "EUR",
        "valid_until": valid_until.isoformat(),
        "terms": terms,
    }


def canonical_json(snapshot: dict) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()
