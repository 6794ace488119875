"""gunicorn configuration for halasync's web process (the admin and the REST API).

gunicorn reads ./gunicorn.conf.py when started from the project directory; say it
explicitly anyway: ``.venv/bin/gunicorn -c gunicorn.conf.py``. Command-line flags
override what is set here (``--bind 0.0.0.0:8001``, ``--workers 4``). docs/operations.md,
"The processes", explains the choices; tests/test_web_server.py holds them to it.
"""

from __future__ import annotations

wsgi_app = "halasync.wsgi:application"
bind = "127.0.0.1:8001"

# Threads, not one request per process: with gunicorn's "sync" workers each connection
# holds a whole worker while it waits for its request, so two clients that connected
# and sent nothing made health (and everything else) unreachable with two workers.
# With gthread a thread waits at most 5 s for a new connection's first bytes, then hands
# it back to the worker's poller, which closes it after `keepalive` seconds of silence.
worker_class = "gthread"
workers = 2
# Requests in flight per worker. A client that sends part of a request and then stalls
# holds one thread until it disconnects (gunicorn has no request-header timeout): put a
# buffering reverse proxy (nginx) in front for clients you do not control. Each busy
# thread uses its own PostgreSQL connection: workers x threads bounds them (16).
threads = 8
# A worker whose main loop is silent this long is killed and replaced. With gthread the
# main loop keeps reporting while threads run long requests, so a `"wait": true` sync
# that takes an hour is not cut short by it.
timeout = 30
# On SIGTERM or SIGHUP (deploy, restart): requests in flight get this long to finish.
graceful_timeout = 30
# Seconds an idle kept-alive connection, or a new one that has not sent its request, is
# kept open.
keepalive = 5
# The longest request line gunicorn reads (method, path and the URL-encoded query), at
# gunicorn's bounded maximum (its default, 4,094, refused with an HTML 414 an Arabic
# search of 700 letters: 6 bytes each once URL-encoded). Beyond this, 414 still, before
# halasync sees the request; the API's own limits (q: 2,000 characters) answer JSON 400s.
limit_request_line = 8190

# Both logs on stderr (systemd's journal, a container's log). With "-", gunicorn would
# write the access log to stdout; this routes it, and gunicorn's own errors, to stderr.
accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
        },
    },
    # Warnings of libraries that configure no handler of their own end up here too.
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}
