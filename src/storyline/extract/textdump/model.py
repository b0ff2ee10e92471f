"""The shipped line model: gradient-boosted trees evaluated with numpy, plus smoothing settings.

The trees are trained with scikit-learn by ``tools/train_textdump_model.py`` and exported to a
small JSON file; at run time only numpy is needed. All trees of an ensemble are stored in flat
arrays, and a leaf points to itself, so one loop of ``depth`` vectorised steps walks every tree
for every line of a page at once. For the walk the nodes are renumbered so that a right child
follows its left child: a step is then "left child + went right", one lookup fewer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from storyline.extract.textdump.features import CONTEXT_SCORE_FEATURES, FEATURE_NAMES
from storyline.extract.textdump.title import TITLE_FEATURES

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

MODEL_FORMAT: Final = "storyline-textdump-model/1"
DEFAULT_MODEL_FILE: Final = "line_model.json"
_PACKAGE: Final = "storyline.extract.textdump"


class ModelFormatError(ValueError):
    """The model file is not a storyline text-dump model (wrong format tag or shape)."""


@dataclass(frozen=True, slots=True)
class _Walk:
    """The nodes of an ensemble renumbered for the walk: each node's children sit side by side.

    A leaf is its own left child with an infinite threshold, so it never moves.
    """

    roots: IntArray
    feature: IntArray
    threshold: FloatArray
    left: IntArray  # the right child is left + 1
    value: FloatArray
    root_feature: IntArray
    root_threshold: FloatArray

    @classmethod
    def build(
        cls,
        roots: IntArray,
        feature: IntArray,
        threshold: FloatArray,
        left: IntArray,
        right: IntArray,
        value: FloatArray,
    ) -> _Walk:
        order: list[int] = []  # new number -> old node
        for root in roots.tolist():
            order.append(root)
            for old in _subtree(root, left, right):
                if left[old] != old or right[old] != old:
                    order += (int(left[old]), int(right[old]))
        old_nodes = np.asarray(order, dtype=np.intp)
        new_number = np.zeros(max(feature.size, 1), dtype=np.intp)
        new_number[old_nodes] = np.arange(old_nodes.size)
        leaf = (left[old_nodes] == old_nodes) & (right[old_nodes] == old_nodes)
        walk_left = np.where(leaf, np.arange(old_nodes.size), new_number[left[old_nodes]])
        walk_feature = np.where(leaf, 0, feature[old_nodes])
        walk_threshold = np.where(leaf, np.inf, threshold[old_nodes])
        walk_roots = new_number[roots]
        return cls(
            walk_roots,
            walk_feature,
            walk_threshold,
            walk_left,
            value[old_nodes],
            walk_feature[walk_roots],
            walk_threshold[walk_roots],
        )


def _subtree(root: int, left: IntArray, right: IntArray) -> list[int]:
    """The nodes under ``root`` in breadth-first order (each once: leaves point to themselves)."""
    nodes, seen = [root], {root}
    for node in nodes:
        for child in (int(left[node]), int(right[node])):
            if child not in seen:
                seen.add(child)
                nodes.append(child)
    return nodes


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Additive trees: score(x) = baseline + sum of the leaf values x reaches."""

    feature_names: tuple[str, ...]
    baseline: float
    depth: int
    roots: IntArray
    feature: IntArray
    threshold: FloatArray
    left: IntArray
    right: IntArray
    value: FloatArray
    walk: _Walk

    @classmethod
    def from_arrays(
        cls,
        feature_names: tuple[str, ...],
        baseline: float,
        depth: int,
        arrays: dict[str, npt.NDArray[Any]],
    ) -> TreeEnsemble:
        ints = {k: np.asarray(arrays[k]).astype(np.intp) for k in ("feature", "left", "right", "roots")}
        threshold = np.asarray(arrays["threshold"], dtype=np.float64)
        value = np.asarray(arrays["value"], dtype=np.float64)
        sizes = {threshold.size, value.size, *(v.size for k, v in ints.items() if k != "roots")}
        nodes = threshold.size
        if len(sizes) != 1 or any(((v < 0) | (v >= max(nodes, 1))).any() for v in ints.values()):
            raise ModelFormatError("tree arrays differ in length or point outside the ensemble")
        walk = _Walk.build(ints["roots"], ints["feature"], threshold, ints["left"], ints["right"], value)
        return cls(
            feature_names,
            baseline,
            depth,
            ints["roots"],
            ints["feature"],
            threshold,
            ints["left"],
            ints["right"],
            value,
            walk,
        )

    def raw_scores(self, x: FloatArray) -> FloatArray:
        """Log-odds for each row of x (rows = lines, columns = feature_names)."""
        n = x.shape[0]
        walk = self.walk
        if n == 0 or walk.roots.size == 0:
            return np.full(n, self.baseline)
        x = np.ascontiguousarray(x, dtype=np.float64)
        flat = x.ravel()
        # Every line starts at the same roots: the first step reads whole columns.
        node = walk.left[walk.roots] + (x.take(walk.root_feature, axis=1) > walk.root_threshold)
        # Where each line's row starts in `flat`, for every tree (in-place sums below: no
        # broadcasting, no new arrays).
        row_starts = np.arange(0, n * x.shape[1], x.shape[1], dtype=np.intp)
        row_base: IntArray = np.repeat(row_starts, node.shape[1]).reshape(node.shape)
        for _ in range(self.depth - 1):
            at = walk.feature.take(node)
            at += row_base
            goes_right = flat.take(at) > walk.threshold.take(node)
            node = walk.left.take(node)
            node += goes_right
        scores: FloatArray = self.baseline + walk.value.take(node).sum(axis=1)
        return scores

    def probabilities(self, x: FloatArray) -> FloatArray:
        return 1.0 / (1.0 + np.exp(-self.raw_scores(x)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        keys = ("feature", "threshold", "left", "right", "value", "roots")
        return cls.from_arrays(
            tuple(data["feature_names"]),
            float(data["baseline"]),
            int(data["depth"]),
            {k: np.asarray(data[k]) for k in keys},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature_names": list(self.feature_names),
            "baseline": self.baseline,
            "depth": self.depth,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [float(f"{t:.7g}") for t in self.threshold.tolist()],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [float(f"{v:.6g}") for v in self.value.tolist()],
        }


@dataclass(frozen=True, slots=True)
class Smoothing:
    """How line log-odds become body lines (the decoder's settings; see ``layout.decode``).

    ``switch_cost`` is the log-odds penalty for changing state between adjacent lines in the
    two-state Viterbi decoder: the body of an article is mostly one run, so an isolated
    "body-looking" line inside chrome (or the reverse) needs strong evidence to flip.
    ``body_bias`` is added to every line's log-odds before it is kept or dropped.
    """

    switch_cost: float
    body_bias: float
    # When set, the body is one main block instead: the contiguous run of lines that maximises
    # the summed log-odds plus this bias per line (a maximum-subarray segment), and within it the
    # lines whose log-odds plus ``body_bias`` are positive. Comments and teaser lists after an
    # article look like prose line by line; as a separate run they lose to the article.
    segment_bias: float | None = None


@dataclass(frozen=True, slots=True)
class LineModel:
    """Everything find_layout needs: two body passes, the headline model, smoothing.

    ``body`` scores each line from its own looks and its neighbours' looks; ``context`` scores it
    again from ``body``'s scores of the lines around it.
    """

    body: TreeEnsemble
    context: TreeEnsemble
    title: TreeEnsemble
    smoothing: Smoothing
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineModel:
        if data.get("format") != MODEL_FORMAT:
            raise ModelFormatError(f"expected format {MODEL_FORMAT!r}, got {data.get('format')!r}")
        smooth = data["smoothing"]
        model = cls(
            body=TreeEnsemble.from_dict(data["body"]),
            context=TreeEnsemble.from_dict(data["context"]),
            title=TreeEnsemble.from_dict(data["title"]),
            smoothing=Smoothing(
                float(smooth["switch_cost"]), float(smooth["body_bias"]), _optional_float(smooth.get("segment_bias"))
            ),
            meta=dict(data.get("meta", {})),
        )
        expected = (FEATURE_NAMES, CONTEXT_SCORE_FEATURES, TITLE_FEATURES)
        found = (model.body.feature_names, model.context.feature_names, model.title.feature_names)
        if found != expected:
            raise ModelFormatError("model was trained on other features; retrain it")
        return model

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "meta": self.meta,
            "smoothing": {
                "switch_cost": self.smoothing.switch_cost,
                "body_bias": self.smoothing.body_bias,
                "segment_bias": self.smoothing.segment_bias,
            },
            "body": self.body.to_dict(),
            "context": self.context.to_dict(),
            "title": self.title.to_dict(),
        }

    @classmethod
    def load(cls, path: str | Path) -> LineModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)
        Path(path).write_text(text + "\n", encoding="utf-8")


def _optional_float(value: Any) -> float | None:
    """Model files written before the main-block decoder have no segment bias: Viterbi."""
    return None if value is None else float(value)


_default: list[LineModel] = []


def default_model() -> LineModel:
    """The model shipped with the package, read once and kept."""
    if not _default:
        text = resources.files(_PACKAGE).joinpath(DEFAULT_MODEL_FILE).read_text("utf-8")
        _default.append(LineModel.from_dict(json.loads(text)))
    return _default[0]
