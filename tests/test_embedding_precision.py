"""EMBEDDING_ONNX_PRECISION (issue 18): all-MiniLM-L6-v2 on ONNX Runtime in fp32 or int8.

int8 vectors differ from fp32 ones (cosine ~0.99), so the precision is part of the model
identity a collection records: a collection built in one precision is refused in the
other until ``sync full --rebuild``; torch and fp32 ONNX (the same vectors) stay
interchangeable. Real ONNX models, real Chroma."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from syncer.embeddings import embedding_backend
from syncer.sources import KNOWLEDGE
from syncer.store import EmbeddingModelMismatch, chroma_reset, store_open

MINILM = "all-MiniLM-L6-v2"
TEXTS = [
    "When anger rises, sit down, stay silent and make wudu.",
    "Dim the lights, put the phone away and breathe slowly before bed.",
]


def full(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("sync", "full", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def recorded(name: str = KNOWLEDGE.collection_name) -> dict[str, Any]:
    chroma_reset()
    return dict(store_open(name).collection.metadata or {})


@pytest.mark.model
def test_the_precision_selects_the_onnx_model(settings: Any) -> None:
    settings.EMBEDDING_MODEL = MINILM
    settings.EMBEDDING_RUNTIME = "onnx"
    settings.EMBEDDING_ONNX_PRECISION = "fp32"
    fp32_backend = embedding_backend()
    fp32 = fp32_backend.embed_documents(TEXTS)
    settings.EMBEDDING_ONNX_PRECISION = "int8"
    int8_backend = embedding_backend()
    int8 = int8_backend.embed_documents(TEXTS)

    assert fp32_backend.describe()["precision"] == "fp32"
    assert int8_backend.describe()["precision"] == "int8"
    cosines = np.sum(fp32 * int8, axis=1)
    # Close (the same model) but not the same vectors: the int8 file really ran.
    assert np.all(cosines > 0.95) and np.all(cosines < 0.99999), cosines


@pytest.mark.model
@pytest.mark.usefixtures("chroma")
@pytest.mark.django_db(transaction=True)
def test_a_precision_switch_is_refused_until_a_rebuild(settings: Any, make_knowledge: Any) -> None:
    make_knowledge(
        id="ref_anger",
        title={"en": "Calming anger"},
        content={"en": TEXTS[0]},
        tags=["anger"],
    )
    settings.EMBEDDING_MODEL = MINILM
    settings.EMBEDDING_RUNTIME = "onnx"
    settings.EMBEDDING_ONNX_PRECISION = "int8"
    assert full()["status"] == "succeeded"
    assert recorded()["embedding_precision"] == "int8"

    settings.EMBEDDING_ONNX_PRECISION = "fp32"
    chroma_reset()
    with pytest.raises(EmbeddingModelMismatch, match=r"\(int8\).*\(fp32\).*sync full --rebuild"):
        store_open(KNOWLEDGE.collection_name)

    assert full("--rebuild")["status"] == "succeeded"
    metadata = recorded()
    assert (metadata["embedding_model"], metadata["embedding_precision"]) == (MINILM, "fp32")


@pytest.mark.model
@pytest.mark.usefixtures("chroma")
@pytest.mark.django_db(transaction=True)
def test_collections_recorded_before_the_setting(settings: Any, make_knowledge: Any) -> None:
    """Before EMBEDDING_ONNX_PRECISION, ONNX MiniLM was int8 and recorded no precision: such
    a collection is refused in fp32; one built by torch (fp32 vectors) is not."""
    make_knowledge(id="ref_anger", title={"en": "Calming anger"}, content={"en": TEXTS[0]})
    settings.EMBEDDING_MODEL = MINILM
    settings.EMBEDDING_RUNTIME = "onnx"
    settings.EMBEDDING_ONNX_PRECISION = "fp32"
    assert full()["status"] == "succeeded"
    collection = store_open(KNOWLEDGE.collection_name).collection
    legacy = {"embedding_model": MINILM, "embedding_dimension": 384}

    collection.modify(metadata={**legacy, "embedding_runtime": "torch"})
    chroma_reset()
    opened = store_open(KNOWLEDGE.collection_name)
    assert opened.count() == 1

    opened.collection.modify(metadata={**legacy, "embedding_runtime": "onnx"})
    chroma_reset()
    with pytest.raises(EmbeddingModelMismatch, match=r"\(int8\).*\(fp32\)"):
        store_open(KNOWLEDGE.collection_name)
