"""The text boundary: every string bound for a PO file passes here, or is refused.

A catalog keeps a text exactly or refuses it with a message naming the character and
where it is; nothing that reaches a file can change its structure for paragraf, GNU
gettext, Poedit or any tool that splits lines the way Python's ``str.splitlines`` does.

- In a *text* (a msgid from an article, a msgstr from a person, an engine, the memory
  or an import) a tab and a line break are kept. The characters that mean a line break
  elsewhere become one: ``\\r\\n`` and ``\\r``, Word's manual line break ``\\x0b``
  (vertical tab), U+2028 LINE SEPARATOR and U+0085 NEXT LINE; the project writes a line
  break inside a block as a hard line break.
- Refused everywhere: the other C0 controls (NUL, backspace, form feed, U+001C–U+001F…),
  DEL, the other C1 controls (U+0080–U+009F), U+2029 PARAGRAPH SEPARATOR (a block cannot
  hold a paragraph break; split the paragraph instead) and lone surrogates (not UTF-8).
- In a *line* (a translator comment, a provenance, a reason, a header value) a line
  break of any kind is refused as well: one line stays one line.

:func:`text` and :func:`line` apply the rules and raise :class:`TextError`;
:func:`problem` only looks, for the writer's last check before a file is written.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ParagrafError

__all__ = ["TextError", "line", "problem", "text"]

_BREAKS = re.compile("\r\n|[\r\x0b\u2028\x85]")
#: Never stored: C0 controls but tab and line feed, DEL, C1 controls, U+2029, surrogates.
_REFUSED = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2029\ud800-\udfff"
_REFUSED_IN_TEXT = re.compile(f"[{_REFUSED}]")
_REFUSED_IN_LINE = re.compile(f"[\n{_REFUSED}\u2028]")
# What stops a text from being written as it is: a refused character or a line break
# other than LF (every one of _BREAKS but U+2028 is in _REFUSED), in one pass.
_NOT_AS_IS = re.compile(f"[{_REFUSED}\u2028]")
_NAMES = {
    0x00: "NUL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x1C: "FILE SEPARATOR",
    0x1D: "GROUP SEPARATOR",
    0x1E: "RECORD SEPARATOR",
    0x1F: "UNIT SEPARATOR",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


class TextError(ParagrafError):
    """A text holds a character a catalog cannot keep."""


def describe(char: str) -> str:
    """``U+000C FORM FEED``: a character as messages name it."""
    code = ord(char)
    name = _NAMES.get(code)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "a lone surrogate, not valid UTF-8"
        else:
            name = unicodedata.name(char, "a control character")
    return f"U+{code:04X} {name}"


def text(value: str, where: str) -> str:
    """``value`` as a catalog stores it: line breaks normalized; refused characters raise.

    >>> text("Birinci satır\\u2028ikinci satır", "msgstr")
    'Birinci satır\\nikinci satır'
    >>> text("a\\x0cb", "tr/x.po: msgstr")
    Traceback (most recent call last):
    ...
    app.po.text.TextError: tr/x.po: msgstr: character U+000C FORM FEED at position 2 cannot be stored in a catalog; remove it
    """
    if _BREAKS.search(value):
        value = _BREAKS.sub("\n", value)
    _refuse(_REFUSED_IN_TEXT.search(value), where)
    return value


def line(value: str, where: str) -> str:
    """``value`` as a one-line field (a comment, a provenance, a header value) or raise."""
    _refuse(_REFUSED_IN_LINE.search(value) or _BREAKS.search(value), where)
    return value


def problem(value: str, *, one_line: bool = False) -> str | None:
    """What would stop ``value`` from being written as it is (None: nothing)."""
    found = (_REFUSED_IN_LINE if one_line else _NOT_AS_IS).search(value)
    if found is None:
        return None
    return f"character {describe(found.group()[0])} at position {found.start() + 1}"


def _refuse(found: re.Match[str] | None, where: str) -> None:
    if found is None:
        return
    char = found.group()[0]
    hint = "; split the paragraph in two instead" if char == "\u2029" else "; remove it"
    raise TextError(
        f"{where}: character {describe(char)} at position {found.start() + 1}"
        f" cannot be stored in a catalog{hint}"
    )
