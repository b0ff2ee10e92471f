"""The ``storyline`` command line: ``storyline VERB ...``; stdout is data, stderr is logs."""

import os

# BLAS threads fight the extractor processes (and each other) for the cores: on the 2-core
# reference machine under load, the embedding model ran 3x faster with one thread per process.
# Set before numpy is first imported; a user's own setting wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from storyline.cli.main import cli  # noqa: E402  (after the thread settings above)

__all__ = ["cli"]
