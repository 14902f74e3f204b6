"""`UnusedSeasonWarning`: a seasonal period that a model was given but does not use;
`FilledGapsWarning`: periods without a row in a long frame, filled with zeros.

The core decides which periods a fit uses and records the others with the reason
(`Fitted::unused_periods` in Rust); this module only turns each record into a Python warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any


class UnusedSeasonWarning(UserWarning):
    """A seasonal period given to a model (``season_length=[7, 365]``) that the fitted model does
    not use, e.g. fewer than two full cycles in the data or a period above ETS's 24.

    `period` is the period, `reason` the core's reason; `series` the series id in `fs.forecast` /
    `fs.plan` (an example one when several series dropped the period; `count` says how many),
    None for a single fit. Silence it with ``warnings.simplefilter("ignore", fs.UnusedSeasonWarning)``
    or turn it into an error with ``"error"``.
    """

    def __init__(self, message: str, period: int, reason: str, series: Any = None, count: int = 1) -> None:
        super().__init__(message)
        self.period = period
        self.reason = reason
        self.series = series
        self.count = count


def warn_unused(unused: Iterable[tuple[int, str]], where: str, stacklevel: int) -> None:
    """One `UnusedSeasonWarning` per `(period, reason)` of a single fit."""
    for period, reason in unused:
        warnings.warn(
            UnusedSeasonWarning(f"{where}: season period {period} not used: {reason}", period, reason),
            stacklevel=stacklevel + 1,
        )


def warn_unused_by_series(
    unused: Iterable[tuple[Any, int, str]], total: int, where: str, stacklevel: int
) -> None:
    """One `UnusedSeasonWarning` per period over a batch of `total` series, from
    `(series id, period, reason)` records: how many series dropped it and one example."""
    by_period: dict[int, list[tuple[Any, str]]] = {}
    for series, period, reason in unused:
        by_period.setdefault(period, []).append((series, reason))
    for period, entries in sorted(by_period.items()):
        series, reason = entries[0]
        message = (
            f"{where}: season period {period} not used for {len(entries)} of {total} series "
            f"(e.g. {series!r}: {reason})"
        )
        warnings.warn(
            UnusedSeasonWarning(message, period, reason, series=series, count=len(entries)),
            stacklevel=stacklevel + 1,
        )


class FilledGapsWarning(UserWarning):
    """Periods without a row in a long frame's `ds` (a sales export that leaves out zero-sales
    periods), filled with zeros by `fs.forecast`, `fs.plan`, `fs.retrain` or `fs.classify_catalogue`
    at the catalogue's frequency (the core's gap rule, `forestock::periods`).

    `gaps` lists the series concerned as dicts ``{unique_id, missing, first_missing}``; the message
    names an example. Pass ``fill_gaps=False`` to raise `MissingDataError` instead, or silence it with
    ``warnings.simplefilter("ignore", fs.FilledGapsWarning)``.
    """

    def __init__(self, message: str, gaps: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.gaps = gaps
