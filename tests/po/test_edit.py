"""app.po.edit: one entry changed under the catalog's lock, with the conflict rule, as gettext expects."""

from __future__ import annotations

import polib
import pytest

from app.po import catalog
from app.po.edit import (
    EditError,
    EntryNotFound,
    Version,
    apply,
    check_origin,
    edit_entry,
)
from app.po.store import Store
from tests.web_fixtures import catalog_file, make_project


@pytest.fixture
def config(tmp_path):
    return make_project(tmp_path / "p")


def entry(**kw) -> polib.POEntry:
    return polib.POEntry(msgid="Source text.", **kw)


def test_draft_approve_and_untranslated() -> None:
    e = entry()
    assert apply(e, "Kaynak.", None) == Version("Kaynak.", "draft") and e.fuzzy
    assert apply(e, "Kaynak.", "approved") == Version("Kaynak.", "approved") and not e.fuzzy
    assert apply(e, "Kaynak.", None) == Version("Kaynak.", "approved")  # unchanged text keeps it
    assert apply(e, "Kaynak!", None) == Version("Kaynak!", "draft")
    assert apply(e, "", None) == Version("", "untranslated") and not e.fuzzy
    with pytest.raises(EditError, match="empty"):
        apply(e, "   ", "approved")
    with pytest.raises(EditError):
        apply(e, "x", "untranslated")
    with pytest.raises(EditError):
        apply(e, "x", "published")


def test_approving_drops_the_previous_source_and_keeps_other_flags() -> None:
    e = entry(msgstr="Eski", flags=["fuzzy", "no-python-format"], previous_msgid="Old text.")
    apply(e, "Eski", "approved")
    assert e.flags == ["no-python-format"] and e.previous_msgid is None
    apply(e, "Eski", "draft")
    assert e.flags == ["fuzzy", "no-python-format"]


def test_provenance_comments() -> None:
    e = entry(tcomment="draft: tm older\nkeep this note")
    apply(e, "", None)
    assert e.tcomment == "keep this note"
    apply(e, "Makine", None, origin="deepl")
    assert e.tcomment == "draft: deepl\nkeep this note"
    apply(e, "Makine", "approved")
    assert catalog.provenance(e) == "deepl"  # approved unchanged: the origin stays
    apply(e, "İnsan", None)
    assert catalog.provenance(e) is None and e.tcomment == "keep this note"
    assert check_origin("tm some-slug") == "tm some-slug"
    for bad in ("tm", "google", "deepl x", "tm a\nb"):
        with pytest.raises(EditError):
            check_origin(bad)


def test_edit_entry_conflict_and_unchanged(config) -> None:
    store = Store(config)
    path = catalog_file(config, "ru")
    ref = store.find("ru", path.stem)
    msgid = catalog.load(path)[0].msgid
    first = edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Первый")
    assert first.status == "saved" and first.after == Version("Первый", "draft")
    stale = edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Второй")
    assert stale.status == "conflict" and stale.after == Version("Первый", "draft")
    same = edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Первый")
    assert same.status == "unchanged"
    before = path.read_bytes()
    noop = edit_entry(store, ref, msgid, base=Version("Первый", "draft"), text="Первый")
    assert noop.status == "unchanged" and path.read_bytes() == before
    with pytest.raises(EntryNotFound):
        edit_entry(store, ref, "no such msgid", base=Version("", "untranslated"), text="x")


class Recorder:
    """A journal that keeps what it was told, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def begin(self, before, after):
        self.calls.append(("begin", before, after))
        return len(self.calls)

    def done(self, token) -> None:
        self.calls.append(("done", token))


def test_the_journal_hears_of_real_changes_only_and_around_the_write(config) -> None:
    store = Store(config)
    path = catalog_file(config, "tr")
    ref = store.find("tr", path.stem)
    msgid = catalog.load(path)[1].msgid
    journal = Recorder()
    edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Özet", journal=journal)
    edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Başka", journal=journal)
    assert journal.calls == [
        ("begin", Version("", "untranslated"), Version("Özet", "draft")),
        ("done", 1),
    ]
