from __future__ import annotations

from tests.enrich.conftest import nlp

__all__ = ["nlp"]
