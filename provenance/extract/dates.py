"""Publication dates: ISO 8601 and its common variants in pages and feeds, to one UTC form."""

from __future__ import annotations

from datetime import UTC, datetime

_DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S.%f%z",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y%m%d%H%M%S")
# A value no longer than "YYYY-MM-DD" names a day, not a moment.
_DATE_ONLY_CHARS = len("YYYY-MM-DD")


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime as `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` (UTC); else None."""
    if not value:
        return None
    raw = value.strip().replace("Z", "+00:00")
    parsed = _parse(raw)
    if parsed is None:
        return None
    if len(raw) <= _DATE_ONLY_CHARS and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.strftime("%Y-%m-%d")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(raw: str) -> datetime | None:
    """`raw` as a datetime: ISO 8601 first, then the other formats in turn."""
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    return None
