"""Project configuration: defaults and the ``[tool.paragraf]`` table of pyproject.toml.

Nothing is read at import time; :func:`load_config` finds the project from a folder.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError

DEFAULTS: dict[str, object] = {
    "languages": ["en", "tr", "ru"],
    "content": "content",
    "translations": "translations",
    "public": "public",
    "instance": "instance",
    "threshold": 100,
    "english_variant": "EN-GB",
    "formality": {},
    "glossary": "translations/glossary.csv",
    "translatable": ["title", "summary", "author"],
    "engines": {},
    "max_characters": 0,
}
#: The machine engines a language pair may be drafted with (``none``: memory and figures only).
ENGINE_NAMES = ("deepl", "libretranslate", "none")


@dataclass(frozen=True)
class Config:
    """Where a project's files live and which languages it publishes in."""

    root: Path
    languages: tuple[str, ...] = ("en", "tr", "ru")
    content_dir: Path = Path("content")
    translations_dir: Path = Path("translations")
    public_dir: Path = Path("public")
    instance_dir: Path = Path("instance")
    threshold: int = 100
    english_variant: str = "EN-GB"
    formality: dict[str, str] = field(default_factory=dict)
    glossary_path: Path = Path("translations/glossary.csv")
    translatable: tuple[str, ...] = ("title", "summary", "author")
    engines: dict[str, str] = field(default_factory=dict)  # "en-tr" → "deepl"; unlisted: deepl
    max_characters: int = 0  # characters one draft run may have billed (0: no budget)

    def engine_for(self, source_lang: str, target_lang: str) -> str:
        """The machine engine configured for a language pair (``deepl`` unless listed)."""
        return self.engines.get(f"{source_lang}-{target_lang}", "deepl")

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, with forward slashes, for messages and comments."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def fingerprint(self) -> str:
        """A string that changes whenever a setting, or paragraf's own code, that shapes the outputs changes."""
        return repr(
            (
                self.languages,
                self.threshold,
                self.translatable,
                self.english_variant,
                code_version(),
            )
        )


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every module of paragraf and its page template: an upgrade invalidates every stamp."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted([*package.rglob("*.py"), *package.glob("templates/*")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def find_project(start: Path) -> Path:
    """Return the nearest folder at or above ``start`` whose pyproject.toml has ``[tool.paragraf]``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and b"[tool.paragraf]" in candidate.read_bytes():
            return folder
    raise ConfigError(
        f"{start}: no pyproject.toml with a [tool.paragraf] table here or above;"
        " run paragraf from inside the project folder"
    )


@lru_cache(maxsize=64)
def _babel_knows(lang: str) -> bool:
    """Whether Babel has the locale, from its data file when there is one (no import of Babel)."""
    import importlib.util

    spec = importlib.util.find_spec("babel")
    if spec is not None and spec.submodule_search_locations:
        data = Path(next(iter(spec.submodule_search_locations))) / "locale-data"
        if (data / f"{lang.replace('-', '_')}.dat").is_file():
            return True
    from babel import Locale, UnknownLocaleError  # the exact answer, for the rest

    try:
        Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def load_config(start: Path | None = None) -> Config:
    """Read ``[tool.paragraf]`` from the project around ``start`` (default: the current folder)."""
    root = find_project((start or Path.cwd()).resolve())
    path = root / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    return config_from_mapping(root, data["tool"]["paragraf"], source=f"{path}: [tool.paragraf]")


def config_from_mapping(root: Path, table: dict, *, source: str = "[tool.paragraf]") -> Config:
    """Validate a ``[tool.paragraf]``-like mapping and build a :class:`Config` rooted at ``root``."""
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {unknown[0]!r}; known keys: {', '.join(DEFAULTS)}"
        )
    values = {**DEFAULTS, **table}
    languages = values["languages"]
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) for x in languages)
    ):
        raise ConfigError(
            f"{source}: 'languages' must be a list of language codes, got {languages!r}"
        )
    for lang in languages:
        if not _babel_knows(lang):
            raise ConfigError(f"{source}: 'languages' has {lang!r}, which Babel does not know")
    threshold = values["threshold"]
    if not isinstance(threshold, int) or not 0 <= threshold <= 100:
        raise ConfigError(
            f"{source}: 'threshold' must be a whole number from 0 to 100, got {threshold!r}"
        )
    variant = values["english_variant"]
    if variant not in ("EN-GB", "EN-US"):
        raise ConfigError(
            f"{source}: 'english_variant' must be 'EN-GB' or 'EN-US', got {variant!r}"
        )
    formality = values["formality"]
    if not isinstance(formality, dict):
        raise ConfigError(
            f"{source}: 'formality' must be a table of language = value, got {formality!r}"
        )
    translatable = values["translatable"]
    if not isinstance(translatable, list) or not all(isinstance(x, str) for x in translatable):
        raise ConfigError(
            f"{source}: 'translatable' must be a list of front-matter keys, got {translatable!r}"
        )
    engines = values["engines"]
    if not isinstance(engines, dict):
        raise ConfigError(
            f"{source}: 'engines' must be a table of \"en-tr\" = engine, got {engines!r}"
        )
    for pair, engine in engines.items():
        codes = pair.split("-", 1)
        if len(codes) != 2 or not all(code in languages for code in codes) or codes[0] == codes[1]:
            raise ConfigError(
                f"{source}: engines: {pair!r} is not a pair of the configured languages"
                f' (write it as "en-tr": source-target)'
            )
        if engine not in ENGINE_NAMES:
            raise ConfigError(
                f"{source}: engines.{pair}: must be one of {', '.join(ENGINE_NAMES)}, got {engine!r}"
            )
    budget = values["max_characters"]
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 0:
        raise ConfigError(
            f"{source}: 'max_characters' must be a whole number of characters (0: no budget),"
            f" got {budget!r}"
        )
    from .markdown.frontmatter import OWN_KEYS

    own = sorted(set(translatable) & set(OWN_KEYS))
    if own:
        raise ConfigError(f"{source}: 'translatable' names {own[0]!r}, which paragraf reads itself")
    folders = {}
    for key in ("content", "translations", "public", "instance", "glossary"):
        value = values[key]
        if not isinstance(value, str):
            raise ConfigError(f"{source}: {key!r} must be a path string, got {value!r}")
        folders[key] = root / value
    return Config(
        root=root,
        languages=tuple(languages),
        content_dir=folders["content"],
        translations_dir=folders["translations"],
        public_dir=folders["public"],
        instance_dir=folders["instance"],
        threshold=threshold,
        english_variant=variant,
        formality=dict(formality),
        glossary_path=folders["glossary"],
        translatable=tuple(translatable),
        engines=dict(engines),
        max_characters=budget,
    )
