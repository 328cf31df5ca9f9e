"""A small coverage for the people view and the topic queue: four dated articles about a town's bridge.

Written by hand for these tests: two clerks with one surname (Maria and Mario Lopez, offered as
maybe one person), a council member quoted in three articles, an engineer named with and without
his title, and a title that is markup (it must stay text). ``TOPICS`` is the collection's topics
table: a proposition most statements address, and one few do.
"""

from __future__ import annotations

from pathlib import Path

ARTICLES = {
    "a1.txt": (
        "Council backs the river bridge\n\n"
        '"The bridge will bring the two halves of the town together," said Maria Lopez, the county clerk.\n\n'
        '"We cannot afford a bridge of this size while the schools need repairs," said Tom Baker, '
        "a council member.\n\n"
        "Engineer Bo Chen said the bridge could open within three years if the money is found.\n"
    ),
    "a2.txt": (
        "Bridge costs double\n\n"
        '"The costs of the bridge have doubled and nobody has explained why," said Tom Baker, '
        "a council member.\n\n"
        '"I still think the bridge is worth every cent," said Mario Lopez, the county clerk.\n\n'
        "Lopez said the vote would come next month.\n"
    ),
    "a3.txt": (
        "Residents split over bridge\n\n"
        '"A bridge would ruin the quiet of the river bank," said Ana Ruiz, a resident.\n\n'
        '"The ferry is slow and the bridge is overdue," said Bo Chen, an engineer.\n'
    ),
    "a4.txt": (
        "Schools ask for money\n\n"
        '"The schools come first, and the bridge can wait," said Tom Baker, a council member.\n\n'
        '"Our roofs leak every winter," said Jane Doe, a head teacher.\n'
    ),
}
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Schools ask for money'
MANIFEST = (
    "file,title,outlet,date,url\n"
    "a1.txt,Council backs the river bridge,Town Post,2024-03-01,https://post.example/a1\n"
    "a2.txt,Bridge costs double,River News,2024-04-02,\n"
    "a3.txt,Residents split over bridge,Town Post,2024-05-03,javascript:alert(1)\n"
    f'a4.txt,"{HOSTILE_TITLE.replace(chr(34), chr(34) * 2)}",River News,2024-06-04,\n'
)
TOPICS = (
    "topic,proposition,keywords\n"
    "build_bridge,The river bridge should be built,bridge\n"
    "schools_first,The schools need the money first,school\n"
)


def write_bridge_coverage(folder: Path) -> Path:
    """The articles and their MANIFEST.csv in ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "MANIFEST.csv").write_text(MANIFEST, encoding="utf-8")
    return folder


def bridge_dataset(tmp: Path) -> tuple[Path, Path]:
    """The coverage under ``tmp``, its corpus dataset and its topics table: (dataset, topics)."""
    from utils.corpus import run_corpus

    folder = write_bridge_coverage(tmp / "coverage")
    dataset = run_corpus(folder, tmp / "dataset", workers=1, progress=False).out
    topics = tmp / "topics.csv"
    topics.write_text(TOPICS, encoding="utf-8")
    return dataset, topics
