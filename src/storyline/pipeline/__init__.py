"""Pipeline: steps and the executors that run them.

``extract_pages`` runs the extract stage over a stream of pages with a time limit per page, in
worker processes, so that a hostile page (one that hangs, or crashes the parser) becomes a
rejection and the run goes on.
"""

from storyline.pipeline.pool import ExtractPool, extract_pages

__all__ = ["ExtractPool", "extract_pages"]
