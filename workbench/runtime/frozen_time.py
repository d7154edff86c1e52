"""A logical clock for generated server code, so replays are deterministic.

AWM servers stamp rows with ``datetime.utcnow()``/``datetime.now()``. Inside the worker we replace
``datetime.datetime`` (and ``datetime.date.today``) with subclasses whose "now" is the bundle's
``reference_time`` plus one second per tool call made so far on the instance. The same calls in
the same order therefore write the same timestamps on any day. ``time.time`` is left alone: the
protocol stack needs a real clock. SQLite's own ``CURRENT_TIMESTAMP`` inside the server's
connection is not covered (see the README).
"""

from __future__ import annotations

import datetime as _dt

_real_datetime = _dt.datetime
_real_date = _dt.date


class _Clock:
    base = _real_datetime(2026, 1, 1, 0, 0, 0)
    step = 0

    @classmethod
    def now_naive_utc(cls) -> _dt.datetime:
        return cls.base + _dt.timedelta(seconds=cls.step)


class FrozenDatetime(_real_datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        value = _Clock.now_naive_utc()
        if tz is None:
            return cls._from(value)
        return cls._from(value.replace(tzinfo=_dt.timezone.utc).astimezone(tz))

    @classmethod
    def utcnow(cls):  # type: ignore[override]
        return cls._from(_Clock.now_naive_utc())

    @classmethod
    def today(cls):  # type: ignore[override]
        return cls._from(_Clock.now_naive_utc())

    @classmethod
    def _from(cls, v: _dt.datetime) -> FrozenDatetime:
        return cls(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo, fold=v.fold)


class FrozenDate(_real_date):
    @classmethod
    def today(cls):  # type: ignore[override]
        v = _Clock.now_naive_utc()
        return cls(v.year, v.month, v.day)


def install(reference_time: str) -> None:
    """Freeze "now" at ``reference_time`` (UTC, ``YYYY-MM-DD HH:MM:SS``) for code imported afterwards."""
    _Clock.base = _real_datetime.strptime(reference_time, "%Y-%m-%d %H:%M:%S")
    _Clock.step = 0
    _dt.datetime = FrozenDatetime  # type: ignore[misc]
    _dt.date = FrozenDate  # type: ignore[misc]


def set_step(step: int) -> None:
    """Position the clock: the n-th tool call on an instance sees ``reference_time + n`` seconds."""
    _Clock.step = int(step)


def current_step() -> int:
    return _Clock.step
