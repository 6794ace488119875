"""A Chroma HTTP client whose every request has a timeout.

chromadb 1.5.9's ``HttpClient`` sends all its requests through one ``httpx.Client`` per
client system (``FastAPI._session``), built with ``timeout=None`` and no setting to change
it: a server that accepts connections but does not answer (frozen, overloaded, a
half-open network path) hangs the caller forever. The client's constructor already makes
three requests (identity, tenant, database), so the timeout must be in place before it
returns. The one component of a client system that chromadb lets us choose and that
starts before those requests is the product-telemetry client
(``chroma_product_telemetry_impl``): ``RequestTimeouts`` takes that place, sends no
telemetry, and when its system starts puts the timeout on the system's HTTP session. The
constructor builds two systems (the client's and an internal admin client's); each starts
its own ``RequestTimeouts``, so every request of the client is bounded.
"""

from __future__ import annotations

import chromadb
import httpx
from chromadb.api import ClientAPI, ServerAPI
from chromadb.api.fastapi import FastAPI
from chromadb.config import Settings as ChromaSettings
from chromadb.telemetry.product import ProductTelemetryClient, ProductTelemetryEvent
from django.conf import settings
from overrides import override


def http_client(*, host: str, port: int) -> ClientAPI:
    """A client of the Chroma server at ``host:port``; every request times out after
    CHROMA_TIMEOUT_SECONDS (connecting, sending, waiting for the answer)."""
    chroma_settings = ChromaSettings(
        anonymized_telemetry=False,
        allow_reset=False,
        chroma_product_telemetry_impl=f"{__name__}.{RequestTimeouts.__name__}",
    )
    return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)


def request_timeout() -> httpx.Timeout:
    return httpx.Timeout(float(settings.CHROMA_TIMEOUT_SECONDS))


class RequestTimeouts(ProductTelemetryClient):
    """Sets the request timeout of its system's HTTP session when the system starts;
    sends no telemetry (halasync never does)."""

    @override
    def start(self) -> None:
        super().start()
        server = self._system.instance(ServerAPI)
        if isinstance(server, FastAPI):
            server._session.timeout = request_timeout()

    @override
    def capture(self, event: ProductTelemetryEvent) -> None:
        return None
