"""``python -m bench.child REPORT COMMAND…``: run COMMAND, then write its wall time and
peak RSS to the file REPORT as JSON; exit with its exit status.

Why a launcher: on Linux a process's peak RSS (``ru_maxrss``) survives ``exec``, and a
child forked by the benchmark process (which holds the model and Chroma, ~1 GB) would
report the benchmark's RSS instead of its own. Forked from this small launcher, the
command's figure is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    report, command = Path(argv[0]), argv[1:]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    report.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "max_rss_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
                "returncode": process.returncode,
            }
        )
    )
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
