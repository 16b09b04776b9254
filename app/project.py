"""A project's articles on disk, what a job reports, and the stamps that make reruns incremental."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import ParagrafError, SourceError
from .fsutil import sweep, write_atomic
from .po import catalog
from .po.store import Store

if TYPE_CHECKING:
    from .markdown.blocks import Article

_FRONT_DATE = re.compile(r"^date:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


@dataclass
class Report:
    """What a job did: lines to print, and errors that make the command fail."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changed: int = 0  # files written, or with --check files that would be

    def say(self, line: str) -> None:
        """Add a line of output."""
        self.lines.append(line)

    def fail(self, error: ParagrafError | str) -> None:
        """Record an error; the job goes on with the other articles."""
        self.errors.append(str(error))


def article_paths(config: Config, report: Report) -> list[Path]:
    """The Markdown files under the content folder, sorted; bad ones reported, not returned.

    A symbolic link is followed only to a file inside the project; a link out of it, a
    dangling link, a loop and a linked folder are reported. A file name with a space or a
    control character is reported too: it could not be written on a catalog's ``#:`` line.
    """
    if not config.content_dir.is_dir():
        raise SourceError(
            f"{config.relative(config.content_dir)}: no content folder; create it or set 'content'"
        )
    root = config.root.resolve()
    found = []
    for folder, dirs, files in os.walk(config.content_dir):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                report.fail(
                    f"{config.relative(here / name)}: a linked folder is not followed;"
                    " move its articles into content/"
                )
                dirs.remove(name)
        for name in files:
            if name.endswith(".md"):
                path = here / name
                problem = _path_problem(path, config.relative(path), root)
                if problem:
                    report.fail(problem)
                else:
                    found.append(path)
    return sorted(found)


def _path_problem(path: Path, display: str, root: Path) -> str | None:
    if any(char.isspace() or not char.isprintable() for char in display):
        return f"{display!r}: a file name with spaces or control characters; rename the file"
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"{display}: a link to {os.readlink(path)!r}, which does not exist; fix or remove it"
    except (RuntimeError, OSError):
        return f"{display}: a link that loops back on itself; remove it"
    if not target.is_relative_to(root):
        return (
            f"{display}: a link to {os.readlink(path)!r}, outside the project; copy the article"
            " into content/ instead of linking it"
        )
    return None


def sweep_debris(config: Config) -> list[Path]:
    """Remove the temporary files a killed paragraf left in the project's folders."""
    return sweep([config.translations_dir, config.public_dir, config.instance_dir])


def check_article(article: Article, config: Config, display: str) -> None:
    """Raise if the article's source language is not configured."""
    if article.lang not in config.languages:
        raise SourceError(
            f"{display}:1: 'lang' is {article.lang!r}, which is not configured;"
            f" use one of {', '.join(config.languages)} or add it to [tool.paragraf] languages"
        )


def claim_slugs(
    config: Config,
    report: Report,
    paths: Iterable[Path],
    known: Mapping[str, Path] | None = None,
) -> list[tuple[Path, str]]:
    """The articles at ``paths`` with the slug each claims, read from the front matter alone.

    An article whose front matter is broken, or whose slug another one claims too (among
    them and ``known``: the slugs of articles not read this time), is reported and left out.
    The articles are segmented later, one at a time, where they are worked on
    (:func:`read`): a job never holds every parsed article at once, nor ships one between
    processes.
    """
    from .markdown.blocks import read_slug

    claimed: dict[str, list[Path]] = {slug: [path] for slug, path in (known or {}).items()}
    found: dict[str, Path] = {}
    for path in paths:
        try:
            slug = read_slug(path, display=config.relative(path))
        except ParagrafError as e:
            report.fail(e)
            continue
        claimed.setdefault(slug, []).append(path)
        found[slug] = path
    for slug, paths_of in claimed.items():
        if len(paths_of) > 1:
            names = " and ".join(config.relative(p) for p in paths_of)
            report.fail(
                f"{names}: two articles with the slug {slug!r}; rename one or set 'slug:' in its front matter"
            )
            found.pop(slug, None)
    return [(path, slug) for slug, path in found.items()]


def read(config: Config, path: Path) -> Article:
    """Read and segment one article, checked against the configuration."""
    from .markdown.blocks import read_article  # the parser is loaded when something is parsed

    display = config.relative(path)
    article = read_article(path, display=display, translatable=config.translatable)
    check_article(article, config, display)
    return article


def target_languages(config: Config, source_lang: str) -> list[str]:
    """The configured languages an article in ``source_lang`` is translated into."""
    return [lang for lang in config.languages if lang != source_lang]


@dataclass(frozen=True)
class ArticleInfo:
    """What the dashboard shows about an article, from its template and source's front matter."""

    slug: str
    title: str
    source_lang: str
    date: str
    source_path: Path | None
    problem: str = ""  # what is wrong with its source, for the dashboard


def article_info(store: Store, slug: str) -> ArticleInfo:
    """Title, source language and date of an article, from its template and source file."""
    config = store.config
    template = store.read_template(slug, cached=True)
    title = slug
    for entry in template:
        if entry.comment.split(", ")[0] == "title":
            title = entry.msgid
            break
    source_path = None
    if len(template) and template[0].occurrences:
        candidate = (config.root / template[0].occurrences[0][0]).resolve()
        if candidate.is_relative_to(config.content_dir.resolve()) and candidate.is_file():
            source_path = candidate
    date, problem = _front_matter_date(source_path, config) if source_path else ("", "")
    if not date:
        date = template.metadata.get("POT-Creation-Date", "")[:10]
    language = catalog.source_language(template)
    return ArticleInfo(slug, title, language, date, source_path, problem)


def _front_matter_date(path: Path, config: Config) -> tuple[str, str]:
    """The article's date as the dashboard sorts by it, and a problem with it, if any."""
    with path.open("r", encoding="utf-8", errors="replace") as f:
        head = f.read(4096)
    end = head.find("\n---", 3)
    match = _FRONT_DATE.search(head, 0, end if end > 0 else len(head))
    if not match:
        return "", ""
    line = head.count("\n", 0, match.start()) + 1
    import yaml

    try:
        value = yaml.safe_load(match.group(1))
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
    except (yaml.YAMLError, ValueError):
        return "", (
            f"{config.relative(path)}:{line}: front matter 'date' is not a date like 2024-01-11;"
            " the article is not extracted until it is fixed"
        )
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10], ""
    return (str(value)[:10] if value else ""), ""


class Stamps:
    """Content hashes of the files each job last saw, so unchanged work is skipped.

    Hashes, not mtimes, decide: an edit within the file system's timestamp granularity
    that keeps the size would fool a stat-based check ("racy git"). A file whose size,
    inode and modification time are those recorded, and whose modification time is more
    than :data:`RACY_SECONDS` older than the record, is taken as unchanged without being
    read (git's rule: a file changed after the record has a newer mtime); any other file is
    hashed again.
    """

    RACY_SECONDS = 2

    def __init__(self, config: Config, job: str) -> None:
        self.path = config.instance_dir / f"stamps-{job}.json"
        self.fingerprint = config.fingerprint()
        self.seen: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        if data.get("fingerprint") == self.fingerprint:
            self.seen = data.get("files", {})
        self.current: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _hash(paths: Iterable[Path]) -> list[str]:
        out = []
        for path in paths:
            try:
                out.append(hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
            except FileNotFoundError:
                out.append("")
        return out

    @staticmethod
    def _stats(paths: Iterable[Path]) -> list[list[int]]:
        out: list[list[int]] = []
        for path in paths:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                out.append([])
                continue
            out.append([st.st_size, st.st_ino, st.st_mtime_ns])
        return out

    def info(self, key: str) -> dict[str, Any]:
        """What was recorded with ``key`` last time (empty if nothing)."""
        return self.seen.get(key, {}).get("info", {})

    def fresh(self, key: str, paths: Iterable[Path]) -> bool:
        """True if every file of ``key`` is as it was when last recorded; keeps the record if so."""
        recorded = self.seen.get(key)
        if recorded is None:
            return False
        paths = list(paths)
        hashes, stats = recorded["hashes"], recorded.get("stats", [])
        if len(hashes) != len(paths):
            return False
        safe_before = recorded.get("at", 0) - self.RACY_SECONDS * 1_000_000_000
        now = self._stats(paths)
        hashed = False
        for index, (path, stat) in enumerate(zip(paths, now, strict=True)):
            if not stat or not hashes[index]:
                return False
            if index < len(stats) and stats[index] == stat and stat[2] < safe_before:
                continue  # as recorded, and old enough for its mtime to tell
            hashed = True
            if self._hash([path])[0] != hashes[index]:
                return False
        # after hashing, the stats as they are now are what the content was checked against
        self.current[key] = dict(recorded, stats=now, at=time.time_ns()) if hashed else recorded
        return True

    def carry(self, key: str) -> None:
        """Keep the record of ``key`` from the last run as it is (its job failed this time)."""
        if key in self.seen:
            self.current[key] = self.seen[key]

    def record(self, key: str, paths: Iterable[Path], **info: Any) -> None:
        """Remember the files of ``key`` as they are now, with ``info``."""
        self.current[key] = self.make(paths, **info)

    @classmethod
    def make(cls, paths: Iterable[Path], **info: Any) -> dict[str, Any]:
        """The record of files as they are now (made where the files were written: a worker)."""
        paths = list(paths)
        return {
            "hashes": cls._hash(paths),
            "stats": cls._stats(paths),
            "at": time.time_ns(),
            "info": info,
        }

    def save(self) -> None:
        """Write what was recorded during this run (keys not seen are forgotten)."""
        if self.seen == self.current and self.path.exists():
            return
        data = json.dumps({"fingerprint": self.fingerprint, "files": self.current}, sort_keys=True)
        write_atomic(self.path, data.encode("utf-8"))
