"""Settings for the test suite: the normal settings with a throw-away secret key."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")

from halasync.settings import *  # noqa: F403
