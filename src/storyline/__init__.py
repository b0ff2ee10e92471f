"""storyline: raw news pages -> articles -> copies -> stories -> quotes and events.

The package is laid out by pipeline stage (``ingest``, ``extract``), with ``store`` (the SQLite
file), ``pipeline`` (steps and executors) and ``cli`` at the edges. Stage code imports only
``records``, ``config`` and ``errors``.
"""

__version__ = "0.1.0"
