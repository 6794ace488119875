"""Settings for the test suite: the normal settings with a throw-away secret key."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ.setdefault("SYNC_LOG_FILE", os.path.join(tempfile.gettempdir(), "halasync-tests-sync.log"))

from halasync.settings import *  # noqa: F403
