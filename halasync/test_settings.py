"""Settings for the test suite: the normal settings with a throw-away secret key."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")
# Tests use their own Chroma directories (the `chroma` fixture); this default only keeps a
# test that forgets the fixture away from a real ./chromadb_data.
os.environ.setdefault("CHROMA_PATH", os.path.join(tempfile.gettempdir(), "halasync-tests-chroma"))
os.environ.setdefault(
    "SYNC_LOG_FILE", os.path.join(tempfile.gettempdir(), "halasync-tests-sync.log")
)

from halasync.settings import *  # noqa: F403

# Creating a user (the API's operator, the admin's superuser) spent most of a test's set-up
# in PBKDF2 (docs/performance.md, "The fast test loop"). A fast hasher, as Django's
# "Speeding up the tests" recommends: no test is about password hashing, and the
# subprocesses the tests start read these settings too (tests/processes.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
