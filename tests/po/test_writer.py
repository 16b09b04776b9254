"""paragraf's PO writer writes each entry exactly as polib does, unwrapped."""

from __future__ import annotations

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from app.po.pofile import WRAP_WIDTH, entry_text

TEXT = st.text(alphabet=st.sampled_from(list('ab ıЁ"\\\t\n«»%{}[]*`:#') + ["\u00a0"]), max_size=40)
LINE = st.text(alphabet=st.sampled_from(list('ab ıЁ"\\\t«:#,')), max_size=20)


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    plural = draw(st.booleans())
    entry = polib.POEntry(
        msgid=draw(TEXT),
        msgstr="" if plural else draw(TEXT),
        msgctxt=draw(st.none() | TEXT),
        tcomment=draw(st.lists(LINE, max_size=3).map("\n".join)),
        comment=draw(st.lists(LINE, max_size=2).map("\n".join)),
        occurrences=draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["content/a.md", "x.md"]), st.sampled_from(["", "3", "12"])
                ),
                max_size=3,
            )
        ),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "python-format", "no-wrap"]), max_size=2)),
        previous_msgid=draw(st.none() | TEXT),
        previous_msgctxt=draw(st.none() | TEXT),
        obsolete=draw(st.booleans()),
    )
    if plural:
        entry.msgid_plural = draw(TEXT) or "p"
        entry.msgstr_plural = {0: draw(TEXT), 1: draw(TEXT)}
    return entry


@settings(max_examples=500, deadline=None)
@given(entries())
def test_entry_text_is_polibs(entry: polib.POEntry) -> None:
    assert entry_text(entry) == entry.__unicode__(WRAP_WIDTH)
