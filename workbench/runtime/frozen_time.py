"""A logical clock for generated server code, so replays are deterministic.

AWM servers stamp rows with ``datetime.utcnow()``/``datetime.now()`` (often bound at import, as in
``Column(DateTime, default=datetime.utcnow)``). Inside the worker process only, we replace the
``now``/``utcnow``/``today`` class methods of ``datetime.datetime`` and ``today`` of
``datetime.date`` in place, so that "now" is the bundle's ``reference_time`` plus one second per tool
call made so far on the instance. The classes keep their identity, so ``isinstance`` checks in
SQLAlchemy, pydantic and the server's own code behave exactly as before. The same calls in the
same order therefore write the same timestamps on any day. ``time.time`` is left alone (the
protocol stack needs a real clock), and SQLite's own ``CURRENT_TIMESTAMP`` inside the server's
connection is not covered.

This edits built-in types (via the dict behind their mappingproxy), which is why it must only
ever run in a worker process.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import gc

_base = _dt.datetime(2026, 1, 1, 0, 0, 0)
_step = 0
_installed = False


def _now_naive_utc() -> _dt.datetime:
    return _base + _dt.timedelta(seconds=_step)


def _as(cls: type, v: _dt.datetime) -> _dt.datetime:
    if cls is _dt.datetime:
        return v
    return cls(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo)


def _now(cls, tz=None):
    value = _now_naive_utc()
    if tz is not None:
        value = value.replace(tzinfo=_dt.timezone.utc).astimezone(tz)
    return _as(cls, value)


def _utcnow(cls):
    return _as(cls, _now_naive_utc())


def _date_today(cls):
    v = _now_naive_utc()
    if issubclass(cls, _dt.datetime):  # datetime.today() inherits date.today
        return _as(cls, v)
    return cls(v.year, v.month, v.day)


def _set(tp: type, name: str, value: object) -> None:
    d = gc.get_referents(tp.__dict__)[0]
    d[name] = value
    ctypes.pythonapi.PyType_Modified(ctypes.py_object(tp))


def install(reference_time: str) -> None:
    """Freeze "now" at ``reference_time`` (UTC, ``YYYY-MM-DD HH:MM:SS``) for this process."""
    global _base, _step, _installed
    _base = _dt.datetime.strptime(reference_time, "%Y-%m-%d %H:%M:%S")
    _step = 0
    if not _installed:
        _set(_dt.datetime, "now", classmethod(_now))
        _set(_dt.datetime, "utcnow", classmethod(_utcnow))
        _set(_dt.date, "today", classmethod(_date_today))
        _installed = True


def set_step(step: int) -> None:
    """Position the clock: the n-th tool call on an instance sees ``reference_time + n`` seconds."""
    global _step
    _step = int(step)


def current_step() -> int:
    return _step
