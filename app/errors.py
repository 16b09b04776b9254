"""The errors paragraf raises: each message names the file, line or field and what to do."""

from __future__ import annotations


class ParagrafError(Exception):
    """Base error: the message is shown to the user as it is."""


class ConfigError(ParagrafError):
    """``[tool.paragraf]`` in pyproject.toml is missing or invalid."""


class SourceError(ParagrafError):
    """An article in ``content/`` cannot be read or segmented."""


class CatalogError(ParagrafError):
    """A PO or POT file cannot be parsed or written."""
