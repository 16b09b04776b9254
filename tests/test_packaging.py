"""The wheel: built from the tree, installed into a fresh venv, run from the installed copy.

Nothing is downloaded: the wheel is built with this environment's setuptools, installed
without dependencies, and the fresh venv finds the dependencies through a ``.pth`` line
naming this environment's site-packages (a path line only: the editable install's own
hooks there are not run, so ``app`` can only come from the wheel).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

from tests.project_fixtures import PYPROJECT, ROOT

UI_REQUEST = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import app
    from app import create_app

    assert Path(app.__file__).is_relative_to(Path(sys.prefix)), app.__file__
    client = create_app({"TESTING": True, "ADMIN_BOOTSTRAP": False}, root=sys.argv[1]).test_client()
    page = client.get("/auth/login", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    style = client.get("/static/style.css")
    print("lang=tr" if '<html lang="tr">' in page else "lang=?", "Giriş yap" in page, style.status_code)
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the tree (a build writes build/ and egg-info there)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "app", source / "app", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    (found,) = out.glob("paragraf-*.whl")
    return found


def test_the_wheel_ships_templates_static_files_and_ui_catalogs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "app/templates/article.html",
        "app/web/templates/review/page.html",
        "app/web/static/review.js",
        "app/web/translations/tr/LC_MESSAGES/messages.po",
        "app/web/translations/tr/LC_MESSAGES/messages.mo",
        "app/web/translations/ru/LC_MESSAGES/messages.mo",
        "app/markdown/inline.py",
    ):
        assert name in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "content/"))]


def test_the_installed_copy_runs_the_cli_and_the_ui_in_turkish(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DEEPL_AUTH_KEY")}
    helped = subprocess.run(
        [str(env_dir / "bin" / "paragraf"), "--help"],
        cwd=project, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert "extract" in helped.stdout and "compile" in helped.stdout
    answered = subprocess.run(
        [str(python), "-c", UI_REQUEST, str(project)],
        cwd=project, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert answered.stdout.split() == ["lang=tr", "True", "200"], answered.stderr
