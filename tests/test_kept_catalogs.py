"""What a translation catalog holds is kept like Python's bytecode (translations.py): the kept
reading is the catalog's, a changed or damaged one is read again, and nothing is kept when
Python keeps no bytecode."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursesite import translations

FRENCH = translations.catalog_path("fr")


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "kept"
    monkeypatch.setattr(translations, "KEPT_FOLDER", folder)
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    return folder


def _unparsable(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(source: bytes) -> translations.Messages:
        raise AssertionError("the catalog was read again")

    monkeypatch.setattr(translations, "_parse", fail)


def test_the_kept_reading_is_the_catalogs(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = translations._read(FRENCH)
    assert read == translations._parse(FRENCH.read_bytes()) and read["not yet posted"]
    assert len(list(kept.iterdir())) == 1
    _unparsable(monkeypatch)
    assert translations._read(FRENCH) == read


def test_a_changed_or_damaged_catalog_is_read_again(kept: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "xx" / "LC_MESSAGES" / "coursesite.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Schedule"\nmsgstr "Programme"\n', encoding="utf-8")
    assert translations._read(catalog) == {"Schedule": "Programme"}
    catalog.write_text('msgid "Schedule"\nmsgstr "Calendrier"\n', encoding="utf-8")
    assert translations._read(catalog) == {"Schedule": "Calendrier"}
    for path in kept.iterdir():
        path.write_bytes(path.read_bytes()[:5])
    assert translations._read(catalog) == {"Schedule": "Calendrier"}


def test_nothing_is_kept_when_python_keeps_no_bytecode(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.dont_write_bytecode", True)
    assert translations._read(FRENCH)["not yet posted"]
    assert not kept.exists()


def test_a_reading_kept_by_another_reader_or_of_another_shape_is_not_used(kept: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel upgraded, or `_parse` changed: the kept reading may be stale. A file of the right name
    that does not hold msgid -> text is read again too."""
    catalog = tmp_path / "xx" / "LC_MESSAGES" / "coursesite.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Schedule"\nmsgstr "Programme"\n', encoding="utf-8")
    assert translations._read(catalog) == {"Schedule": "Programme"}
    (kept_file,) = kept.iterdir()
    import marshal

    kept_file.write_bytes(marshal.dumps({"Schedule": 3}))
    assert translations._read(catalog) == {"Schedule": "Programme"}
    kept_file.write_bytes(marshal.dumps({"Schedule": "Stale reading"}))
    assert translations._read(catalog) == {"Schedule": "Stale reading"}  # what is kept is used ...
    monkeypatch.setattr(translations, "_reader", lambda: b"another babel")
    assert translations._read(catalog) == {"Schedule": "Programme"}  # ... by the reader that kept it only
