"""The extractor's lexicons (utils/lexicons/) are consistent, documented and all in use."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT
from utils.extract import lexicon

LEXICONS = ROOT / "utils" / "lexicons"
PACKAGE = ROOT / "utils" / "extract"
FILES = sorted(p.name for p in LEXICONS.iterdir() if p.name != "README.md")
WORD_LISTS = sorted(name.removesuffix(".txt") for name in FILES if name.endswith(".txt"))
TAGGED = ("calendar", "prepositions", "first-names", "listeners", "determiners")
VERB_TAGS = {
    "speech",
    "weak",
    "trailing",
    "quote-only",
    "label",
    "naming",
    "ask",
    "directive",
    "commissive",
    "nounish",
    "that-only",
    "bid",
    "infinitival",
    "object",
    "gerund",
    "as",
}
GENDERS = {"female", "male", "unisex"}


def entries(name: str) -> list[str]:
    """The raw entries of a file: the first column, comments and a table's header left out."""
    lines = [line for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    if name.endswith(".tsv"):
        lines = lines[1:]
    return [line.split("\t")[0].strip() for line in lines]


def verb_table() -> list[dict[str, str]]:
    return lexicon.table("verbs.tsv")


@pytest.mark.parametrize("name", FILES)
def test_no_entry_twice_in_a_file(name: str) -> None:
    repeated = [entry for entry, n in Counter(entries(name)).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("name", FILES)
def test_every_entry_is_lower_case_and_trimmed(name: str) -> None:
    """Lookups lower-case the word first, so a capitalised or padded entry would never match."""
    bad = [
        e
        for e in entries(name)
        if e != e.strip() or not e or (e != e.lower() and name != "sentence-starters.txt")
    ]
    assert bad == []


@pytest.mark.parametrize("name", FILES)
def test_every_file_is_loaded_by_the_extractor(name: str) -> None:
    stem = name.rsplit(".", 1)[0]
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py") if p.name != "lexicon.py")
    loaders = {
        "verbs.tsv": r"verb_forms\(",
        "abbreviations.tsv": r"abbreviations\(",
        "phrasal-verbs.tsv": r"particles\(",
        "word-sets.tsv": r"word_set\(",
    }
    pattern = loaders.get(name, rf'(?:words|tagged|expansions)\("{re.escape(stem)}"')
    assert re.search(pattern, code), f"{name} is not loaded by any module of utils/extract"


@pytest.mark.parametrize("name", FILES)
def test_every_file_is_described_in_the_readme(name: str) -> None:
    assert f"| `{name}` |" in (LEXICONS / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", WORD_LISTS)
def test_a_word_list_loads_as_its_entries(name: str) -> None:
    assert lexicon.words(name) == frozenset(entries(f"{name}.txt"))


# Pairs the rules need disjoint, and why (read from the code that uses them).
DISJOINT = [
    (
        "female-words",
        "male-words",
        "person_gender tries female words first: a shared one is never male",
    ),
    ("first-names", "honorifics", "person_gender skips honorifics to find the given name"),
    ("first-names", "title-words", "person_gender skips title words to find the given name"),
    ("first-names", "org-words", "an org word makes a capitalised run an organisation"),
    ("first-names", "common-caps", "common capitalised words are stripped from the start of a name"),
    ("first-names-ing", "ing-nouns", "a name in -ing is a source, a noun in -ing is not a gerund"),
    ("listeners", "source-nouns", "a listener ('told reporters') is never the source"),
    ("document-nouns", "role-words", "a document speaks for its issuer, a role is a person"),
    ("author-pronouns", "person-pronouns", "first-person narration is dropped before he/she is resolved"),
    ("person-pronouns", "plural-pronouns", "one person or a group, never both"),
    ("org-tails", "role-words", "a firm's last word vs a person's role"),
]


def listed(name: str) -> set[str]:
    return set(lexicon.tagged(name)) if name in TAGGED else set(lexicon.words(name))


@pytest.mark.parametrize(("a", "b", "why"), DISJOINT, ids=[f"{a}|{b}" for a, b, _ in DISJOINT])
def test_lists_the_rules_need_disjoint_share_no_word(a: str, b: str, why: str) -> None:
    assert listed(a) & listed(b) == set(), why


def test_a_verb_has_one_row() -> None:
    forms = Counter(form for row in verb_table() for form in row["forms"].split())
    assert [form for form, n in forms.items() if n > 1] == []
    assert len({row["lemma"] for row in verb_table()}) == len(verb_table())


@pytest.mark.parametrize("row", verb_table(), ids=lambda row: row["lemma"])
def test_every_verb_form_is_reachable_from_its_lemma_row(row: dict[str, str]) -> None:
    """Each restricted class names forms of its own row, and each form has some class."""
    forms = set(row["forms"].split())
    used: set[str] = set()
    for tag in (row["classes"] + " " + row["takes"]).split():
        if tag == "-":
            continue
        name, _, only = tag.partition("=")
        assert name in VERB_TAGS, f"unknown verb class {name!r}"
        subset = set(only.split(",")) if only else forms
        assert subset <= forms, f"{name} names forms not in the row: {sorted(subset - forms)}"
        used |= subset
    assert used == forms, f"forms with no class: {sorted(forms - used)}"


@pytest.mark.parametrize(
    ("tag", "form", "member"),
    [
        ("speech", "said", True),
        ("trailing", "said", True),
        ("trailing", "saying", False),  # "…, officials saying" does not report the clause before
        ("object", "told", True),
        ("quote-only", "chanted", True),
        ("label", "called", True),
        ("speech", "called", False),
        ("ask", "wondered", True),
        ("bid", "told", True),  # "told the man to remove …": a request
        ("bid", "said", False),
    ],
)
def test_verb_classes_as_the_readme_describes_them(tag: str, form: str, member: bool) -> None:
    assert (form in lexicon.verb_forms(tag)) is member


def test_abbreviation_columns_are_yes_or_no() -> None:
    rows = lexicon.table("abbreviations.tsv")
    assert {row[col] for row in rows for col in ("sentence", "dotted", "name")} <= {"yes", "no"}
    assert "mr" in lexicon.abbreviations("dotted") and "gov't" not in lexicon.abbreviations("dotted")


@pytest.mark.parametrize("name", TAGGED)
def test_tags_are_known(name: str) -> None:
    known = {
        "calendar": {"weekday", "month", "month-abbreviation", "period", "relative", "day-part"},
        "prepositions": {"in-names", "before-noun", "inside-a-name", "-"},
        "first-names": GENDERS | {"signal"},
        "listeners": {"add-to", "printed"},
        "determiners": {"article", "demonstrative", "possessive", "definite"},
    }[name]
    tags = {tag for row in lexicon.table(f"{name}.tsv") for tag in row["tags"].split()}
    assert tags <= known


def test_a_first_name_has_exactly_one_gender() -> None:
    rows = lexicon.table("first-names.tsv")
    assert [row["entry"] for row in rows if len(set(row["tags"].split()) & GENDERS) != 1] == []


def test_a_phrasal_verb_names_a_lemma_and_some_of_its_forms() -> None:
    rows = lexicon.table("phrasal-verbs.tsv")
    assert rows
    for row in rows:
        forms = lexicon.lemma_forms(row["lemma"])  # a KeyError when verbs.tsv has no such lemma
        assert set(row["printed"].split(",")) - {"-"} <= forms, row["lemma"]
        assert row["skipped"] in {"yes", "no"} and " " not in row["particle"]


@pytest.mark.parametrize(
    ("form", "particle", "skipped", "printed"),
    [
        ("pointed", "out", True, True),
        ("pointing", "out", True, False),  # printed "pointing", as before the table (see README)
        ("weighs", "in", True, True),
        ("referred", "to", False, False),  # "referred to X as Y": "to X" stays in the content
    ],
)
def test_phrasal_verbs_as_the_readme_describes_them(
    form: str, particle: str, skipped: bool, printed: bool
) -> None:
    assert lexicon.particles()[form] == lexicon.Particle(particle, skipped, printed)
    assert "said" not in lexicon.particles()


def test_an_unknown_lemma_fails_loudly() -> None:
    with pytest.raises(KeyError):
        lexicon.lemma_forms("sayy")


# --- word sets: in utils/lexicons/word-sets.tsv, not in code --------------------------------------

WORD_SETS = lexicon.table("word-sets.tsv")


@pytest.mark.parametrize("row", WORD_SETS, ids=lambda row: row["set"])
def test_a_word_set_is_sorted_lower_case_and_has_no_repeats(row: dict[str, str]) -> None:
    found = row["words"].split()
    assert found and found == sorted(set(found)) and all(w == w.lower() for w in found)


@pytest.mark.parametrize("row", WORD_SETS, ids=lambda row: row["set"])
def test_a_word_set_is_read_by_the_extractor_and_described_in_the_readme(row: dict[str, str]) -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    assert f'word_set("{row["set"]}")' in code
    assert f"| `{row['set']}` |" in (LEXICONS / "README.md").read_text(encoding="utf-8")


def test_an_unknown_word_set_fails_loudly() -> None:
    assert lexicon.word_set("relative-words") == {"that", "which", "who", "whose"}
    with pytest.raises(KeyError, match=r"word-sets\.tsv has no set"):
        lexicon.word_set("relative-wrds")


WORD = re.compile(r"[^\W\d_][\w’'\-. ]*")


def _is_word(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(WORD.fullmatch(node.value))


#: Where a sequence of names is a table's columns, which is code, not vocabulary: the selection
#: ``frame[[...]]``, these keyword arguments, the first argument of these table methods, and a
#: name or loop variable that says it holds columns.
_COLUMN_KEYWORDS = {"columns", "by", "on", "subset", "id_vars", "value_vars", "index", "keys"}
_TABLE_METHODS = {"groupby", "sort_values", "drop_duplicates", "set_index", "merge", "drop", "pivot_table"}
_COLUMN_NAMES = re.compile(r"^(columns?|cols?|c|keys?|order|fields|[a-z_]*_columns|[a-z_]*_order)$")


def _column_lists(function: ast.AST) -> set[int]:
    """ids of the sequence nodes of ``function`` that name a table's columns (see above)."""
    found: set[int] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.List):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call):
            found.update(id(k.value) for k in node.keywords if k.arg in _COLUMN_KEYWORDS)
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in _TABLE_METHODS and node.args:
                found.add(id(node.args[0]))
        elif isinstance(node, ast.Assign) and all(
            isinstance(t, ast.Name) and _COLUMN_NAMES.match(t.id) for t in node.targets
        ):
            found.add(id(node.value))
        elif (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and _COLUMN_NAMES.match(node.target.id)
        ):
            found.add(id(node.iter))
    return found


def word_sets_in_functions(source: str) -> list[tuple[int, str]]:
    """(line, words) of each word set written inside a function: a list, tuple or set of three or
    more words (string literals starting with a letter), or a string of three or more words split.
    A sequence that names a table's columns is code and not counted (:func:`_column_lists`)."""
    found = set()
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        columns = _column_lists(function)
        for node in ast.walk(function):
            if isinstance(node, ast.List | ast.Tuple | ast.Set):
                if len(node.elts) >= 3 and all(_is_word(e) for e in node.elts) and id(node) not in columns:
                    found.add((node.lineno, " ".join(e.value for e in node.elts)))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "split"
            ):
                split = node.func.value
                if (
                    isinstance(split, ast.Constant)
                    and isinstance(split.value, str)
                    and len(split.value.split()) >= 3
                ):
                    found.add((node.lineno, split.value))
    return sorted(found)


#: Word sets that may stay inside functions. In utils/extract only those that are code: the kinds
#: of a noun phrase ("person", "short", "org") and the sides of a cue. In the rest of utils/ the
#: few left are names of figures and frames' columns read another way; lower the figure when one
#: moves. See utils/lexicons/README.md ("Word sets").
LIMITS = {"utils/extract": 4, "utils, outside extract": 6}  # 10 in all; issue 16 allows 15


def _area(path: Path) -> str:
    return "utils/extract" if PACKAGE in path.parents else "utils, outside extract"


@pytest.mark.parametrize("area", sorted(LIMITS))
def test_word_sets_do_not_creep_back_into_code(area: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {words}"
        for path in sorted((ROOT / "utils").rglob("*.py"))
        if _area(path) == area
        for line, words in word_sets_in_functions(path.read_text(encoding="utf-8"))
    ]
    assert len(found) <= LIMITS[area], "\n".join(found)


def test_the_word_set_count_finds_what_it_should() -> None:
    source = """
SETS = {"at", "in", "on"}  # module level: a constant, not counted


def f(word, kind):
    if word in {"but", "and", "yet"} or word.endswith(("ss", "us", "is")):
        return "a b c".split()
    return kind in {"person", "org"} or word in {",", ";", ":"}


def g(frame):
    columns = ["id", "text", "label"]  # a table's columns: code, not counted
    for column in ("title", "outlet", "url"):
        frame[column] = frame[column].fillna("")
    frame = frame.sort_values(["date", "start", "id"]).drop(columns=["a", "b", "c"])
    joined = frame.merge(frame, on=["x", "y", "z"])
    return frame[["who", "what", "when"]], joined, columns, {"sun", "moon", "star"}
"""
    assert [words for _line, words in word_sets_in_functions(source)] == [
        "but and yet",
        "ss us is",
        "a b c",
        "sun moon star",
    ]
