"""A paragraph the rules fail on is reported where the user sees it, and the rest still comes out."""

from __future__ import annotations

from pathlib import Path

import pytest

from utils.cli import main
from utils.speakers import SpeakerBook

ARTICLE = (
    "Bridge vote\n\n"
    "“We will rebuild the bridge by spring,” said Maria Lopez, the city’s chief engineer.\n\n"
    "Kaboom: a paragraph the rules cannot handle, said Joe Doe.\n\n"
    "“The money is there,” Lopez said.\n"
)


@pytest.fixture
def failing_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules fail where they resolve the speaker "Joe Doe" (the Kaboom paragraph), as a bug in them would.

    Raised through the public SpeakerBook.resolve, which every attributed statement goes through.
    """
    resolve = SpeakerBook.resolve

    def failing(self: SpeakerBook, name: str, *args: object, **kwargs: object) -> object:
        if name == "Joe Doe":
            raise IndexError("list index out of range")
        return resolve(self, name, *args, **kwargs)

    monkeypatch.setattr(SpeakerBook, "resolve", failing)


def test_the_cli_warns_on_one_line_and_writes_the_other_statements(
    failing_paragraph: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "We will rebuild the bridge by spring," in out and "The money is there," in out
    assert "Joe Doe" not in out
    start = ARTICLE.index("Kaboom")
    end = ARTICLE.index("\n", start)
    (line,) = err.strip().split("\n")
    assert line.startswith(f"opinions: warning: paragraph at characters {start}-{end} (“Kaboom: a paragraph")
    assert "IndexError: list index out of range" in line and "was skipped" in line


def test_a_clean_article_gives_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Joe Doe" in out and err == ""


def test_an_analysis_keeps_the_skipped_paragraph_for_the_report(
    failing_paragraph: None, tmp_path: Path
) -> None:
    from utils.analysis import analyse
    from utils.articles import load_article
    from utils.quotes import ExtractionWarning

    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    with pytest.warns(ExtractionWarning, match=f"^{path}: paragraph at characters"):
        analysis = analyse(load_article(path))
    (line,) = analysis.curation.skipped
    assert "Kaboom: a paragraph" in line and "IndexError" in line
    assert list(analysis.table["speaker"]) == ["Maria Lopez", "Maria Lopez"]
