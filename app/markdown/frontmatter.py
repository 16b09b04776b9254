"""An article's YAML front matter: read safely, typed, with the span of each top-level value.

The front matter sits between a ``---`` line and a closing ``---`` (or ``...``) line.
It is read with YAML's safe loader, and more narrowly:

- no anchors or aliases (``&a``, ``*a``): a few hundred bytes of them can expand into
  megabytes of pages; a front matter of more than 64 KiB, or a value of more than
  10,000 characters, is refused as well;
- typed keys: ``lang`` (required), ``slug``, ``title``, ``summary`` and ``author`` are
  text, ``title`` is required; ``date`` is a date (``2024-01-11``, quoted or not);
  ``unpublished`` lists languages whose version is not to be published
  (``paragraf unpublish``). An error names the key's line. Other keys are copied through.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

from ..errors import SourceError

FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$")
TEXT_KEYS = ("lang", "slug", "title", "summary", "author")
#: Keys paragraf itself reads, which are never translated.
OWN_KEYS = ("lang", "slug", "date", "unpublished")
MAX_BYTES = 64 * 1024
MAX_VALUE = 10_000
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def closing(lines: list[str], name: str) -> int:
    """The index of the line that closes the front matter of an article's ``lines``."""
    if not lines or not FENCE.match(lines[0]) or lines[0].startswith("..."):
        raise SourceError(
            f"{name}:1: no front matter; start the file with a '---' line, then YAML"
            " with at least 'lang: en' (or tr, ru) and 'title:', then a closing '---' line"
        )
    for index in range(1, len(lines)):
        if FENCE.match(lines[index]):
            return index
    raise SourceError(f"{name}:1: front matter is not closed; add a '---' line after it")


def parse(lines: list[str], name: str) -> tuple[dict[str, Any], int]:
    """The front matter of an article's ``lines``, and the index of its first body line."""
    index = closing(lines, name)
    source = "\n".join(lines[1:index])
    if len(source.encode("utf-8")) > MAX_BYTES:
        raise SourceError(
            f"{name}:2: the front matter is larger than {MAX_BYTES // 1024} KiB; keep it to"
            " the article's metadata"
        )
    try:
        meta = _load(source, name)
    except ValueError as e:  # a date YAML recognizes by its shape but that does not exist
        where = _line_of("date", lines, index, name)
        raise SourceError(f"{where}: front matter 'date' is not a real date: {e}") from e
    _check_types(meta, lines, index, name)
    return meta, index + 1


def _line_of(key: str, lines: list[str], end: int, name: str) -> str:
    """``file:line`` of a top-level key of the front matter."""
    for index in range(1, end):
        if lines[index].startswith(f"{key}:"):
            return f"{name}:{index + 1}"
    return f"{name}:1"


def _load(source: str, name: str) -> dict[str, Any]:
    try:
        # an anchor needs '&' and an alias '*': without either, one pass is enough
        events = yaml.parse(source, Loader=_LOADER) if "&" in source or "*" in source else ()
        for event in events:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 2 if event.start_mark is not None else 2
                raise SourceError(
                    f"{name}:{line}: YAML anchors and aliases ('&' and '*') are not allowed in"
                    " front matter; write the value out"
                )
        meta = yaml.load(source, Loader=_LOADER)  # noqa: S506 - the safe loader, aliases refused
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise SourceError(f"{name}:{line}: front matter is not valid YAML: {problem}") from e
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise SourceError(
            f"{name}:2: front matter must be YAML keys and values, got {type(meta).__name__}"
        )
    return meta


def _check_types(meta: dict[str, Any], lines: list[str], end: int, name: str) -> None:
    def where(key: str) -> str:
        return _line_of(key, lines, end, name)

    lang = meta.get("lang")
    if not isinstance(lang, str) or not lang:
        raise SourceError(
            f"{name}:1: front matter has no 'lang' key; add the article's language, e.g. 'lang: en'"
        )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceError(
            f"{name}:1: front matter has no 'title'; every article needs one (it heads the"
            " published page), e.g. 'title: Allegations of North Korea-Russia Arms Trade'"
        )
    for key, value in meta.items():
        if key in TEXT_KEYS and not isinstance(value, str):
            raise SourceError(f"{where(key)}: front matter {key!r} must be text, got {value!r}")
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise SourceError(
                f"{where(key)}: front matter {key!r} is longer than {MAX_VALUE:,} characters"
            )
    unpublished = meta.get("unpublished", [])
    if not (isinstance(unpublished, list) and all(isinstance(x, str) for x in unpublished)):
        raise SourceError(
            f"{where('unpublished')}: front matter 'unpublished' must be a list of languages,"
            f" e.g. [ru], got {unpublished!r}"
        )
    date = meta.get("date")
    if date is not None and not isinstance(date, datetime.date):
        try:
            meta["date"] = datetime.date.fromisoformat(str(date))
        except ValueError as e:
            raise SourceError(
                f"{where('date')}: front matter 'date' must be a date like 2024-01-11, got {date!r}"
            ) from e


def value_span(key: str, lines: list[str], starts: list[int], end: int) -> tuple[int, int] | None:
    """Character span of a top-level value (after ``key:``), continuation lines included."""
    prefix = f"{key}:"
    for index in range(1, end - 1):
        if lines[index].startswith(prefix):
            last = index
            while last + 1 < end - 1 and (
                lines[last + 1][:1] in (" ", "\t") or not lines[last + 1].strip()
            ):
                last += 1
            while last > index and not lines[last].strip():
                last -= 1
            return starts[index] + len(prefix), starts[last] + len(lines[last].rstrip())
    return None
