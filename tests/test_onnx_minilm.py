"""all-MiniLM-L6-v2 exported to ONNX from the bundled weights (syncer/onnx_minilm.py):
known answer, agreement with sentence-transformers, the cache and its checks."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from syncer import onnx_minilm
from syncer.onnx_minilm import OnnxMiniLM, OnnxModelError, ensure_model, model_filename

# The real model itself (its export, its vectors): never the test embedder.
pytestmark = pytest.mark.model

# Varied on purpose: English, Indonesian, Arabic, mixed, references, very short, empty-ish,
# punctuation, and one text far beyond the 256-token window (truncation).
LONG_TEXT = " ".join(
    f"Sentence {number} talks about patience, gratitude and trust in hard times."
    for number in range(80)
)
TEXTS = [
    "How can I calm my anxious heart before an exam?",
    "Bagaimana cara menenangkan hati yang gelisah sebelum ujian?",
    "كيف أطمئن قلبي عند القلق",
    "فإن مع العسر يسرا",
    "Sabar dan syukur adalah dua sayap seorang mukmin.",
    "QS. 2:216",
    "2:286",
    "patience",
    "Doa sebelum tidur",
    "Allahumma inni a'udzu bika minal hammi wal hazan",
    "Tags: anxiety, grief, hope\nCategory: STRATEGY\nSource: Ibn Qayyim",
    "Journey: overcoming loneliness in seven days, step 1: reach out to a friend.",
    "Perjalanan tujuh hari mengatasi kesepian; langkah pertama: hubungi seorang teman.",
    "اللهم إني أعوذ بك من الهم والحزن، والعجز والكسل",
    "Mindful breathing: inhale for four counts, hold for four, exhale for six.",
    "Tidak apa-apa untuk beristirahat. Tubuhmu juga punya hak atasmu.",
    "!!! ??? ...",
    "x",
    "The Prophet ﷺ said: the strong one is the one who controls himself when angry.",
    LONG_TEXT,
]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory with both variants, exported once for the whole session."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    ensure_model(cache, quantized=False)
    ensure_model(cache, quantized=True)
    return cache


def _cached_copy(model_cache: Path, directory: Path, *, quantized: bool) -> Path:
    """The session's exported file and its record, copied into ``directory``."""
    name = model_filename(quantized=quantized)
    for suffix in ("", ".json"):
        shutil.copyfile(model_cache / (name + suffix), directory / (name + suffix))
    return directory / name


@pytest.mark.parametrize("quantized", [False, True], ids=["fp32", "int8"])
def test_known_answer(model_cache: Path, quantized: bool) -> None:
    path = ensure_model(model_cache, quantized=quantized)
    vectors = OnnxMiniLM(path).embed(list(onnx_minilm.KNOWN_TEXTS))
    expected = np.asarray(onnx_minilm.KNOWN_PREFIX, dtype=np.float32)
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.abs(vectors[:, :16] - expected).max() <= onnx_minilm.KNOWN_TOLERANCE[quantized]
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="the comparison with torch needs sentence-transformers (the optional torch set)",
)
@pytest.mark.parametrize(
    ("quantized", "minimum"), [(False, 0.999), (True, 0.98)], ids=["fp32", "int8"]
)
def test_same_vectors_as_sentence_transformers(
    model_cache: Path, quantized: bool, minimum: float
) -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(
        str(onnx_minilm._bundled_model_dir()), device="cpu", local_files_only=True
    ).encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    model = OnnxMiniLM(ensure_model(model_cache, quantized=quantized))
    assert len(model.tokenizer.encode(LONG_TEXT).ids) == 256  # truncated as torch does
    vectors = model.embed(TEXTS, batch_size=4)
    cosines = (vectors * reference).sum(axis=1)
    worst = {TEXTS[i][:40]: round(float(cosines[i]), 4) for i in np.argsort(cosines)[:3]}
    assert cosines.min() > minimum, worst


def test_length_sorted_batches_keep_the_callers_order(model_cache: Path) -> None:
    model = OnnxMiniLM(ensure_model(model_cache, quantized=False))
    one_by_one = np.stack([model.embed([text])[0] for text in TEXTS])
    for sort_by_length in (True, False):
        batched = model.embed(TEXTS, batch_size=3, sort_by_length=sort_by_length)
        # Padding changes nothing but rounding: every row is the same text's vector.
        np.testing.assert_allclose(batched, one_by_one, atol=2e-5)
    assert model.embed([]).shape == (0, 384)


def test_a_forward_pass_stays_within_its_token_budget(model_cache: Path) -> None:
    """At most ``tokens_per_pass`` tokens (texts x the widest, padding included) go into
    one forward pass, whatever the batch size, and the vectors stay the same."""
    model = OnnxMiniLM(ensure_model(model_cache, quantized=False))
    run = model.session.run
    shapes: list[tuple[int, int]] = []

    def recording(names: Any, feed: dict[str, np.ndarray]) -> Any:
        shapes.append(feed["input_ids"].shape)
        return run(names, feed)

    model.session = SimpleNamespace(run=recording)  # the real session, its inputs recorded
    texts = TEXTS * 4
    budgeted = model.embed(texts, batch_size=32, tokens_per_pass=500)
    assert all(rows * width <= 500 or rows == 1 for rows, width in shapes), shapes
    assert sum(rows for rows, _ in shapes) == len(texts)
    assert (1, 256) in shapes  # LONG_TEXT alone: one text wider than the budget
    shapes.clear()
    unbounded = model.embed(texts, batch_size=32, tokens_per_pass=10**6)
    assert max(rows * width for rows, width in shapes) > 500
    np.testing.assert_allclose(budgeted, unbounded, atol=2e-5)
    assert onnx_minilm.TOKENS_PER_PASS == 2048  # the default, measured in performance.md


def test_cached_file_is_reused(model_cache: Path) -> None:
    path = model_cache / model_filename(quantized=True)
    before = path.stat()
    exports = onnx_minilm.exports
    assert ensure_model(model_cache, quantized=True) == path
    after = path.stat()
    assert onnx_minilm.exports == exports
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def _corrupt_a_weight(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2  # in the initializers: the file is almost all weights
    data[middle : middle + 64] = bytes(255 - byte for byte in data[middle : middle + 64])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["flipped_bytes", "truncated", "record_missing", "record_matches_a_wrong_model"],
)
def test_damaged_cache_is_detected_and_rebuilt(
    model_cache: Path, tmp_path: Path, damage: str
) -> None:
    path = _cached_copy(model_cache, tmp_path, quantized=False)
    record = path.with_name(path.name + ".json")
    if damage == "flipped_bytes":
        _corrupt_a_weight(path)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "record_missing":
        record.unlink()
    else:
        # Wrong weights in a well-formed file whose record matches it: the sha256 check
        # passes, the known answer must catch it.
        import hashlib

        import onnx
        from onnx import numpy_helper

        model = onnx.load(str(path))
        weight = next(item for item in model.graph.initializer if len(item.dims) == 2)
        weight.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(weight) * 0.5, weight.name))
        onnx.save(model, str(path))

        recorded = json.loads(record.read_text())
        recorded["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        record.write_text(json.dumps(recorded))
        assert onnx_minilm._recorded_valid(path)
    exports = onnx_minilm.exports

    assert ensure_model(tmp_path, quantized=False) == path

    assert onnx_minilm.exports == exports + 1
    assert path.read_bytes() == (model_cache / path.name).read_bytes()
    assert onnx_minilm._recorded_valid(path)
    assert sorted(item.name for item in tmp_path.iterdir()) == [path.name, record.name]


def test_a_model_without_the_known_answer_is_refused(
    model_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cached_copy(model_cache, tmp_path, quantized=False)
    wrong = [[value + 0.01 for value in row] for row in onnx_minilm.KNOWN_PREFIX]
    monkeypatch.setattr(onnx_minilm, "KNOWN_PREFIX", wrong)
    with pytest.raises(OnnxModelError, match="differs from the reference"):
        ensure_model(tmp_path, quantized=False)


def test_a_failed_export_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(target: Path, **_: object) -> None:
        target.write_bytes(b"half a model")
        raise OnnxModelError("export interrupted")

    monkeypatch.setattr(onnx_minilm, "export_model", fail)
    with pytest.raises(OnnxModelError, match="export interrupted"):
        ensure_model(tmp_path, quantized=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    any(version(package) != wanted for package, wanted in onnx_minilm.EXPORTED_WITH.items()),
    reason=f"the recorded sha256 is for {onnx_minilm.EXPORTED_WITH}",
)
@pytest.mark.parametrize("quantized", [False, True], ids=["fp32", "int8"])
def test_export_reproduces_the_recorded_file(model_cache: Path, quantized: bool) -> None:
    record = json.loads((model_cache / (model_filename(quantized=quantized) + ".json")).read_text())
    assert record["sha256"] == onnx_minilm.EXPORTED_SHA256[quantized]
    assert os.path.getsize(model_cache / model_filename(quantized=quantized)) > 0
