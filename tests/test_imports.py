"""The command line and the jobs never load Flask, numpy or the DeepL client before they need them."""

from __future__ import annotations

import subprocess
import sys

from tests.project_fixtures import ROOT

PROBE = (
    "import sys, app.cli, app.extract, app.update, app.build, app.draft, app.qa, app.status\n"
    "print(sorted(m for m in ('flask', 'flask_babel', 'werkzeug', 'deepl') if m in sys.modules))"
)


def test_cli_and_jobs_import_without_flask() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "[]"
