"""CommonMark renderers compared on this project's Markdown: identical HTML is the condition, then speed.

    .venv/bin/python bench/renderer_bench.py [--random 20000]

Candidates (the ``bench`` extra installs them): markdown-it-py with its footnote plugin
(paragraf's renderer), markdown-it-pyrs (markdown-it's Rust port), pyromark
(pulldown-cmark) and cmarkgfm (GitHub's cmark). For each: how many golden files (the
bundled article, the test fixtures, the benchmarks' own corpus) give exactly
markdown-it-py's HTML, the time to render them, and, on ``--random`` random strings of
Markdown's punctuation (footnote syntax left out), how often the renderer crashes or
differs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from app.markdown.blocks import body  # noqa: E402
from app.markdown.html import _markdown  # noqa: E402


def candidates() -> dict[str, object]:
    found: dict[str, object] = {"markdown-it-py (paragraf)": _markdown().render}
    try:
        from markdown_it_pyrs import MarkdownIt

        rust = MarkdownIt("commonmark").enable("table").enable("footnote")
        found["markdown-it-pyrs"] = rust.render
    except ImportError:
        pass
    try:
        import pyromark

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
        found["pyromark"] = lambda text: pyromark.html(text, options=options)
    except ImportError:
        pass
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options

        flags = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
        found["cmarkgfm"] = lambda text: cmarkgfm.github_flavored_markdown_to_html(
            text, options=flags
        )
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--random", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = corpus.write(Path(tmp), 300, repeat=0.10)
        files = [
            *src.glob("*.md"),
            *ROOT.glob("content/*.md"),
            *(ROOT / "tests" / "data").glob("*.md"),
        ]
        texts = [body(path.read_text(encoding="utf-8")) for path in files]
    reference = _markdown().render
    expected = [reference(text) for text in texts]
    rng = random.Random(1)
    alphabet = "ab *_`[]()<>!#>-|:\\&;.,0123456789\n ığşЁ«»"
    noise = []
    while len(noise) < args.random:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) + "\n"
        if "[^" not in text and "^[" not in text:
            noise.append(text)
    print(f"{len(texts)} golden files; {len(noise)} random strings")
    print("| renderer | golden files identical | ms for all | random: crashes | random: differs |")
    print("|---|---:|---:|---:|---:|")
    for name, render in candidates().items():
        start = time.perf_counter()
        outputs = [render(text) for text in texts]  # type: ignore[operator]
        ms = 1000 * (time.perf_counter() - start)
        same = sum(a == b for a, b in zip(outputs, expected, strict=True))
        crashes = differs = 0
        for text in noise:
            try:
                html = render(text)  # type: ignore[operator]
            except BaseException:  # a Rust panic is a BaseException
                crashes += 1
                continue
            differs += html != reference(text)
        print(f"| {name} | {same}/{len(texts)} | {ms:.0f} | {crashes} | {differs} |")


if __name__ == "__main__":
    main()
