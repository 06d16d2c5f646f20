"""Errors a user can fix. Each carries a one-line message that says how.

The command-line tools catch ``NewsError`` and print ``error: <message>``
instead of a traceback, so every subclass message must stand on its own.
"""


class NewsError(Exception):
    """Base class for every error the user can act on."""


class CorpusNotFound(NewsError):
    """The folder or file given to read does not exist."""

    def __init__(self, path):
        super().__init__(f"corpus path not found: {path} (give an existing folder or file of news texts)")
        self.path = path
