"""The project's templates and catalogs: the only code that knows they are files.

Templates are ``translations/templates/<slug>.pot``; the catalog of an article in a
target language is ``translations/<lang>/LC_MESSAGES/<slug>.po`` (Babel's layout), its
compiled form ``<slug>.mo`` beside it. Every slug and language coming from outside (a
URL, ``--article``, ``--lang``) is checked here against the templates and catalogs that
exist, so no path built from a request leaves ``translations/``.

Writers take :meth:`Store.lock`, an exclusive ``fcntl.flock`` on a file under
``instance/locks/`` mirroring the catalog's path: it serializes the review UI's
threads and worker processes, ``update`` and ``draft``. Reads for pages may be cached
(``cached=True``), keyed by what ``os.stat`` says of the file (its inode included, so
an atomic replace is a new key); callers must treat a cached catalog as read-only. An
edit always re-reads under the lock.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

import polib

from .. import fsutil
from ..config import Config
from ..errors import CatalogError, ConfigError
from ..fsutil import write_if_changed
from . import catalog

__all__ = ["SLUG", "CatalogRef", "StatCache", "Store"]

#: What a slug may be: it names files and appears in URLs.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
T = TypeVar("T")


class CatalogRef(NamedTuple):
    """One article catalog: the article, its source language, the target language, the file."""

    slug: str
    source_lang: str
    lang: str
    path: Path
    display: str  # the path as messages show it, relative to the project


class StatCache(Generic[T]):
    """``load(path)`` results for the most recently used ``maxsize`` files, by ``os.stat``."""

    def __init__(self, load: Callable[[Path], T], maxsize: int = 256) -> None:
        self._load = load
        self._maxsize = maxsize
        self._items: OrderedDict[Path, tuple[tuple[int, int, int], T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path) -> T:
        """What ``load`` gives for ``path``, parsed again only if the file changed."""
        st = os.stat(path)
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._items.get(path)
            if hit is not None and hit[0] == key:
                self._items.move_to_end(path)
                return hit[1]
        value = self._load(path)
        with self._lock:
            self._items[path] = (key, value)
            self._items.move_to_end(path)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return value


class _Caches:
    """The parsed files of one project kept between requests (errors name project paths)."""

    def __init__(self, config: Config) -> None:
        def load(path: Path) -> polib.POFile:
            return catalog.load(path, display=config.relative(path))

        self.catalogs: StatCache[polib.POFile] = StatCache(load, maxsize=64)
        self.templates: StatCache[polib.POFile] = StatCache(load, maxsize=4096)
        self.stats: StatCache[catalog.Stats] = StatCache(lambda p: catalog.stats(load(p)), 8192)


_CACHES: dict[Path, _Caches] = {}
_CACHES_LOCK = threading.Lock()


def _caches(config: Config) -> _Caches:
    with _CACHES_LOCK:
        if config.root not in _CACHES:
            _CACHES[config.root] = _Caches(config)
        return _CACHES[config.root]


class Store:
    """The templates and catalogs of one project."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._dirs: dict[str, Path] = {}
        self._made: set[Path] = set()  # lock folders known to exist
        self.templates_dir = config.translations_dir / "templates"
        self._cache = _caches(config)

    # --- where things are ---------------------------------------------------------------

    def template_path(self, slug: str) -> Path:
        """The file of the template of ``slug`` (for stamps and messages)."""
        return self.templates_dir / f"{slug}.pot"

    def catalog_path(self, lang: str, slug: str) -> Path:
        """The file of the catalog of ``slug`` in ``lang`` (for stamps and messages)."""
        return self._messages_dir(lang) / f"{slug}.po"

    def mo_path(self, lang: str, slug: str) -> Path:
        """The compiled catalog beside the PO file."""
        return self._messages_dir(lang) / f"{slug}.mo"

    def _messages_dir(self, lang: str) -> Path:
        found = self._dirs.get(lang)
        if found is None:  # a path join costs microseconds; compile makes thousands
            found = self._dirs[lang] = self.config.translations_dir / lang / "LC_MESSAGES"
        return found

    def ref(self, lang: str, slug: str, source_lang: str) -> CatalogRef:
        """The reference of a catalog whose article is known."""
        path = self.catalog_path(lang, slug)
        return CatalogRef(slug, source_lang, lang, path, self.config.relative(path))

    # --- listing ------------------------------------------------------------------------

    def slugs(self) -> list[str]:
        """Slugs of the articles that have a template, sorted."""
        if not self.templates_dir.is_dir():
            return []
        return sorted(p.stem for p in self.templates_dir.glob("*.pot") if SLUG.fullmatch(p.stem))

    def has_template(self, slug: str) -> bool:
        """Whether ``slug`` is a valid slug with a template."""
        return bool(SLUG.fullmatch(slug)) and self.template_path(slug).is_file()

    def targets(self, source_lang: str) -> list[str]:
        """The configured languages an article in ``source_lang`` is translated into."""
        return [lang for lang in self.config.languages if lang != source_lang]

    def catalogs(
        self, langs: Iterable[str] = (), slugs: Iterable[str] = (), report: Any = None
    ) -> Iterator[CatalogRef]:
        """Every article catalog, or those of the given target languages and article slugs.

        A template that cannot be read is told to ``report`` (``fail(error)``) and its
        article skipped, so one bad file never stops the others; without a report it raises.
        """
        langs, slugs = set(langs), set(slugs)
        known = self.check_names(langs, slugs)
        for slug in known:
            if slugs and slug not in slugs:
                continue
            try:
                source_lang = self.source_language(slug)
            except CatalogError as e:
                if report is None:
                    raise
                report.fail(e)
                continue
            for lang in self.targets(source_lang):
                if not langs or lang in langs:
                    yield self.ref(lang, slug, source_lang)

    def readable(
        self,
        report: Any,
        langs: Iterable[str] = (),
        slugs: Iterable[str] = (),
        *,
        cached: bool = False,
    ) -> Iterator[tuple[CatalogRef, polib.POFile]]:
        """Every catalog of :meth:`catalogs` that can be read, with its entries; one that
        cannot (or its template) is told to ``report`` (``fail(error)``) and skipped."""
        for ref in self.catalogs(langs, slugs, report=report):
            try:
                po = self.read(ref, cached=cached)
            except CatalogError as e:
                report.fail(e)
                continue
            yield ref, po

    def check_names(self, langs: Iterable[str] = (), slugs: Iterable[str] = ()) -> list[str]:
        """Raise unless every ``--lang`` is configured and every ``--article`` has a template."""
        strangers = sorted(set(langs) - set(self.config.languages))
        if strangers:
            raise ConfigError(
                f"--lang {strangers[0]!r}: not a configured language;"
                f" use one of {', '.join(self.config.languages)}"
            )
        known = self.slugs()
        unknown = set(slugs) - set(known)
        if unknown:
            raise CatalogError(
                f"--article {sorted(unknown)[0]!r}: no such article template; run 'paragraf extract'"
            )
        return known

    def find(self, lang: str, slug: str) -> CatalogRef | None:
        """The catalog of ``slug`` in ``lang`` if both are real and it exists, else None."""
        if lang not in self.config.languages or not self.has_template(slug):
            return None
        path = self.catalog_path(lang, slug)
        if not path.is_file():
            return None
        if not path.resolve().is_relative_to(self.config.translations_dir.resolve()):
            return None  # a symlink pointing out
        return self.ref(lang, slug, self.source_language(slug))

    # --- reading ------------------------------------------------------------------------

    def read_template(self, slug: str, *, cached: bool = False) -> polib.POFile:
        """The template of ``slug`` (shared when ``cached``: do not change it)."""
        path = self.template_path(slug)
        if cached:
            return self._cache.templates.get(path)
        return catalog.load(path, display=self.config.relative(path))

    def source_language(self, slug: str) -> str:
        """The source language recorded in the template's header."""
        return catalog.source_language(self.read_template(slug, cached=True))

    def exists(self, ref: CatalogRef) -> bool:
        """Whether the catalog has been written yet."""
        return ref.path.exists()

    def read(self, ref: CatalogRef, *, cached: bool = False) -> polib.POFile:
        """The catalog of ``ref`` (shared when ``cached``: do not change it)."""
        if cached:
            return self._cache.catalogs.get(ref.path)
        return catalog.load(ref.path, display=ref.display)

    def stats(self, ref: CatalogRef) -> catalog.Stats:
        """The catalog's counts by state (cached)."""
        return self._cache.stats.get(ref.path)

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def lock(self, ref: CatalogRef) -> Iterator[None]:
        """Hold the exclusive lock of a catalog (across threads and processes)."""
        lock = self._lock_path(ref)
        if lock.parent not in self._made:
            lock.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(lock.parent)
        with fsutil.exclusive(lock):
            yield

    def _lock_path(self, ref: CatalogRef) -> Path:
        """``instance/locks/<path under translations/>.lock``."""
        path = ref.path
        if path == self.catalog_path(ref.lang, ref.slug):  # the store's own path: no resolving
            return (
                self.config.instance_dir
                / "locks"
                / ref.lang
                / "LC_MESSAGES"
                / f"{ref.slug}.po.lock"
            )
        try:
            relative = path.resolve().relative_to(self.config.translations_dir.resolve())
        except ValueError as e:
            raise CatalogError(
                f"{path}: not under {self.config.relative(self.config.translations_dir)};"
                " only catalogs there can be edited"
            ) from e
        return self.config.instance_dir / "locks" / relative.parent / f"{relative.name}.lock"

    def save(
        self, ref: CatalogRef, po: polib.POFile, *, stamp: bool = False, check: bool = False
    ) -> bool:
        """Write a catalog atomically if its bytes change (``stamp``: set PO-Revision-Date).

        With ``check`` nothing is written: the answer says whether it would be.
        """
        if stamp:
            return catalog.save_stamped(po, ref.path, "PO-Revision-Date", check=check)
        return catalog.save(po, ref.path, check=check)

    def save_template(
        self, slug: str, po: polib.POFile, *, stamp: bool, check: bool = False
    ) -> bool:
        """Write a template atomically if its bytes change (``stamp``: set POT-Creation-Date)."""
        path = self.template_path(slug)
        if stamp:
            return catalog.save_stamped(po, path, "POT-Creation-Date", check=check)
        return catalog.save(po, path, check=check)

    def write_mo(self, ref: CatalogRef, po: polib.POFile) -> bool:
        """Write the compiled catalog if its bytes change."""
        return write_if_changed(self.mo_path(ref.lang, ref.slug), po.to_binary())
