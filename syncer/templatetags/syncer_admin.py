"""Template filters of halasync's admin pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from syncer import admin_base
from syncer.reporting import age_text as _age_text
from syncer.reporting import time_text as _time_text

register = template.Library()


@register.filter
def code_spans(text: str) -> SafeString:
    """`backticked` parts of a service's message as <code>."""
    return admin_base.code_spans(text)


@register.filter
def age(seconds: float | None) -> str:
    """Seconds as halasync writes ages everywhere: "9 min 10 s"."""
    return _age_text(seconds)


@register.filter
def utc_time(value: object) -> str:
    """A datetime or ISO string as "2026-01-02 03:04:05" (UTC)."""
    return _time_text(value)  # type: ignore[arg-type]


@register.filter
def status_tone(status: str) -> str:
    """The colour class of a run status: ok, attention, down, active or muted."""
    return admin_base.STATUS_TONES.get(status, admin_base.MUTED)
