"""Reading articles: normalisation, encodings, HTML, and every way a file can be unusable."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

import utils.articles as articles
from tests.conftest import ROOT, SHARED
from utils.articles import (
    MAX_ID,
    Article,
    ArticleWarning,
    check_article_id,
    is_article_id,
    load_article,
    normalise,
    resolve_article,
    slugify,
)
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


# --- article ids are names, never paths ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("My Article (final).TXT", "my-article-final-txt"),
        ("kursk-2025-01", "kursk-2025-01"),
        ("Überraschung", "uberraschung"),  # accents are transliterated, nothing else is lost
        ("Crème brûlée", "creme-brulee"),
        ("ﬁnal ＲＥＰＯＲＴ", "final-report"),  # compatibility forms (ligature, full width) fold to ASCII
        ("../../elsewhere/story", "elsewhere-story"),
    ],
)
def test_slugify_transliterates_file_names(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert is_article_id(slug)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("***", "article"),
        ("Статья", "article"),  # nothing ASCII is left: a hash of the name
        ("新闻", "article"),
        ("Статья 2", "2"),  # letters lost: what is left, plus the hash
        ("café — notes", "cafe-notes"),
        ("Straße", "stra-e"),  # ß has no decomposition: a letter is lost
    ],
)
def test_a_name_that_loses_letters_gets_a_stable_hash(name: str, kept: str) -> None:
    slug = slugify(name)
    stem, tag = slug.rsplit("-", 1)
    assert stem == kept and len(tag) == 8 and int(tag, 16) >= 0
    assert slugify(name) == slug == slugify(unicodedata.normalize("NFD", name))  # stable, NFC-based
    assert is_article_id(slug)


def test_different_non_ascii_names_never_share_an_id() -> None:
    names = [
        "Статья",
        "Новости",
        "新闻",
        "新聞",
        "خبر",
        "Straße",
        "Strasse",
        "café — notes",
        "café – notes",
        "***",
    ]
    ids = [slugify(n) for n in names]
    assert len(set(ids)) == len(names), ids


def test_a_long_name_is_shortened_to_a_distinct_id() -> None:
    a, b = slugify("x" * 100 + "a"), slugify("x" * 100 + "b")
    assert a != b and len(a) == len(b) == MAX_ID and is_article_id(a)
    assert slugify("y" * MAX_ID) == "y" * MAX_ID


@pytest.mark.parametrize(
    "value",
    [
        "../../elsewhere/story",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "..",
        "",
        "Kursk",
        "a_b",
        "a.b",
        "-a",
        "a-",
        "a--b",
        "x" * (MAX_ID + 1),
        "a\nb",
        "é",
        None,
        7,
    ],
)
def test_check_article_id_refuses_anything_but_a_slug(value: object) -> None:
    assert not is_article_id(value)
    with pytest.raises(ArticleError, match="is not a safe name") as info:
        check_article_id(value)  # type: ignore[arg-type]
    assert "\n" not in info.value.message


def test_check_article_id_returns_a_safe_id() -> None:
    assert check_article_id("kursk-2025-01") == "kursk-2025-01"
    assert check_article_id("x" * MAX_ID) == "x" * MAX_ID


def test_an_article_cannot_carry_an_unsafe_id() -> None:
    with pytest.raises(ArticleError, match="not a safe name"):
        Article("../../elsewhere/story", "T", "T\n\nBody.\n")


@pytest.mark.parametrize(
    "ref", ["../../elsewhere/story", "../articles/kursk-2025-01", "KURSK-2025-01", "a\nb"]
)
def test_a_ref_that_is_not_a_file_must_be_a_bundled_slug(ref: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # none of these names a file here
    with pytest.raises(ArticleNotFoundError, match="neither a file nor a bundled article id") as info:
        resolve_article(ref)
    assert "\n" not in info.value.message


def test_an_unsafe_id_is_never_used_to_build_a_path(data_copy: Path, tmp_path: Path, monkeypatch) -> None:
    """A file reachable as data/articles/<ref>.txt through '..' is still not a bundled article."""
    (data_copy / "elsewhere").mkdir()
    (data_copy / "elsewhere" / "story.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert (data_copy / "articles" / "../elsewhere/story.txt").is_file()
    with pytest.raises(ArticleNotFoundError):
        resolve_article("../elsewhere/story")


def test_a_ref_that_names_a_file_is_a_path_and_gets_a_slug_id(tmp_path: Path) -> None:
    path = tmp_path / "Überraschung im Rat.txt"
    path.write_text("T\n\nBody.\n", encoding="utf-8")
    assert resolve_article(str(path)).article_id == "uberraschung-im-rat"
    russian = tmp_path / "Статья.txt"
    russian.write_text("T\n\nBody.\n", encoding="utf-8")
    assert resolve_article(russian).article_id == slugify("Статья") != "article"


def test_bundled_ids_are_safe_slugs_only(data_copy: Path) -> None:
    (data_copy / "articles" / "Not An Id.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    assert articles.bundled_ids() == ["kursk-2025-01"]
    assert (ROOT / "data" / "articles" / "kursk-2025-01.txt").is_file()


# --- files that are not regular files ----------------------------------------------------------


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody ever writes: opening it for reading would block forever
    with pytest.raises(ArticleError, match="is a FIFO") as info:
        load_article(fifo)
    assert str(fifo) in info.value.message


def test_a_device_is_refused() -> None:
    with pytest.raises(ArticleError, match="is a device"):
        load_article("/dev/zero")  # endless: reading it would never finish


def test_a_file_swapped_for_a_fifo_after_the_check_is_still_refused(tmp_path: Path, monkeypatch) -> None:
    fifo = tmp_path / "swapped.txt"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: regular if self == fifo else real_stat(self, **kw))
    with pytest.raises(ArticleError, match="is a FIFO"):
        load_article(fifo)  # opened without blocking, then refused by fstat


def test_a_symlink_loop_and_a_broken_link(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(ArticleError, match="is a symbolic link loop"):
        resolve_article(str(loop))
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ArticleError, match="is a broken symbolic link"):
        resolve_article(str(broken))


def test_permission_denied_is_one_line(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("T\n\nBody.\n", encoding="utf-8")
    real_open = os.open

    def denied(file, flags, *args, **kwargs):  # root may read anything, so the refusal is simulated
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(articles.os, "open", denied)
    with pytest.raises(ArticleError, match=r"cannot be read \(permission denied\) — check its permissions"):
        load_article(path)


# --- sidecar metadata --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"title": "caf\xe9"}', "is not UTF-8"),
        (b'["a list"]', "must hold a JSON object"),
        (b'{"title": "' + b"x" * 1_100_000 + b'"}', "over the 1 MB limit"),
    ],
)
def test_a_bad_sidecar_is_a_one_line_error(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "a.json").write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        load_article(tmp_path / "a.txt")
    assert info.value.path == str(tmp_path / "a.json") and "\n" not in info.value.message


def test_a_sidecar_that_is_a_fifo_or_a_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "a.json")
    with pytest.raises(ArticleError, match="is a FIFO"):
        load_article(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "b.json").symlink_to(tmp_path / "b.json")
    with pytest.raises(ArticleError, match="symbolic link loop"):
        load_article(tmp_path / "b.txt")


def test_only_string_and_number_values_of_known_sidecar_keys_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "a.json").write_text(
        '{"title": "Bridge", "date": 2025, "outlet": {"x": 1}, "url": true, "source": null,'
        ' "evil": "<script>", "date_note": "n"}',
        encoding="utf-8",
    )
    article = load_article(tmp_path / "a.txt")
    assert article.meta == {"title": "Bridge", "date": "2025"}
    assert article.title == "Bridge"


def test_bundled_sidecar_is_still_read() -> None:
    meta = resolve_article("kursk-2025-01").meta
    assert (
        meta["title"].startswith("Ukraine doubles down")
        and meta["date"] == "2025-01"
        and "date_note" not in meta
    )
