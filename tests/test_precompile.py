"""halasync.precompile (run by bin/bootstrap): after it, a process that may not write
bytecode (PYTHONDONTWRITEBYTECODE=1) compiles none of the modules a cron
`sync incremental` imports. Before it, every such process compiled ~1,100 modules, half
of an idle cron run's CPU (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.processes import ROOT

pytestmark = pytest.mark.processes

# What an idle `manage.py sync incremental` imports, counting modules compiled from
# source under the virtualenv or the project.
IDLE_CRON_IMPORTS = """
import sys
from importlib import _bootstrap_external
from pathlib import Path

roots = (str(Path(sys.prefix).resolve()), sys.argv[1])
compiled = []
original = _bootstrap_external.SourceLoader.source_to_code

def counting(self, data, path, *args, **kwargs):
    if str(Path(path).resolve()).startswith(roots):
        compiled.append(path)
    return original(self, data, path, *args, **kwargs)

_bootstrap_external.SourceLoader.source_to_code = counting
import django
django.setup()
from django.core.management import load_command_class
load_command_class("syncer", "sync")
import tempfile, chromadb
with tempfile.TemporaryDirectory() as directory:
    chromadb.PersistentClient(path=directory).heartbeat()
print(len(compiled), *compiled[:5])
"""


def test_after_precompile_a_cron_process_compiles_nothing() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "halasync.settings",
        "DJANGO_SECRET_KEY": "test-precompile",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "halasync.precompile"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    imported = subprocess.run(
        [sys.executable, "-c", IDLE_CRON_IMPORTS, str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert imported.returncode == 0, imported.stderr[-2000:]
    count, *examples = imported.stdout.split()
    assert int(count) == 0, f"{count} modules compiled at start-up, e.g. {examples}"
