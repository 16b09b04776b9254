"""The PO format: the one reader and the one writer of every catalog and template.

The reader follows GNU gettext's grammar, strictly, and returns polib objects. It reads
every escape GNU gettext writes (``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"``, octal and hex
bytes) and splits the file on line feeds only: a U+2028 or a form feed inside a string
is a character of that string, never the end of a line, whatever Python's
``str.splitlines`` would say. What it cannot read completely it refuses, naming the
line: an unclosed or unescaped string, an unknown escape, a keyword out of place, an
entry without ``msgstr`` (a file cut short), two entries for one msgid (a second header
included, or an obsolete copy of an active entry).

The writer is polib's, unwrapped, and it checks every string and comment line against
the text boundary (:mod:`app.po.text`) first: a character that would come back
different, or change the file's structure, stops the write with a message naming the
entry, and nothing is written.
"""

from __future__ import annotations

import re

import polib

from ..errors import CatalogError
from . import text as boundary

__all__ = ["NotArticleCatalog", "dump", "parse"]

# No wrapping (like ``msgcat --no-wrap``): a msgid is a whole paragraph, and wrapped it
# reflows on every edit, so a one-word change would rewrite many lines of the diff.
WRAP_WIDTH = 0
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[([0-9]+)\])?)[ \t]*(?=")')
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*\Z', re.DOTALL)
_ESCAPE = re.compile(r'\\(?:([\\"ntrvbfa\'?])|([0-7]{1,3})|x([0-9a-fA-F]{1,2}))')
_SIMPLE = {
    "\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "v": "\v",
    "b": "\b", "f": "\f", "a": "\a", "'": "'", "?": "?",
}  # fmt: skip
_FLAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
_HINT = "; fix the line by hand (msgfmt -c shows the problem) or restore the file from git"


class NotArticleCatalog(CatalogError):
    """A catalog with plural forms or contexts, which an article catalog never has."""


class _Field:
    """The string an entry's next continuation line extends."""

    __slots__ = ("entry", "name", "index")

    def __init__(self, entry: _Entry, name: str, index: int | None = None) -> None:
        self.entry, self.name, self.index = entry, name, index

    def extend(self, value: str) -> None:
        if self.index is not None:
            self.entry.msgstr_plural[self.index] += value
        else:
            setattr(self.entry, self.name, getattr(self.entry, self.name) + value)


class _Entry:
    __slots__ = (
        "line", "obsolete", "tcomment", "comment", "occurrences", "flags", "msgctxt",
        "msgid", "msgid_plural", "msgstr", "msgstr_plural", "previous_msgctxt",
        "previous_msgid", "previous_msgid_plural", "msgid_line", "msgstr_seen",
    )  # fmt: skip

    def __init__(self, line: int) -> None:
        self.line = line
        self.obsolete: bool | None = None
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.msgctxt: str | None = None
        self.msgid: str | None = None
        self.msgid_plural = ""
        self.msgstr = ""
        self.msgstr_plural: dict[int, str] = {}
        self.previous_msgctxt: str | None = None
        self.previous_msgid: str | None = None
        self.previous_msgid_plural: str | None = None
        self.msgid_line = 0
        self.msgstr_seen = False

    def polib(self) -> polib.POEntry:
        return polib.POEntry(
            msgid=self.msgid,
            msgstr=self.msgstr,
            msgid_plural=self.msgid_plural,
            msgstr_plural=self.msgstr_plural,
            msgctxt=self.msgctxt,
            obsolete=bool(self.obsolete),
            tcomment="\n".join(self.tcomment),
            comment="\n".join(self.comment),
            occurrences=self.occurrences,
            flags=self.flags,
            previous_msgctxt=self.previous_msgctxt,
            previous_msgid=self.previous_msgid,
            previous_msgid_plural=self.previous_msgid_plural,
            linenum=self.msgid_line or self.line,
        )


def parse(text: str, name: str) -> polib.POFile:
    """Parse the text of a PO or POT file; errors name ``name`` and the line."""
    entries: list[_Entry] = []
    entry = _Entry(1)
    field: _Field | None = None
    number = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw  # a file saved with CRLF line ends
        s = line.lstrip(" \t")
        if not s:
            continue
        obsolete = s.startswith("#~")
        if obsolete:
            s = s[2:] if s[2:3] == "|" else s[2:].lstrip(" \t")
            s = "#" + s if s.startswith("|") else s
            if not s:
                continue
        if s[0] == '"' or (s.startswith("#|") and s[2:].lstrip(" \t").startswith('"')):
            previous = s[0] == "#"
            if field is None or isinstance(field, _Previous) != previous:
                what = (
                    "'#| \"…\"' continues no '#| msgid'"
                    if previous
                    else "a string continues nothing"
                )
                raise CatalogError(f"{name}:{number}: {what}{_HINT}")
            if not previous:
                _same_state(entry, obsolete, name, number)
            field.extend(_string(s[2:].lstrip(" \t") if previous else s, name, number))
            continue
        if entry.msgstr_seen and (s[0] == "#" or s.startswith(("msgctxt", "msgid"))):
            entries.append(entry)
            entry, field = _Entry(number), None
        if s[0] == "#":
            field = _comment(entry, s, obsolete, name, number)
            continue
        field = _keyword(entry, s, obsolete, name, number)
    if entry.msgid is not None or entry.tcomment or entry.comment or entry.occurrences:
        if not entry.msgstr_seen:
            what = "has no msgid" if entry.msgid is None else "has no msgstr"
            raise CatalogError(
                f"{name}:{entry.line}: the last entry {what}: the file is cut short{_HINT}"
            )
        entries.append(entry)
    return _build(entries, name)


def _same_state(entry: _Entry, obsolete: bool, name: str, number: int) -> None:
    if entry.obsolete is not None and entry.obsolete != obsolete:
        raise CatalogError(
            f"{name}:{number}: an entry is partly obsolete ('#~') and partly not{_HINT}"
        )


def _comment(entry: _Entry, s: str, obsolete: bool, name: str, number: int) -> _Field | None:
    """One comment line: its text goes where gettext puts it."""
    kind = s[1:2]
    rest = s[2:]
    if kind == "|":
        return _previous(entry, rest.lstrip(" \t"), obsolete, name, number)
    if obsolete:
        raise CatalogError(f"{name}:{number}: '#~' before a comment{_HINT}")
    body = rest[1:] if rest.startswith(" ") else rest
    if kind == ".":
        entry.comment.append(body)
    elif kind == ":":
        for occurrence in rest.split():
            path, _, line = occurrence.rpartition(":")
            entry.occurrences.append((path, line) if path and line.isdigit() else (occurrence, ""))
    elif kind == ",":
        entry.flags += [flag.strip() for flag in rest.split(",") if flag.strip()]
    else:
        tail = s[1:]
        entry.tcomment.append(tail[1:] if tail.startswith(" ") else tail)
    return None


def _previous(entry: _Entry, s: str, obsolete: bool, name: str, number: int) -> _Field:
    """A ``#|`` line: the previous msgctxt, msgid or msgid_plural."""
    match = _KEYWORD.match(s)
    if match is None or match.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
        raise CatalogError(
            f"{name}:{number}: '#|' must be followed by msgid, msgctxt or msgid_plural{_HINT}"
        )
    attribute = "previous_" + match.group(1)
    setattr(entry, attribute, _string(s[match.end() :], name, number))
    return _Previous(entry, attribute)


class _Previous(_Field):
    """A previous field: its continuation lines are ``#| "…"`` lines."""


def _keyword(entry: _Entry, s: str, obsolete: bool, name: str, number: int) -> _Field:
    if s.startswith(('msgid "', 'msgstr "')):  # the common cases, without the expression
        keyword, index = s[: s.index(" ")], None
        value = _string(s[len(keyword) + 1 :], name, number)
    else:
        match = _KEYWORD.match(s)
        if match is None:
            raise CatalogError(f"{name}:{number}: not valid PO syntax: {s[:60]!r}{_HINT}")
        keyword, index = match.group(1), match.group(2)
        value = _string(s[match.end() :], name, number)
    _same_state(entry, obsolete, name, number)
    entry.obsolete = obsolete
    if keyword == "msgctxt":
        if entry.msgid is not None or entry.msgctxt is not None:
            raise CatalogError(f"{name}:{number}: msgctxt must come before its msgid{_HINT}")
        entry.msgctxt = value
        return _Field(entry, "msgctxt")
    if keyword == "msgid":
        if entry.msgid is not None:
            raise CatalogError(
                f"{name}:{number}: a second msgid in one entry (a msgstr is missing){_HINT}"
            )
        entry.msgid, entry.msgid_line = value, number
        return _Field(entry, "msgid")
    if entry.msgid is None:
        raise CatalogError(f"{name}:{number}: {keyword} without a msgid before it{_HINT}")
    if keyword == "msgid_plural":
        entry.msgid_plural = value
        return _Field(entry, "msgid_plural")
    entry.msgstr_seen = True
    if index is not None:
        entry.msgstr_plural[int(index)] = value
        return _Field(entry, "msgstr_plural", int(index))
    entry.msgstr = value
    return _Field(entry, "msgstr")


def _string(s: str, name: str, number: int) -> str:
    """The value of a quoted string (the line from its opening quote on)."""
    if "\\" not in s:  # the common case, without the regular expression
        quoted = s.rstrip(" \t")
        value = quoted[1:-1]
        if len(quoted) >= 2 and quoted[-1] == '"' and '"' not in value:
            return value
    match = _QUOTED.match(s)
    if match is None:
        raise CatalogError(
            f"{name}:{number}: not valid PO syntax: {s[:60]!r} (a string must be one"
            f' "…" on the line, with \\" for a quote inside){_HINT}'
        )
    value = match.group(1)
    if "\\" not in value:
        return value
    return _unescape(value, name, number)


def _unescape(value: str, name: str, number: int) -> str:
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(value):
        if match.start() != pos and "\\" in value[pos : match.start()]:
            break  # an unknown escape before this one
        out += value[pos : match.start()].encode("utf-8", "surrogatepass")
        simple, octal, hexa = match.groups()
        if simple is not None:
            out += _SIMPLE[simple].encode()
        else:
            out.append(int(octal, 8) & 0xFF if octal is not None else int(hexa, 16))
        pos = match.end()
    rest = value[pos:]
    if "\\" in rest:
        bad = rest[rest.index("\\") : rest.index("\\") + 2]
        raise CatalogError(
            f"{name}:{number}: unknown escape {bad!r} in a string; write the character itself{_HINT}"
        )
    out += rest.encode("utf-8", "surrogatepass")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CatalogError(f"{name}:{number}: escaped bytes that are not UTF-8{_HINT}") from e


def _build(entries: list[_Entry], name: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    seen: dict[tuple[str | None, str], int] = {}
    for index, entry in enumerate(entries):
        assert entry.msgid is not None
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            what = (
                'a second header entry (msgid "")'
                if not entry.msgid
                else f"duplicate msgid {entry.msgid[:60]!r}"
            )
            raise CatalogError(
                f"{name}:{entry.msgid_line}: {what}, first at line {seen[key]}; merge the two"
                f" entries by hand (msgfmt -c shows both) or restore the file from git"
            )
        seen[key] = entry.msgid_line
        if index == 0 and entry.msgid == "" and entry.msgctxt is None and not entry.obsolete:
            po.header = "\n".join(entry.tcomment)
            po.metadata_is_fuzzy = "fuzzy" in entry.flags
            po.metadata = _metadata(entry.msgstr)
            continue
        po.append(entry.polib())
    return po


def _metadata(msgstr: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon and name and " " not in name.strip():
            key = name.strip()
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def check_article_catalog(po: polib.POFile, name: str) -> None:
    """Refuse what update would drop: plural entries and contexts (Poedit may make them)."""
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural or entry.msgctxt is not None:
            what = "a plural entry" if entry.msgid_plural else "msgctxt"
            raise NotArticleCatalog(
                f"{name}:{entry.linenum}: {what}: this is not an article catalog (article"
                " blocks have one msgid and one msgstr); move it out of translations/"
                " or remove the entry"
            )
        if entry.msgstr_plural:
            raise CatalogError(
                f"{name}:{entry.linenum}: msgstr[N] without msgid_plural for {entry.msgid[:60]!r};"
                ' write the translation as msgstr "…" (msgfmt -c shows the problem)'
            )


# --- writing -------------------------------------------------------------------------------


def dump(po: polib.POFile) -> bytes:
    """Serialize ``po`` the one way paragraf writes catalogs (polib's format, unwrapped)."""
    return head(po) + body(po)


def body(po: polib.POFile) -> bytes:
    """The entries of ``po`` as PO text: active ones in order, then the obsolete ones."""
    active = [_entry_text(e) for e in po if not e.obsolete]
    obsolete = [_entry_text(e) for e in po if e.obsolete]
    entries = "\n".join(active + obsolete)
    return f"\n{entries}\n".encode() if entries else b"\n"


def head(po: polib.POFile) -> bytes:
    """The header comment and the header entry."""
    for line in po.header.split("\n") if po.header else ():
        _check(line, "the header comment", one_line=True)
    for key, value in po.metadata.items():
        _check(key, "a header field name", one_line=True)
        _check(value, f"header field {key!r}", one_line=True)
    comment = (
        "".join(
            "#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
            for line in po.header.split("\n")
        )
        if po.header
        else ""
    )
    return (comment + po.metadata_as_entry().__unicode__(WRAP_WIDTH)).encode("utf-8")


def _entry_text(entry: polib.POEntry) -> str:
    texts = [entry.msgid, entry.msgstr, entry.msgid_plural, entry.msgctxt,
             entry.previous_msgid, entry.previous_msgctxt, *entry.msgstr_plural.values()]  # fmt: skip
    comments = [*entry.tcomment.split("\n"), *entry.comment.split("\n")]
    # one search over all the strings; only a failing entry is looked at string by string
    if (
        boundary.problem("\n".join(t for t in texts if t)) is not None
        or boundary.problem(" ".join(comments), one_line=True) is not None
    ):
        where = f"entry {entry.msgid[:60]!r}"
        for value in texts:
            if value:
                _check(value, where)
        for value in comments:
            _check(value, f"a comment of {where}", one_line=True)
    for path, line in entry.occurrences:
        if not path or _SPACE.search(path) or not (line == "" or line.isdigit()):
            raise CatalogError(
                f"entry {entry.msgid[:60]!r}: the reference {path}:{line} cannot be written on a"
                " '#:' line"
            )
    if entry.occurrences:
        paths = "".join(path for path, _line in entry.occurrences)
        _check(paths, f"a reference of entry {entry.msgid[:60]!r}", one_line=True)
    for flag in entry.flags:
        if not _FLAG.fullmatch(flag):
            raise CatalogError(
                f"entry {entry.msgid[:60]!r}: the flag {flag!r} cannot be written on a '#,' line"
            )
    return entry_text(entry)


_SPACE = re.compile(r"\s")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\v": "\\v",
                          "\b": "\\b", "\f": "\\f", '"': '\\"'})  # fmt: skip


def _field(out: list[str], prefix: str, name: str, value: str) -> None:
    lines = value.splitlines(True)
    if len(lines) > 1:
        out.append(f'{prefix}{name} ""')
        out.extend(f'{prefix}"{line.translate(_ESCAPES)}"' for line in lines)
    else:
        out.append(f'{prefix}{name} "{value.translate(_ESCAPES)}"')


def entry_text(entry: polib.POEntry) -> str:
    """An entry as polib writes it unwrapped (``__unicode__(0)``), byte for byte, 4× faster."""
    out: list[str] = []
    obsolete = entry.obsolete
    if entry.tcomment:
        out.extend(f"# {line}" for line in entry.tcomment.split("\n"))
    if entry.comment and not obsolete:
        out.extend(f"#. {line}" for line in entry.comment.split("\n"))
    if entry.occurrences and not obsolete:
        out.append(
            "#: " + " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences)
        )
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    previous = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        _field(out, previous, "msgctxt", entry.previous_msgctxt)
    if entry.previous_msgid is not None:
        _field(out, previous, "msgid", entry.previous_msgid)
    if entry.previous_msgid_plural is not None:
        _field(out, previous, "msgid_plural", entry.previous_msgid_plural)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _field(out, prefix, "msgctxt", entry.msgctxt)
    _field(out, prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        _field(out, prefix, "msgid_plural", entry.msgid_plural)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            _field(out, prefix, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        _field(out, prefix, "msgstr", entry.msgstr)
    out.append("")
    return "\n".join(out)


def _check(value: str, where: str, *, one_line: bool = False) -> None:
    found = boundary.problem(value, one_line=one_line)
    if found is not None:
        raise CatalogError(f"{where}: {found} cannot be stored in a catalog; nothing was written")
