"""The termbase: a CSV file with a header row of language codes and one row per term.

Example (``translations/glossary.csv``)::

    en,tr,ru
    Grand National Assembly,Büyük Millet Meclisi,Великое национальное собрание
    ceasefire,ateşkes,
    ,,

Empty cells mean "no agreed term in this language"; blank rows are skipped.  The file is
UTF-8 (a byte-order mark is allowed).  :func:`load_terms` reads and validates;
:func:`edit_term` changes one row for the review UI; uploading to DeepL lives in
:mod:`app.mt.deepl_glossary`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path

from .errors import ParagrafError

__all__ = ["GlossaryError", "edit_term", "file_digest", "load_terms", "parse_terms", "term_pairs"]

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


class GlossaryError(ParagrafError):
    """The termbase CSV is missing or malformed."""


def load_terms(path: Path | str) -> list[dict[str, str]]:
    """Read the termbase at ``path``: one ``{language: term}`` dict per row, empty cells left out."""
    path = Path(path)
    return parse_terms(path, _read(path))[1]


def parse_terms(path: Path, text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The languages of the header and the terms of a termbase's text (``path`` names it in errors)."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header):
            raise GlossaryError(
                f"{path}:1: the first row must name the languages, e.g. 'en,tr,ru'; the file is empty"
            )
        languages = _languages(path, header)
        terms = []
        for row in rows:
            entry = _entry(path, rows.line_num, languages, row)
            if entry:
                terms.append(entry)
    except csv.Error as e:
        raise GlossaryError(f"{path}:{rows.line_num}: not valid CSV: {e}") from e
    return languages, terms


def edit_term(
    path: Path,
    lock: Path,
    digest: str,
    index: int | None,
    cells: dict[str, str],
    languages: list[str],
    may_change: Callable[[str], bool] = lambda lang: True,
    may_add: Callable[[str], bool] = lambda lang: True,
) -> list[dict[str, str]]:
    """Change term ``index`` (None: add one) to ``cells``, or remove it when all are empty.

    A language missing from ``cells`` keeps its term. Only the terms of languages
    ``may_change`` allows may be changed or removed; a term may also be added where the
    row has none in the languages ``may_add`` allows (a reviewer of Turkish adds the
    English term it translates). ``digest`` is :func:`file_digest` of the file the editor saw ('' for no
    file: then it is created with ``languages`` as its header). If the file changed
    since, nothing is written. The new file is read back before it replaces the old one,
    atomically, under ``lock``. Returns the terms now in the file.
    """
    from .fsutil import exclusive, write_atomic

    with exclusive(lock):
        exists = path.exists()
        if (file_digest(path) if exists else "") != digest:
            raise GlossaryError(
                f"{path}: changed since you opened it (someone else edited a term); reload the"
                " glossary and make your change again"
            )
        if exists:
            languages, terms = parse_terms(path, _read(path))
        else:
            terms = []
        if unknown := sorted(set(cells) - set(languages)):
            raise GlossaryError(f"{path}: no column for {', '.join(unknown)}; add it to the header")
        if index is not None and not 0 <= index < len(terms):
            raise GlossaryError(f"{path}: there is no term {index + 1}; reload the glossary")
        before = terms[index] if index is not None else {}
        row = {lang: cells.get(lang, before.get(lang, "")).strip() for lang in languages}
        for lang in languages:
            if row[lang] == before.get(lang, "") or may_change(lang):
                continue
            if before.get(lang):
                raise GlossaryError(
                    f"{path}: the {lang!r} term {before[lang]!r} can be changed only by an admin"
                    f" or a reviewer of {lang!r}"
                )
            if not may_add(lang):
                raise GlossaryError(
                    f"{path}: a {lang!r} term is added by an admin or a reviewer of {lang!r}"
                )
        line = (len(terms) if index is None else index) + 2  # the header is line 1
        _entry(path, line, languages, [row[lang] for lang in languages])
        kept = {lang: term for lang, term in row.items() if term}
        if index is None:
            if kept:
                terms.append(kept)
        elif kept:
            terms[index] = kept
        else:
            del terms[index]
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(languages)
        for term in terms:
            writer.writerow([term.get(lang, "") for lang in languages])
        text = out.getvalue()
        if parse_terms(path, text)[1] != terms:  # what is written must read back the same
            raise GlossaryError(f"{path}: the edited term does not survive a CSV round trip")
        write_atomic(path, text.encode("utf-8"), sync=True)
    return terms


def term_pairs(terms: list[dict[str, str]], source: str, target: str) -> dict[str, str]:
    """The ``source → target`` entries of ``terms``; the first row wins for a repeated term."""
    pairs: dict[str, str] = {}
    for entry in terms:
        if source in entry and target in entry:
            pairs.setdefault(entry[source], entry[target])
    return pairs


def file_digest(path: Path | str) -> str:
    """The SHA-256 of the file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise GlossaryError(
            f"{path}: glossary file not found; create it (a header row such as 'en,tr,ru',"
            " then one row per term) or point 'glossary' in [tool.paragraf] elsewhere"
        ) from e
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        raise GlossaryError(
            f"{path}:{line}: not UTF-8 (byte {e.object[e.start]:#04x}); save the file as UTF-8"
        ) from e
    except OSError as e:
        raise GlossaryError(f"{path}: cannot read the glossary: {e.strerror}") from e


def _languages(path: Path, header: list[str]) -> list[str]:
    languages = [cell.strip().lower() for cell in header]
    for column, code in enumerate(languages, start=1):
        if not _LANGUAGE_CODE.fullmatch(code):
            raise GlossaryError(
                f"{path}:1: column {column} of the header must be a language code such as"
                f" 'en', 'tr' or 'ru', got {header[column - 1]!r}"
            )
        if code in languages[: column - 1]:
            raise GlossaryError(
                f"{path}:1: language {code!r} appears twice in the header; keep one column per language"
            )
    return languages


def _entry(path: Path, line: int, languages: list[str], row: list[str]) -> dict[str, str]:
    if len(row) > len(languages):
        raise GlossaryError(
            f"{path}:{line}: {len(row)} cells but the header names {len(languages)} languages"
            f" ({','.join(languages)}); quote a term that contains a comma"
        )
    entry = {}
    for language, cell in zip(languages, row, strict=False):
        term = cell.strip()
        if not term:
            continue
        bad = next((c for c in term if _forbidden(c)), None)
        if bad is not None:
            raise GlossaryError(
                f"{path}:{line}: the {language!r} term {term!r} contains {bad!r};"
                " DeepL glossaries allow no tabs, line breaks or control characters"
            )
        entry[language] = term
    return entry


def _forbidden(char: str) -> bool:
    code = ord(char)
    return code <= 31 or 128 <= code <= 159 or char in "\u2028\u2029"
