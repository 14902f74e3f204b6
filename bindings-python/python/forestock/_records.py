"""Conversion helpers for the stored-record APIs (registry, audit log, retraining): instants. Payloads
cross as Python objects (`_convert.native_value` for numpy values and datetimes). Types only: the
core owns every rule and number."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any


from ._convert import invalid_parameter

#: chrono's RFC 3339 form: seconds, optional fraction (up to 9 digits), `Z` or an offset.
_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the default for every timestamp argument)."""
    return datetime.now(timezone.utc)


def instant_text(value: Any, name: str) -> str:
    """An aware datetime (or RFC 3339 text) as RFC 3339 text for the core; None means now (UTC).

    Naive datetimes are rejected: a stored record must say which instant it means.
    """
    if value is None:
        value = utc_now()
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise invalid_parameter(name, f"{name} must be a timezone-aware datetime, got {value!r}")
        return value.isoformat()
    raise invalid_parameter(name, f"{name} must be an aware datetime or RFC 3339 text, got {value!r}")


def parse_instant(text: str | None) -> datetime | None:
    """RFC 3339 text from the core as an aware UTC datetime (fractions beyond microseconds are
    truncated: Python's datetime holds microseconds)."""
    if text is None:
        return None
    match = _RFC3339.match(text)
    if match is None:
        return datetime.fromisoformat(text)
    seconds, fraction, offset = match.groups()
    micros = f".{(fraction or '')[:6]:0<6}"
    parsed = datetime.fromisoformat(seconds + micros + ("+00:00" if offset == "Z" else offset))
    return parsed.astimezone(timezone.utc)


def decision_from_json(decision: dict[str, Any]) -> dict[str, Any]:
    """A core `PromotionDecision` dict with `decided_at` as an aware datetime."""
    return {**decision, "decided_at": parse_instant(decision.get("decided_at"))}
