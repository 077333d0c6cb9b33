"""One query through a BERT encoder, fast: weights prepacked for oneDNN, bfloat16 where it pays.

Why this exists: a search waits for its query's vector, and a query is one short text, where a
forward pass is a few dozen small matrix products. Plain ``F.linear`` re-lays out each weight
for oneDNN on every call; prepacking once (``mkldnn._reorder_linear_weight``) and multiplying
in bfloat16 on a CPU that does so natively (AVX512-BF16/AMX) took a Spanish query through
multilingual-e5-small from 9.5-13.5 ms (frozen TorchScript, bfloat16) to 4.7-9 ms on one core,
and an English one through MiniLM from 3.5-8 ms (frozen float32) to 2.7-4.7 ms. Query, key and
value are one product; bias and GELU are fused into theirs. Vectors agree with the float32
model to a cosine of 0.9999 or better; ``query_encoder`` checks that on the model itself before
using it, and falls back to float32 (packed, then the caller's own reference) where bfloat16 is
slower or disagrees. Documents never come through here: they are embedded in float32, batched.

oneDNN builds its kernels per input shape, so the first query of each length paid 2-9 ms
more; the encoder is run once at every common query length when it is built (~0.8 s).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from functools import lru_cache

import numpy as np

AGREEMENT = 0.9999  # minimum cosine between mean-pooled outputs and the reference
WARM_LENGTHS = range(1, 65)  # tokens; a 400-character query is ~100, most are under 30


# TorchScript, so that a query's forward pass is one call: Python threads share one lock (the
# GIL), and op-by-op from Python the query thread waited for it at every operation while the
# request's own thread ran Python; measured on 150 Spanish searches, interleaved, p50 / p95:
# this 32.9 / 40.3 ms, the same ops from Python 35.0 / 43.6, the former frozen graph 36.2 /
# 45.2. Written as source because ``Scalar?[]`` (an op argument) has no Python spelling.
_SOURCE = """
def layers(x: Tensor, w: List[Tensor], heads: int, eps: float) -> Tensor:
    x = x[0].to(w[1].dtype)
    tokens = x.size(0)
    hidden = x.size(1)
    none = torch.jit.annotate(List[Optional[number]], [])
    for i in range(len(w) // 12):
        b = i * 12
        qkv = torch.ops.mkldnn._linear_pointwise(x, w[b], w[b + 1], "none", none, "")
        qkv = qkv.view(1, tokens, 3, heads, -1).permute(2, 0, 3, 1, 4)
        ctx = torch.nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2])
        ctx = ctx.transpose(1, 2).reshape(tokens, hidden)
        out = torch.ops.mkldnn._linear_pointwise(ctx, w[b + 2], w[b + 3], "none", none, "")
        x = torch.layer_norm(x + out, [hidden], w[b + 4], w[b + 5], eps)
        mid = torch.ops.mkldnn._linear_pointwise(x, w[b + 6], w[b + 7], "gelu", none, "none")
        out = torch.ops.mkldnn._linear_pointwise(mid, w[b + 8], w[b + 9], "none", none, "")
        x = torch.layer_norm(x + out, [hidden], w[b + 10], w[b + 11], eps)
    return x.float().unsqueeze(0)
"""


@lru_cache(maxsize=1)
def _layers():
    import torch

    with warnings.catch_warnings():  # torch.jit's deprecation notice
        warnings.simplefilter("ignore")
        return torch.jit.CompilationUnit(_SOURCE).layers


class PackedEncoder:
    """BERT layers (post-LayerNorm, exact GELU) over one text's token vectors, ``(1, n, H)``.

    ``weights`` uses the names of ``search.multilingual_e5``: ``l{i}.q.w``, ``l{i}.q.b`` and
    likewise ``k``, ``v``, ``ao`` (attention output), ``fi``/``fo`` (feed-forward in/out),
    ``aln``/``oln`` (the LayerNorms, ``.w``/``.b``); ``bert_weights`` renames a Hugging Face
    BERT's. Query, key and value become one product; bias and GELU are fused into theirs."""

    def __init__(self, weights: dict, layers: int, heads: int, eps: float, dtype) -> None:
        import torch

        def pack(*names: str):
            joined = torch.cat([weights[name] for name in names]).to(dtype)
            return torch.ops.mkldnn._reorder_linear_weight(joined, None)

        def cast(*names: str):
            return torch.cat([weights[name] for name in names]).to(dtype)

        self.heads, self.eps, self.dtype = heads, float(eps), dtype
        self.flat = []  # 12 tensors per layer, in the order _SOURCE reads them
        for layer in range(layers):
            p = f"l{layer}."
            self.flat += [
                pack(p + "q.w", p + "k.w", p + "v.w"),
                cast(p + "q.b", p + "k.b", p + "v.b"),
            ]
            self.flat += [pack(p + "ao.w"), cast(p + "ao.b"), cast(p + "aln.w"), cast(p + "aln.b")]
            self.flat += [pack(p + "fi.w"), cast(p + "fi.b"), pack(p + "fo.w"), cast(p + "fo.b")]
            self.flat += [cast(p + "oln.w"), cast(p + "oln.b")]

    def __call__(self, x):
        return _layers()(x, self.flat, self.heads, self.eps)


BERT_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_weights(state: dict, layers: int) -> dict:
    """A Hugging Face ``BertModel``'s layer weights under ``PackedEncoder``'s names."""
    out = {}
    for layer in range(layers):
        for short, long in BERT_NAMES.items():
            for end, hf in (("w", "weight"), ("b", "bias")):
                out[f"l{layer}.{short}.{end}"] = state[f"encoder.layer.{layer}.{long}.{hf}"]
    return out


def query_encoder(
    weights: dict, layers: int, heads: int, eps: float, reference: Callable, example
) -> Callable:
    """The fastest encoder for one query that agrees with ``reference`` (the caller's float32
    ``x -> hidden``) on ``example``: packed bfloat16 if at least 10 % faster than packed
    float32, else packed float32, else ``reference`` itself (no oneDNN, or disagreement)."""
    import torch

    if not torch.backends.mkldnn.is_available():
        return reference
    try:
        fp32 = PackedEncoder(weights, layers, heads, eps, torch.float32)
        chosen = fp32 if _agrees(reference, fp32, example) else reference
        if chosen is fp32 and torch.ops.mkldnn._is_mkldnn_bf16_supported():
            bf16 = PackedEncoder(weights, layers, heads, eps, torch.bfloat16)
            if _agrees(reference, bf16, example) and _faster(bf16, fp32, example):
                chosen = bf16
    except RuntimeError:  # an op this build of PyTorch lacks: stay with the reference
        return reference
    for length in WARM_LENGTHS:
        chosen(example[:, :1].expand(1, length, example.shape[-1]).contiguous())
    return chosen


def _agrees(reference: Callable, candidate: Callable, example) -> bool:
    import torch.nn.functional as F

    a, b = reference(example).mean(1), candidate(example).mean(1)
    return bool(F.cosine_similarity(a, b, dim=-1).min() >= AGREEMENT)


def _faster(candidate: Callable, reference: Callable, example, runs: int = 7) -> bool:
    """The candidate must save at least 10 % (median of ``runs`` each, taken in turns so that
    a change in the machine's speed meanwhile hits both alike)."""
    times: dict[int, list[float]] = {0: [], 1: []}
    candidate(example), reference(example)  # warm up
    for _ in range(runs):
        for which, graph in enumerate((candidate, reference)):
            started = time.perf_counter()
            graph(example)
            times[which].append(time.perf_counter() - started)
    return float(np.median(times[0])) < 0.9 * float(np.median(times[1]))


def sentence_transformer_encoder(model, example: dict, probes: list[str]) -> Callable | None:
    """``features -> vector`` (before normalising) for a sentence-transformers BERT with mean
    pooling (MiniLM), through ``PackedEncoder``, when its vectors agree with the model's own on
    ``probes``; else None."""
    import torch.nn.functional as F

    try:
        bert, pooling = model[0].auto_model, model[1]
        config = bert.config
        if (
            config.model_type != "bert"
            or config.hidden_act != "gelu"
            or getattr(pooling, "pooling_mode", None) != "mean"
        ):
            return None

        def embed(features: dict):
            return bert.embeddings(
                input_ids=features["input_ids"], token_type_ids=features.get("token_type_ids")
            )

        def reference(x):
            return bert.encoder(x)[0]

        layers = config.num_hidden_layers
        encoder = query_encoder(
            bert_weights(bert.state_dict(), layers),
            layers,
            config.num_attention_heads,
            config.layer_norm_eps,
            reference,
            embed(example),
        )
        if encoder is reference:
            return None

        def forward(features: dict):
            return encoder(embed(features))[0].mean(0)

        tokenize = getattr(model, "preprocess", model.tokenize)
        for text in probes:
            features = tokenize([text])
            expected = model(dict(features))["sentence_embedding"][0]
            if F.cosine_similarity(forward(features), expected, dim=0) < AGREEMENT:
                return None
    except (AttributeError, IndexError, KeyError, TypeError, RuntimeError):
        return None  # not the layout this path knows: trace or eager instead
    return forward
