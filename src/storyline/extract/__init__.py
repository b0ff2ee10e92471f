"""Extract stage: ``extract_article(page, options) -> Article | Rejection``.

Pure: no I/O, no globals that change. HTML pages go to the HTML engine, text dumps to the
text-dump cleaner; both then get the same dateline, language and length checks. Every expected
failure is a ``Rejection`` with a reason; only the unexpected raises (the runner records it).
"""

from __future__ import annotations

from storyline.config import ExtractOptions
from storyline.extract.article import extract_article

__all__ = ["ExtractOptions", "extract_article"]
