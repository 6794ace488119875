"""The default backend's MiniLM block reads the first 128 tokens of the English part (issue
18: half the model's own 256), and that window is part of a collection's model record:
a collection built with another window is refused until ``sync full --rebuild``. The
composite embeds USE on a second thread while MiniLM runs: the same vectors as one after
the other, and a failure on either side reaches the caller. Real models, real Chroma."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from syncer import onnx_minilm
from syncer.embeddings import DEFAULT_MODEL, embedding_backend
from syncer.embeddings.base import english_text
from syncer.embeddings.composite import MINILM_MAX_TOKENS
from syncer.sources import KNOWLEDGE
from syncer.store import EmbeddingModelMismatch, chroma_reset, store_open

SENTENCE = "When worry keeps you awake, write it down, breathe slowly and make dua. "
EXTRA = "Tomorrow, ask a friend you trust to walk with you after the morning prayer."


def token_count(text: str) -> int:
    """MiniLM's tokens of ``text`` ([CLS] and [SEP] included), without any window."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(onnx_minilm._bundled_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return len(tokenizer.encode(text).ids)


WINDOW = 128


def long_english() -> str:
    """An English part between the composite's window (128) and MiniLM's own 256 tokens,
    with room for EXTRA before 256."""
    text = SENTENCE
    while token_count(text) <= WINDOW + 10:
        text += SENTENCE
    assert token_count(text + EXTRA) < 250
    return text.strip()


def minilm_block(vectors: np.ndarray) -> np.ndarray:
    block = vectors[:, 512:]
    return block / np.linalg.norm(block, axis=1, keepdims=True)


@pytest.mark.model
def test_the_composite_reads_the_english_part_up_to_its_window(settings: Any) -> None:
    settings.EMBEDDING_MODEL = DEFAULT_MODEL
    settings.EMBEDDING_RUNTIME = "onnx"
    english = long_english()
    texts = [english, f"{english} {EXTRA}", f"Sleep. {english}"]
    backend = embedding_backend()
    vectors = backend.embed_documents(texts, [{"en": text} for text in texts])
    minilm = minilm_block(vectors)

    # Text after the first 128 tokens changes nothing in MiniLM's block...
    assert np.allclose(minilm[0], minilm[1], atol=1e-6)
    # ...while USE, which reads the whole text, sees it; and a change inside the window
    # does change MiniLM's block.
    assert float(vectors[0, :512] @ vectors[1, :512]) < 0.499
    assert float(minilm[0] @ minilm[2]) < 0.9999
    # MiniLM alone keeps the model's 256 tokens: there the same extra text counts.
    settings.EMBEDDING_MODEL = "all-MiniLM-L6-v2"
    alone = embedding_backend().embed_documents(texts[:2])
    assert float(alone[0] @ alone[1]) < 0.9999
    assert backend.describe()["max_tokens"] == MINILM_MAX_TOKENS == WINDOW
    assert embedding_backend().describe()["max_tokens"] == 256


@pytest.mark.model
def test_torch_cuts_where_onnx_does(settings: Any) -> None:
    """EMBEDDING_RUNTIME=torch gives the composite the same vectors as ONNX fp32, so the
    window applies in both (the runtime is not part of the model identity)."""
    pytest.importorskip(
        "sentence_transformers",
        reason="EMBEDDING_RUNTIME=torch needs requirements-torch.txt (HALASYNC_EXTRAS=torch)",
    )
    settings.EMBEDDING_MODEL = DEFAULT_MODEL
    english = long_english()
    texts = [english, f"{english} {EXTRA}"]
    parts = [{"en": text} for text in texts]
    settings.EMBEDDING_RUNTIME = "onnx"
    onnx = minilm_block(embedding_backend().embed_documents(texts, parts))
    settings.EMBEDDING_RUNTIME = "torch"
    torch = minilm_block(embedding_backend().embed_documents(texts, parts))
    assert np.allclose(torch[0], torch[1], atol=1e-5)
    assert np.min(np.sum(onnx * torch, axis=1)) > 0.9999


@pytest.mark.model
def test_use_beside_minilm_gives_the_vectors_of_one_after_the_other(settings: Any) -> None:
    settings.EMBEDDING_MODEL = DEFAULT_MODEL
    settings.EMBEDDING_RUNTIME = "onnx"
    texts = [
        "Calming anger\nWhen anger rises, sit down and make wudu.\nMeredam amarah",
        "Rutinitas sebelum tidur: redupkan lampu dan bernapaslah perlahan.",
        "A wind-down routine\nDim the lights and breathe slowly.",
    ]
    parts: list[dict[str, str]] = [
        {"en": "Calming anger\nWhen anger rises, sit down and make wudu.", "id": "Meredam amarah"},
        {"id": texts[1]},
        {"en": texts[2], "head": "A wind-down routine"},
    ]
    backend = embedding_backend()
    together = backend.embed_documents(texts, parts)

    use = backend.use.encode_documents(texts, parts)
    minilm = backend.minilm.encode([english_text(t, p) for t, p in zip(texts, parts, strict=True)])
    one_after_the_other = np.hstack([use, minilm]) / np.sqrt(2)
    assert np.allclose(together, one_after_the_other, atol=1e-6)


@pytest.mark.model
@pytest.mark.parametrize("failing", ["use", "minilm"])
def test_a_failure_on_either_side_reaches_the_caller(
    settings: Any, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    settings.EMBEDDING_MODEL = DEFAULT_MODEL
    settings.EMBEDDING_RUNTIME = "onnx"
    backend = embedding_backend()
    backend.load()
    threads = threading.active_count()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError(f"{failing} ran out of memory")

    if failing == "use":
        monkeypatch.setattr(backend.use, "encode_documents", broken)
    else:
        monkeypatch.setattr(backend.minilm, "encode", broken)
    with pytest.raises(MemoryError, match=failing):
        backend.embed_documents(["Breathe slowly."], [{"en": "Breathe slowly."}])
    assert threading.active_count() == threads  # USE's thread ended with the call


def full(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("sync", "full", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.mark.model
@pytest.mark.usefixtures("chroma")
@pytest.mark.django_db(transaction=True)
def test_the_window_is_in_the_collection_record(settings: Any, make_knowledge: Any) -> None:
    settings.EMBEDDING_MODEL = DEFAULT_MODEL
    settings.EMBEDDING_RUNTIME = "onnx"
    settings.EMBEDDING_ONNX_PRECISION = "fp32"
    make_knowledge(id="ref_sleep", title={"en": "Sleep"}, content={"en": SENTENCE})
    assert full()["status"] == "succeeded"
    collection = store_open(KNOWLEDGE.collection_name).collection
    assert collection.metadata["embedding_max_tokens"] == 128

    # A collection the default backend built before the window (MiniLM read 256 tokens,
    # nothing recorded) holds other vectors: refused, and the message says why.
    before = {k: v for k, v in collection.metadata.items() if k != "embedding_max_tokens"}
    collection.modify(metadata=before)
    chroma_reset()
    with pytest.raises(
        EmbeddingModelMismatch, match=r"\(fp32, 256 tokens\).*\(fp32, 128 tokens\).*--rebuild"
    ):
        store_open(KNOWLEDGE.collection_name)

    assert full("--rebuild")["status"] == "succeeded"
    chroma_reset()
    assert store_open(KNOWLEDGE.collection_name).collection.metadata["embedding_max_tokens"] == 128
