"""Who may do what: signed-in users read, ``syncer.run_sync`` holders change Chroma."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

RUN_SYNC = "syncer.run_sync"


class CanRunSync(BasePermission):
    """A signed-in user with the ``syncer.run_sync`` permission (superusers have it)."""

    message = f"You need the {RUN_SYNC!r} permission to run syncs."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(RUN_SYNC))
