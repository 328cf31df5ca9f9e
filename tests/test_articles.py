"""Reading articles: normalisation, encodings, HTML, and every way a file can be unusable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from utils.articles import ArticleWarning, load_article, normalise, resolve_article, slugify
from utils.errors import ArticleError, ArticleNotFoundError

PAGE = """<!DOCTYPE html><html><head><title>Mayor backs new bridge</title>
<meta property="og:title" content="Mayor backs new bridge"></head><body>
<nav>Home | News | Sport</nav>
<article><h1>Mayor backs new bridge</h1>
<p>The city council met on Tuesday to discuss the long-delayed river crossing and its cost.</p>
<p>“We have waited long enough for this bridge,” Mayor Ana Lopez said after the vote on Tuesday evening.</p>
<p>Council member Tom Reed said the budget would have to be checked again before any work could start.</p>
</article><footer>Copyright 2024</footer></body></html>"""


def test_normalise_drops_scraper_trailer_and_extra_blank_lines() -> None:
    raw = "Title  \r\n\r\n\r\nFirst paragraph.  \n\n\n\nSecond.\n\n\n"
    raw += "Source link\n\nAbout The Author\n\nScroll to Top"
    assert normalise(raw) == "Title\n\nFirst paragraph.\n\nSecond.\n"


def test_bundled_article_is_clean_and_has_metadata() -> None:
    article = resolve_article("kursk-2025-01")
    assert article.title == "Ukraine doubles down on Kursk ahead of Trump taking office"
    assert "Source link" not in article.text and "Scroll to Top" not in article.text
    assert article.text.endswith("one way or the other.”\n")
    assert article.meta["date"] == "2025-01"
    assert normalise(article.text) == article.text


def test_devset_files_load_unchanged() -> None:
    devset = SHARED / "devset"
    if not devset.is_dir():
        pytest.skip("../shared/devset is not present")
    for path in sorted(devset.glob("*.txt")):
        assert load_article(path).text == path.read_text(encoding="utf-8"), path.name


def test_cp1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes("Caf\u00e9 owners\n\n\u201cIt\u2019s fine,\u201d she said.\n".encode("cp1252"))
    with pytest.warns(ArticleWarning, match="cp1252"):
        article = load_article(path)
    assert "“It’s fine,” she said." in article.text


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"  \n\n \n", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_unusable_files_raise_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        load_article(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ArticleNotFoundError, match="no such file"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(ArticleError, match="is a folder"):
        load_article(tmp_path)
    with pytest.raises(ArticleNotFoundError, match="kursk-2025-01"):
        resolve_article("no-such-article")


def test_html_page_main_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(PAGE, encoding="utf-8")
    article = load_article(path)
    assert article.title == "Mayor backs new bridge"
    assert article.text.startswith("Mayor backs new bridge\n\n")
    assert "“We have waited long enough for this bridge,” Mayor Ana Lopez said" in article.text
    assert "Home | News" not in article.text and "Copyright" not in article.text


def test_html_given_as_txt_is_detected_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(PAGE, encoding="utf-8")
    with pytest.warns(ArticleWarning, match="HTML"):
        article = load_article(path)
    assert "<p>" not in article.text and "Mayor Ana Lopez" in article.text


def test_html_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Menu</nav></body></html>", encoding="utf-8")
    with pytest.raises(ArticleError, match="no article text"):
        load_article(path)


def test_sidecar_metadata_must_be_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ArticleError, match="not valid JSON"):
        load_article(tmp_path / "a.txt")


def test_slugify_makes_ids() -> None:
    assert slugify("My Article (final).TXT") == "my-article-final-txt"
    assert slugify("***") == "article"
    assert (ROOT / "data" / "articles" / "kursk-2025-01.txt").is_file()
