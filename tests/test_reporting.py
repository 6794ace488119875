"""The one way halasync writes ages and times for people (CLI and admin alike)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from syncer.reporting import age_text, time_text


def test_age_text_gives_the_two_largest_units() -> None:
    seconds = (None, 0, 5, 59.9, 600, 610, 3600, 3725, 7300, 86400, 3 * 86400 + 5 * 3600, -3)
    assert [age_text(value) for value in seconds] == [
        "—",
        "0 s",
        "5 s",
        "59 s",
        "10 min",
        "10 min 10 s",
        "1 h",
        "1 h 2 min",
        "2 h 1 min",
        "1 d",
        "3 d 5 h",
        "0 s",  # a clock slightly ahead
    ]
    assert age_text(float("inf")) == "forever"


def test_time_text_is_utc_to_the_second() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert time_text(moment) == "2026-01-02 03:04:05"
    assert time_text(moment.astimezone(timezone(timedelta(hours=7)))) == "2026-01-02 03:04:05"
    assert time_text(moment.replace(tzinfo=None)) == "2026-01-02 03:04:05"  # naive: UTC
    assert time_text("2026-01-02T03:04:05.678+00:00") == "2026-01-02 03:04:05"
    assert time_text(None) == time_text("") == "—"
