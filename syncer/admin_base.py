"""What every halasync admin shares: history and source tables are read-only, and
changing Chroma needs the ``syncer.run_sync`` permission."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlySyncAdmin(admin.ModelAdmin):
    """No add, change or delete; actions and buttons gated by ``syncer.run_sync``."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_run_sync_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("syncer.run_sync")
