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
    "name", ["kursk-2025-01", "story", "ap-2019-sondland-impeachment", "a1-b2", "y" * MAX_ID]
)
def test_a_name_that_is_already_an_id_keeps_it(name: str) -> None:
    assert slugify(name) == name  # existing ids, and every output named after them, stay the same


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("My Article (final).TXT", "my-article-final-txt"),
        (
            "Überraschung",
            "uberraschung",
        ),  # accents are transliterated, and the hash tells it from "uberraschung"
        ("Crème brûlée", "creme-brulee"),
        ("ﬁnal ＲＥＰＯＲＴ", "final-report"),  # compatibility forms (ligature, full width) fold to ASCII
        ("../../elsewhere/story", "elsewhere-story"),
        ("Story", "story"),
        ("a (1)", "a-1"),
        ("a_b", "a-b"),
        ("x-deadbeef", "x-deadbeef"),  # looks like a hashed id: hashed too, so it never equals one
        ("con", "con"),  # a Windows device name
        ("***", "article"),
        ("Статья", "article"),  # nothing ASCII is left: a hash of the name
        ("新闻", "article"),
        ("Статья 2", "2"),  # letters lost: what is left, plus the hash
        ("café — notes", "cafe-notes"),
        ("Straße", "stra-e"),  # ß has no decomposition: a letter is lost
        (os.fsdecode(b"caf\xe9"), "caf"),  # a file name that is not UTF-8
    ],
)
def test_any_other_name_keeps_a_readable_form_and_a_stable_hash(name: str, kept: str) -> None:
    slug = slugify(name)
    stem, tag = slug.rsplit("-", 1)
    assert stem == kept and len(tag) == 8 and int(tag, 16) >= 0
    assert slugify(name) == slug == slugify(unicodedata.normalize("NFD", name))  # stable, NFC-based
    assert is_article_id(slug)


@pytest.mark.parametrize(
    "names",
    [
        ("Story", "story", "STORY"),
        ("café", "cafe", "cafè", "CAFÉ"),
        ("a (1)", "a-1", "a_1", "a 1", "a--1"),
        ("Статья", "Новости", "新闻", "新聞", "خبر", "***"),
        ("Straße", "Strasse", "strasse"),
        ("café — notes", "café – notes", "cafe-notes"),
        (os.fsdecode(b"caf\xe9"), os.fsdecode(b"caf\xe8"), "caf", "café"),
    ],
)
def test_different_names_never_share_an_id(names: tuple[str, ...]) -> None:
    ids = [slugify(n) for n in names]
    assert len(set(ids)) == len(names), ids


def test_files_whose_names_fold_alike_get_different_ids(tmp_path: Path) -> None:
    names = [
        "Story.txt",
        "story.txt",
        "café.txt",
        "cafe.txt",
        "a (1).txt",
        "a-1.txt",
        os.fsdecode(b"caf\xe9.txt"),
    ]
    for name in names:
        (tmp_path / name).write_text("T\n\nBody.\n", encoding="utf-8")
    ids = {load_article(tmp_path / name).article_id for name in names}
    assert len(ids) == len(names) and {"story", "cafe", "a-1"} <= ids


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
    assert resolve_article(str(path)).article_id == slugify("Überraschung im Rat")
    assert slugify("Überraschung im Rat").startswith("uberraschung-im-rat-")
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
    with pytest.raises(ArticleError, match="is a named pipe") as info:
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
    with pytest.raises(ArticleError, match="is a named pipe"):
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
    with pytest.raises(ArticleError, match="is a named pipe"):
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


# --- invisible, bidirectional and control characters ---------------------------------------------

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2060",  # word joiner
    "\u2063",  # invisible separator
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\u061c",  # Arabic letter mark
    "\ufeff",  # byte-order mark inside the text
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u180e",  # Mongolian vowel separator
    "\u3164",  # Hangul filler
    "\U000e0041",  # tag letter A
]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_never_cuts_a_name(char: str) -> None:
    assert normalise(f"Mayor Ana Lo{char}pez{char} said it.") == "Mayor Ana Lopez said it.\n"


def test_every_invisible_format_character_is_removed() -> None:
    """Every format character (Unicode category Cf) is removed, except those that print a sign."""
    prints = {
        *range(0x600, 0x606),
        0x6DD,
        0x70F,
        0x890,
        0x891,
        0x8E2,
        0x110BD,
        0x110CD,
        *range(0x13430, 0x13440),
    }
    kept = [
        f"U+{c:04X}"
        for c in range(0x110000)
        if unicodedata.category(chr(c)) == "Cf" and c not in prints and normalise(f"a{chr(c)}b") != "ab\n"
    ]
    assert kept == []


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("a\x00b\x07c\x1bd\x7fe\x9df", "a b c d e f\n"),  # control characters become spaces, one for one
        ("one\x0btwo\x0cthree", "one\ntwo\nthree\n"),  # vertical tab and form feed end a line
        ("one\u2028two\u2029three\x85four", "one\ntwo\nthree\nfour\n"),  # Unicode line breaks
        ("one\x1ctwo\x1dthree\x1efour", "one\ntwo\nthree\nfour\n"),  # what str.splitlines splits on
        ("tab\tstays", "tab\tstays\n"),
    ],
)
def test_control_characters_and_line_breaks(raw: str, text: str) -> None:
    assert normalise(raw) == text
    assert normalise(raw).splitlines() == normalise(raw).split("\n")[:-1]  # one idea of a line everywhere


def test_a_name_with_bidi_controls_is_extracted_clean(tmp_path: Path) -> None:
    from utils.curation import extract_table

    path = tmp_path / "bidi.txt"
    path.write_text(
        "Bridge vote\n\n“We waited long enough,” Mayor Ana\u200f Lo\u202epez\u202c said on Tuesday.\n",
        encoding="utf-8",
    )
    table = extract_table(load_article(path).text)
    assert list(table["speaker"]) == ["Ana Lopez"]


def test_the_bundled_article_and_its_curated_offsets_are_unchanged() -> None:
    """Nothing in the bundled article is invisible: its text, and every curated offset into it, stay."""
    from utils.curation import load_curation

    path = ROOT / "data" / "articles" / "kursk-2025-01.txt"
    article = resolve_article("kursk-2025-01")
    assert article.text == path.read_text(encoding="utf-8")
    statements = load_curation(article).statements  # checks each text against its offsets
    assert all(article.text[r.start : r.end] == r.text for r in statements.itertuples())


# --- sidecar values ----------------------------------------------------------------------------


def test_a_sidecar_number_too_long_for_python_is_left_out_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"title": "Bridge", "date": 1' + "0" * 5000 + "}", encoding="utf-8")
    with pytest.warns(ArticleWarning, match="'date' is 5,001 characters long"):
        article = load_article(tmp_path / "a.txt")
    assert article.meta == {"title": "Bridge"}


@pytest.mark.parametrize(
    ("json_text", "meta"),
    [
        ('{"date": 20250115}', {"date": "20250115"}),  # a number is kept as written
        ('{"date": 2025.5}', {"date": "2025.5"}),
        ('{"date": NaN, "title": Infinity}', {}),  # not numbers: left out
        ('{"title": "Bri\\u202edge\\n\\tvote"}', {"title": "Bridge vote"}),  # one clean line
        (
            '{"title": "half \\ud800 pair"}',
            {"title": "half \ufffd pair"},
        ),  # a lone surrogate cannot be written
        ('{"outlet": "  The\\u200b Times  "}', {"outlet": "The Times"}),
    ],
)
def test_sidecar_values_are_clean_single_lines(tmp_path: Path, json_text: str, meta: dict[str, str]) -> None:
    (tmp_path / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    (tmp_path / "a.json").write_text(json_text, encoding="utf-8")
    assert load_article(tmp_path / "a.txt").meta == meta


# --- ids and paths -----------------------------------------------------------------------------


def test_a_stray_file_in_the_working_folder_never_shadows_a_bundled_id(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("kursk-2025-01").write_text("Stray\n\nNot the bundled article.\n", encoding="utf-8")
    bundled = resolve_article("kursk-2025-01")
    assert bundled.path == ROOT / "data" / "articles" / "kursk-2025-01.txt" and bundled.title != "Stray"
    assert resolve_article("./kursk-2025-01").title == "Stray"  # a path that says so reads the file
    assert resolve_article(Path("kursk-2025-01")).title == "Stray"  # and so does a Path


def test_an_id_only_command_never_reads_a_file_elsewhere(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("story").write_text("Stray\n\nBody.\n", encoding="utf-8")
    assert articles.bundled_article("kursk-2025-01").article_id == "kursk-2025-01"
    for ref in ("story", "./story", "../data/articles/kursk-2025-01", "Kursk-2025-01"):
        with pytest.raises(ArticleNotFoundError, match="is not the id of a bundled article") as info:
            articles.bundled_article(ref)
        assert "kursk-2025-01" in info.value.message and "\n" not in info.value.message


def test_file_names_that_are_not_utf8_are_read_and_reported(tmp_path: Path) -> None:
    name = os.fsdecode(b"r\xe9sum\xe9.txt")  # Latin-1 bytes: surrogate-escaped by Python
    (tmp_path / name).write_text("T\n\nBody.\n", encoding="utf-8")
    article = resolve_article(str(tmp_path / name))
    assert is_article_id(article.article_id) and article.article_id.startswith("r-sum-")
    with pytest.raises(ArticleNotFoundError) as info:
        resolve_article(str(tmp_path / os.fsdecode(b"gone\xff.txt")))
    info.value.message.encode("utf-8")  # the message can be printed: the bytes are shown escaped
    (tmp_path / os.fsdecode(b"gone\xff.txt")).mkdir()
    with pytest.raises(ArticleError, match="is a folder"):
        load_article(tmp_path / os.fsdecode(b"gone\xff.txt"))
