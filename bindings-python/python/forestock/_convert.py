"""Argument conversion shared by the model classes and the frame API (types only, no math)."""

from __future__ import annotations

import decimal
import operator
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np

from ._native import InvalidParameterError, InvalidSeriesError

#: numpy dtype kinds accepted as series values: bool, signed and unsigned integers, floats.
_NUMERIC_KINDS = "biuf"


def invalid_parameter(field: str, message: str) -> InvalidParameterError:
    """An `InvalidParameterError` naming `field`, raised by argument conversion."""
    err = InvalidParameterError(message)
    err.field = field
    return err


def as_series(y: Any, name: str = "y") -> np.ndarray:
    """`y` as a contiguous 1-D float64 array, or `InvalidSeriesError` saying why it is not one."""
    try:
        raw = np.asarray(y)
        if raw.dtype.kind not in _NUMERIC_KINDS + "O":
            raise TypeError(f"dtype {raw.dtype} is not numeric")
        values = np.ascontiguousarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidSeriesError(f"{name} must be numeric (anything numpy reads as float): {exc}") from exc
    if values.ndim != 1:
        raise InvalidSeriesError(f"{name} must be 1-D, got an array of shape {values.shape}")
    return values


def as_number(value: Any, name: str) -> float:
    """`value` as a float, or `InvalidParameterError` naming `name` (booleans are not numbers)."""
    if isinstance(value, bool):
        raise invalid_parameter(name, f"{name} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise invalid_parameter(name, f"{name} must be a number, got {value!r}") from exc


def as_optional_number(value: Any, name: str) -> float | None:
    """`as_number`, with None passed through."""
    return None if value is None else as_number(value, name)


def as_integer(value: Any, name: str) -> int:
    """`value` as a Python int, or `InvalidParameterError` naming `name` (booleans are not
    integers; the core checks the range)."""
    if isinstance(value, bool):
        raise invalid_parameter(name, f"{name} must be an integer, got {value!r}")
    try:
        return operator.index(value)
    except TypeError as exc:
        raise invalid_parameter(name, f"{name} must be an integer, got {value!r}") from exc


def as_horizon(h: Any) -> int:
    """The horizon as a Python int (the core checks h >= 1)."""
    return as_integer(h, "h")


def as_levels(level: Any) -> list[float]:
    """Interval levels (percent) as a list of floats; None means no intervals."""
    if level is None:
        return []
    items = [level] if np.isscalar(level) else level
    if not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
        raise invalid_parameter("level", f"level must be a number or a list of numbers, got {level!r}")
    try:
        return [float(v) for v in items]
    except (TypeError, ValueError, OverflowError) as exc:
        raise invalid_parameter("level", f"level must be a number or a list of numbers, got {level!r}") from exc


def level_key(level: float) -> str:
    """Column suffix of an interval level, statsforecast style: 80.0 -> '80', 97.5 -> '97.5'."""
    return f"{level:g}"


def as_periods(value: Any, name: str = "season_length") -> list[int]:
    """One seasonal period (``12``) or several (``[7, 365]``, any iterable of integers) as a list of
    ints; the core checks the values."""
    items = list(value) if isinstance(value, (Iterable, np.ndarray)) and not isinstance(value, (str, bytes)) else [value]
    out = []
    for item in items:
        if isinstance(item, bool) or not hasattr(item, "__index__"):
            raise invalid_parameter(name, f"{name} must be a whole number or a list of whole numbers, e.g. 12 or [7, 365], got {value!r}")
        out.append(operator.index(item))
    return out


def native_value(value: Any) -> Any:
    """One value that is not plain Python data as plain data, for the native module: every argument
    that crosses into the core as a dict or list goes through here (the native side calls it for
    each value that is not a dict, list, tuple, str, int, float, bool or None, like the
    `default=` hook of the json module's dumps). numpy scalars become Python numbers (NaN and ±inf kept), arrays lists, datetimes
    and dates ISO 8601 text (an aware datetime keeps its offset: RFC 3339), decimals (database
    drivers) floats. Anything else raises `TypeError`, which the native side reports as an
    `InvalidParameterError` naming the argument and the path inside it."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value (dict, list, str, number, bool or None)")
