"""Text-dump cleaning: find the headline and the article body in a flattened page.

A text dump is a whole web page written out one block per line, with no markup (menus,
breadcrumbs, the headline, the body, "Related" lists, footers). :func:`find_layout` returns the
index of the headline line and the indices of the body lines, using a small learned line model
shipped with the package (``line_model.json``, rebuilt by ``tools/train_textdump_model.py``).
"""

from storyline.extract.textdump.layout import DumpLayout, find_layout, find_layout_with, locate_article
from storyline.extract.textdump.model import LineModel, ModelFormatError, default_model

__all__ = [
    "DumpLayout",
    "LineModel",
    "ModelFormatError",
    "default_model",
    "find_layout",
    "find_layout_with",
    "locate_article",
]
