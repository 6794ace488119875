"""Settings for the test suite: the normal settings with a throw-away secret key."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-test-suite-only")
# One per pytest-xdist worker (bin/test --fast runs two): the workers must not share a
# directory or a log (subprocesses inherit the two variables).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
# Tests use their own Chroma directories (the `chroma` fixture); this default only keeps a
# test that forgets the fixture away from a real ./chromadb_data.
os.environ.setdefault(
    "CHROMA_PATH", os.path.join(tempfile.gettempdir(), f"halasync-tests-chroma{_SUFFIX}")
)
os.environ.setdefault(
    "SYNC_LOG_FILE", os.path.join(tempfile.gettempdir(), f"halasync-tests-sync{_SUFFIX}.log")
)

# The suite's broker is the database (django-q2's ORM broker), whatever the developer's
# shell or .env says: with REDIS_URL set, queued runs went to that Redis and the tests that
# look for them in the database failed. The processes the tests start get the REDIS_URL
# their test chose (tests/processes.py, halasync_env: a real qcluster on Redis).
if not os.environ.get("HALASYNC_TEST_CHILD"):
    os.environ["REDIS_URL"] = ""

from halasync.settings import *  # noqa: E402, F403

# Creating a user (the API's operator, the admin's superuser) spent most of a test's set-up
# in PBKDF2 (docs/performance.md, "The fast test loop"). A fast hasher, as Django's
# "Speeding up the tests" recommends: no test is about password hashing, and the
# subprocesses the tests start read these settings too (tests/processes.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
