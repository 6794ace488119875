"""What every halasync admin shares: history and source tables are read-only, changing
Chroma needs the ``syncer.run_sync`` permission, one set of colours for every status,
and messages written for a browser."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from syncer.models import SyncRun

# One colour per tone (syncer/static/syncer/admin.css), shared by run statuses, the
# sync state of rows and the overview's verdict, so that green, orange and red mean the
# same thing on every page.
OK, ATTENTION, DOWN, ACTIVE, MUTED = "ok", "attention", "down", "active", "muted"
ADMIN_CSS = "syncer/admin.css"
STATUS_TONES = {
    SyncRun.Status.QUEUED: MUTED,
    SyncRun.Status.RUNNING: ACTIVE,
    SyncRun.Status.SUCCEEDED: OK,
    SyncRun.Status.PARTIAL: ATTENTION,
    SyncRun.Status.FAILED: DOWN,
}
_CODE_SPAN = re.compile(r"`([^`]+)`")


class ReadOnlySyncAdmin(admin.ModelAdmin):
    """No add, change or delete; actions and buttons gated by ``syncer.run_sync``."""

    class Media:
        css = {"all": [ADMIN_CSS]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_run_sync_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("syncer.run_sync")


def code_spans(text: str) -> SafeString:
    """``text`` (escaped) with its `backticked` parts as ``<code>``: the services write
    messages for terminals, where backticks mark commands; a page shows them as code."""
    # split() alternates: plain text at even indexes, the backticked parts at odd ones.
    pieces = [
        format_html("<code>{}</code>", part) if index % 2 else escape(part)
        for index, part in enumerate(_CODE_SPAN.split(str(text)))
    ]
    return mark_safe("".join(pieces))  # every piece is escaped above


def plain_text(text: str) -> str:
    """``text`` without its backticks, for a tooltip (``title``) where markup cannot go."""
    return _CODE_SPAN.sub(r"\1", str(text))
