"""Prepare the configured embedding backend's model files (bin/quickstart runs it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from syncer.embeddings import (
    EmbeddingUnavailable,
    configured_cache_dir,
    models_prepare,
)


class Command(BaseCommand):
    help = (
        "Convert and check the model files the configured embedding backend needs "
        "(EMBEDDING_MODEL, EMBEDDING_RUNTIME) into EMBEDDING_CACHE_DIR, once; load it."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--model", help="an EMBEDDING_MODEL name (default: the configured one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backend = models_prepare(model=options["model"])
        except EmbeddingUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            described = backend.describe()
            runtime = f", runtime {described['runtime']}" if "runtime" in described else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"embedding model {backend.name} ready ({backend.dimension} dimensions"
                    f"{runtime}; model files in {configured_cache_dir()})"
                )
            )
