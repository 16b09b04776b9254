"""Fixtures for command-line tests: a throwaway project with its own pyproject.toml and content."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli import main
from app.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = ROOT / "content" / "allegations-of-north-korea-russia-arms-trade.md"

PYPROJECT = """\
[project]
name = "test-project"
version = "0"

[tool.paragraf]
languages = ["en", "tr", "ru"]
"""


@dataclass
class Project:
    """A project folder and a way to run ``paragraf`` in it."""

    root: Path

    @property
    def config(self) -> Config:
        """The project's configuration, read afresh."""
        return load_config(self.root)

    def add(self, name: str, text: str) -> Path:
        """Write an article into content/."""
        path = self.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str, input: str | None = None) -> Result:
        """Run ``paragraf ARGS`` in the project; output and exit code in the result."""
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    def po(self, lang: str, slug: str) -> Path:
        """Path of an article catalog."""
        return self.root / "translations" / lang / "LC_MESSAGES" / f"{slug}.po"

    def snapshot(self) -> dict[str, bytes]:
        """Every file under translations/ and public/, with its bytes."""
        files = {}
        for folder in ("translations", "public"):
            for path in sorted((self.root / folder).rglob("*")):
                if path.is_file():
                    files[path.relative_to(self.root).as_posix()] = path.read_bytes()
        return files


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project with the seed article, the current folder set to it."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "content").mkdir()
    shutil.copy(SEED, tmp_path / "content" / SEED.name)
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def msgfmt_check(path: Path) -> None:
    """Assert that GNU msgfmt -c accepts ``path``."""
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
