"""The project's termbase as one DeepL multilingual glossary, synced once per process.

The glossary is named ``paragraf-<installation label>-<hash of the file>``: the label
is made once per installation (``instance/deepl-label``), so installations sharing one
key (two clones of the same project included) never replace or delete each other's,
and a changed file is a new name. Syncing creates the glossary if DeepL lacks it and
deletes this installation's older ones. A sync is remembered per process by server,
key and name, so the review UI's button does not list glossaries on every click.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import secrets
import threading
from pathlib import Path

import deepl

from ..config import Config
from ..termbase import file_digest, load_terms, term_pairs
from .deepl_errors import error_for

GLOSSARY_PREFIX = "paragraf-"
#: (server, key digest, glossary name) → (glossary id or None, its language pairs)
_SYNCED: dict[tuple[str, str, str], tuple[str | None, frozenset[tuple[str, str]]]] = {}
_LOCK = threading.Lock()


def prefix_for(label: str) -> str:
    """The name prefix of this installation's glossaries."""
    label = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return f"{GLOSSARY_PREFIX}{label}-" if label else GLOSSARY_PREFIX


def sync(
    client: deepl.DeepLClient, auth_key: str, prefix: str, path: Path | str
) -> tuple[str | None, frozenset[tuple[str, str]]]:
    """Make DeepL hold the termbase at ``path``; its glossary id (None if empty) and pairs."""
    name = f"{prefix}{file_digest(path)[:16]}"
    key = (
        str(client.server_url),
        hashlib.blake2b(auth_key.encode(), digest_size=8).hexdigest(),
        name,
    )
    with _LOCK:
        if key in _SYNCED:
            return _SYNCED[key]
    result = _sync(client, prefix, name, path)
    with _LOCK:
        _SYNCED[key] = result
    return result


def _sync(
    client: deepl.DeepLClient, prefix: str, name: str, path: Path | str
) -> tuple[str | None, frozenset[tuple[str, str]]]:
    dictionaries = _dictionaries(load_terms(path))
    try:
        existing = client.list_multilingual_glossaries()
        current = next((g for g in existing if g.name == name), None)
        if current is None and dictionaries:
            current = client.create_multilingual_glossary(name, dictionaries)
        for glossary in existing:
            ours = re.fullmatch(re.escape(prefix) + "[0-9a-f]{16}", glossary.name)
            if ours and glossary is not current:
                _delete(client, glossary.glossary_id)
    except deepl.DeepLException as e:
        raise error_for(e, str(client.server_url)) from e
    if current is None:
        return None, frozenset()
    pairs = frozenset((d.source_lang.upper(), d.target_lang.upper()) for d in current.dictionaries)
    return current.glossary_id, pairs


def _delete(client: deepl.DeepLClient, glossary_id: str) -> None:
    try:
        client.delete_multilingual_glossary(glossary_id)
    except deepl.GlossaryNotFoundException:
        pass  # deleted meanwhile by another run


def _dictionaries(
    terms: list[dict[str, str]],
) -> list[deepl.api_data.MultilingualGlossaryDictionaryEntries]:
    """One dictionary per ordered language pair that has entries."""
    languages = list(dict.fromkeys(lang for entry in terms for lang in entry))
    dictionaries = []
    for source, target in itertools.permutations(languages, 2):
        entries = term_pairs(terms, source, target)
        if entries:
            dictionaries.append(
                deepl.api_data.MultilingualGlossaryDictionaryEntries(source, target, entries)
            )
    return dictionaries


def instance_label(config: Config) -> str:
    """A random label made once for this installation (``instance/deepl-label``)."""
    path = config.instance_dir / "deepl-label"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        label = secrets.token_hex(4)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(label + "\n", encoding="ascii")
        return label
