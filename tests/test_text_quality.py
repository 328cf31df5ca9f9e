"""Odd input read well: mixed encodings repaired line by line, UTF-16, invisible characters, NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from utils.articles import ArticleWarning, decode, load_article, normalise
from utils.errors import ArticleError
from utils.quotes import extract_statements

ARTICLE = "Bridge vote\n\n“We have waited long enough,” said Robert Kagan, a café owner.\n"


def test_a_few_cp1252_bytes_in_a_utf8_file_are_repaired_and_the_warning_names_the_lines(
    tmp_path: Path,
) -> None:
    lines = [f"Line {n} “fine” in UTF-8." for n in range(1, 11)]
    data = "\n".join(lines).encode("utf-8").split(b"\n")
    data[2] = "Line 3 caf\u00e9 in cp1252 and “UTF-8” quotes.".encode().replace("é".encode(), b"\xe9")
    data[6] = "Line 7 \u201ccp1252 quotes\u201d".encode("cp1252")
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\n".join(data) + b"\n")
    with pytest.warns(
        ArticleWarning, match=r"not valid UTF-8 in 2 of 10 lines \(line 3, 7\); read as cp1252"
    ) as caught:
        text = load_article(path).text
    assert len(caught) == 1 and str(path) in str(caught[0].message)
    got = text.split("\n")
    assert got[2] == "Line 3 café in cp1252 and “UTF-8” quotes."  # the line's UTF-8 marks survive
    assert got[6] == "Line 7 “cp1252 quotes”"
    assert got[0] == "Line 1 “fine” in UTF-8." and got[9] == "Line 10 “fine” in UTF-8."


def test_many_bad_lines_are_counted_and_the_first_five_named() -> None:
    data = b"\n".join(b"caf\xe9" if n % 2 else b"ok" for n in range(20))
    with pytest.warns(ArticleWarning, match=r"10 of 20 lines \(line 2, 4, 6, 8, 10, …\)"):
        assert decode(data, "x.txt").split("\n")[:2] == ["ok", "café"]


def test_a_whole_cp1252_file_says_so() -> None:
    with pytest.warns(ArticleWarning, match="in all lines; read as cp1252"):
        text = decode("“Ça va,” dit-il.\nÀ bientôt.\n".encode("cp1252"), "w.txt")
    assert text == "“Ça va,” dit-il.\nÀ bientôt.\n"


def test_bytes_cp1252_leaves_undefined_are_read_as_latin1() -> None:
    with pytest.warns(ArticleWarning):
        assert decode(b"a\x81b\x9dc", "x.txt") == "a\x81b\x9dc"


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"], ids=lambda c: c.replace("-", "")
)
def test_unicode_files_with_a_bom_or_utf16_without_one_are_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode(codec))
    article = load_article(path)
    assert article.text == ARTICLE
    assert [(s.speaker, s.text) for s in extract_statements(article.text)] == [
        ("Robert Kagan", "We have waited long enough,")
    ]


def test_binary_is_still_binary_and_broken_utf16_says_what_it_is(tmp_path: Path) -> None:
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ArticleError, match="binary"):
        load_article(png)
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe" + "Title\n\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(ArticleError, match="looks like UTF-16-LE text but byte"):
        load_article(broken)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Robert Ka\u200bgan said", "Robert Kagan said"),  # zero-width space
        ("Ka\u200cgan", "Kagan"),  # zero-width non-joiner
        ("Ka\u200dgan", "Kagan"),  # zero-width joiner
        ("Ka\u2060gan", "Kagan"),  # word joiner
        ("Ka\ufeffgan", "Kagan"),  # a byte-order mark inside the text
        ("his\u00adtorian", "historian"),  # soft hyphen
        ("\ufeffTitle", "Title"),
        ("Cafe\u0301", "Café"),  # NFC: one code point, as typed
        ("Cafe\u200b\u0301", "Café"),  # the accent composes once the invisible character is gone
        ("ﬁle", "ﬁle"),  # NFC, not NFKC: compatibility characters stay as written
    ],
)
def test_invisible_characters_are_removed_and_text_is_nfc(raw: str, clean: str) -> None:
    assert normalise(raw + "\n") == clean + "\n"


def test_names_with_invisible_characters_survive_extraction(tmp_path: Path) -> None:
    path = tmp_path / "zw.txt"
    path.write_text(ARTICLE.replace("Kagan", "Ka\u200bgan").replace("café", "cafe\u0301"), encoding="utf-8")
    text = load_article(path).text
    assert text == ARTICLE and unicodedata.is_normalized("NFC", text)
    (statement,) = extract_statements(text)
    assert statement.speaker == "Robert Kagan"
