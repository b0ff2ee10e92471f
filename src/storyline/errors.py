"""Exceptions raised by storyline.

Expected outcomes (a page that is not an article, a duplicate) are values, not exceptions; these
classes are for what stops a command. Each carries a stable ``code`` and says what to do::

    StorylineError
    ├── UserError            the user can fix it (exit code 1)
    │   ├── InputNotFound    a path or glob matched nothing
    │   ├── ConfigError      a bad setting in a file, the environment or a flag
    │   └── NotFound         an id that is not in the database
    └── StoreError           the database file cannot be used
        └── SchemaTooNew     the file was written by a newer storyline
"""

from __future__ import annotations


class StorylineError(Exception):
    code = "SL000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class UserError(StorylineError):
    code = "SL100"


class InputNotFound(UserError):
    code = "SL101"


class ConfigError(UserError):
    code = "SL102"


class NotFound(UserError):
    code = "SL103"


class StoreError(StorylineError):
    code = "SL200"


class SchemaTooNew(StoreError):
    code = "SL201"
