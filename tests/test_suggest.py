"""Learned stance suggestions: keyword relevance, confident directions only, evidence, honest agreement."""

from __future__ import annotations

import copy
import dataclasses
import json
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from utils.cli import build_parser
from utils.errors import TableError
from utils.schema import NOT_ADDRESSED, STANCE_LABELS
from utils.suggest import (
    DOUBT_EVERY,
    RELEVANCE_LABELS,
    RELEVANT_AT,
    StanceLearner,
    _kappa_withheld,
    _summarise,
    negation_scoped,
    normalise,
    readable,
    stance_check,
    statement_contexts,
    statement_pairs,
)

TOPICS = pd.DataFrame(
    {
        "topic": ["bridge", "open"],
        "proposition": ["The new bridge is good for the town", "Anyone may say anything here"],
        "keywords": ["bridge;toll", ""],
    }
)
PLACES = [
    "harbour",
    "market",
    "school",
    "river",
    "station",
    "park",
    "hill",
    "mill",
    "farm",
    "square",
    "lane",
    "pier",
]
FAVOR = [f"The bridge near the {p} is great and helps everyone." for p in PLACES]
AGAINST = [f"The bridge by the {p} is terrible and hurts everyone." for p in PLACES[:8]]
ELSEWHERE = [f"The weather at the {p} was mild on Sunday." for p in PLACES[:10]]


def labelled() -> pd.DataFrame:
    """12 favor, 8 against, 10 not addressed, all on the keyword topic 'bridge'."""
    rows = (
        [(t, "favor") for t in FAVOR]
        + [(t, "against") for t in AGAINST]
        + [(t, NOT_ADDRESSED) for t in ELSEWHERE]
    )
    return pd.DataFrame([{"text": t, "topic": "bridge", "label": label} for t, label in rows])


@pytest.fixture(scope="module")
def learner() -> StanceLearner:
    return StanceLearner(TOPICS).fit(labelled())


@pytest.mark.parametrize(
    ("text", "topic", "relevant", "matched"),
    [
        ("The bridge toll doubles in May.", "bridge", True, ("bridge", "toll")),
        ("Tolls on the BRIDGE’s deck.", "bridge", True, ("bridge", "toll")),
        ("The weather was mild.", "bridge", False, ()),
        ("The weather was mild.", "open", True, ()),  # a topic without keywords is relevant to everything
    ],
)
def test_relevance_shows_the_matched_keywords(text, topic, relevant, matched) -> None:
    found = StanceLearner(TOPICS).suggest(text, topic)  # no labels yet: relevance only
    assert (found.relevant, found.matched) == (relevant, matched)
    assert found.label is None and found.confidence == 0.0 and not found.shown


@pytest.mark.parametrize(
    ("labels", "why"),
    [
        (labelled().iloc[[0, 1, 12]], "three direction labels are fewer than min_labels (4)"),
        (labelled()[labelled()["label"] != "against"], "only one direction (favor) to learn"),
        (labelled()[labelled()["label"] == NOT_ADDRESSED], "'not addressed' teaches no direction"),
    ],
)
def test_no_direction_without_enough_labels(labels, why) -> None:
    found = StanceLearner(TOPICS).fit(labels).suggest("The bridge is great and helps.", "bridge")
    assert found.relevant and found.label is None, why


@pytest.mark.parametrize(
    ("rows", "model"),
    [
        ([0, 1, 12], False),  # 2 favor + 1 against: 3 < MIN_LABELS
        ([0, 1, 12, 13], True),  # 2 + 2: four direction labels, two directions
        ([0, 1, 2, 3], False),  # four, but all favor
        ([0, 12, 20, 21, 22, 23], False),  # 'not addressed' rows do not count
        ([0, 1, 12, 20, 21, 22], False),
        ([0, 1, 12, 13, 20, 21], True),
    ],
)
def test_a_direction_model_from_four_labels_of_two_directions(rows, model) -> None:
    # Four direction labels are about what 50 pairs hold when most statements address nothing
    # (the propositions set: about 7 in 50); with ten, 50 labels gave no model at all.
    assert (StanceLearner(TOPICS).fit(labelled().iloc[rows]).model is not None) == model


def test_directions_are_learned_and_explained(learner) -> None:
    favor = learner.suggest("The bridge is great, it helps the farm.", "bridge")
    against = learner.suggest("This bridge is terrible, it hurts the mill.", "bridge")
    assert (favor.label, against.label) == ("favor", "against")
    for found in (favor, against):
        assert found.shown and found.confidence >= learner.threshold
        assert found.evidence, "a shown direction comes with its evidence"
    assert "great" in " ".join(favor.evidence) and "terrible" in " ".join(against.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "The bridge is great, it helps the farm.",
        "This bridge is terrible, it hurts the mill.",
        "The bridge’s toll is great but terrible.",
        "Bridge.",
    ],
)
def test_evidence_comes_from_the_text(learner, text) -> None:
    found = learner.suggest(text, "bridge")
    words = set(normalise(text).replace(",", " ").replace(".", " ").split())
    assert all(set(gram.split()) <= words for gram in found.evidence)


@pytest.mark.parametrize("threshold", [0.6, 0.8, 0.95, 0.999999])
def test_never_a_label_below_the_threshold(learner, threshold) -> None:
    strict = copy.copy(learner)  # the threshold applies when suggesting: one fitted model serves all
    strict.threshold = threshold
    texts = [*FAVOR, *AGAINST, "The bridge is great but terrible.", "A bridge, a toll."]
    found = [strict.suggest(t, "bridge") for t in texts]
    assert all(f.label is None or f.confidence >= threshold for f in found)
    assert all((f.label is None) == (f.confidence == 0.0) for f in found)
    shown = sum(f.shown for f in found)
    if threshold == 0.6:
        assert shown >= len(FAVOR) + len(AGAINST)  # the clear cases are shown ...
    if threshold == 0.999999:
        assert shown == 0  # ... and logistic probabilities never reach this: nothing is


def test_summary_of_held_out_pairs_by_hand() -> None:
    # Shown: pairs 1, 3, 4 (pair 2 had no confident direction) -> coverage 3/4.
    # Person F, F, NA vs shown F, A, NA: observed 2/3; chance (F) 2/3*1/3 + (NA) 1/3*1/3 = 1/3;
    # kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5. The prior says F, F, NA on the same pairs: kappa 1.
    outcomes = pd.DataFrame(
        {
            "person": ["favor", "against", "favor", NOT_ADDRESSED],
            "shown": ["favor", None, "against", NOT_ADDRESSED],
            "prior": ["favor", "favor", "favor", NOT_ADDRESSED],
        }
    )
    measured = _summarise(4, outcomes)
    assert measured.kappa == pytest.approx(0.5) and measured.prior_kappa == pytest.approx(1.0)
    assert measured.accuracy == pytest.approx(0.667) and measured.coverage == pytest.approx(0.75)


def test_agreement_cross_validated_against_the_prior(learner) -> None:
    # Held out by statement in 5 folds, the learner gets every pair right: kappa 1, coverage 1.
    # The prior: "not addressed" where no keyword (10 pairs, right), else the commonest training
    # direction, favor in every fold (>= 9 favor vs <= 8 against). Person 12 F, 8 A, 10 NA; prior
    # 20 F, 10 NA: observed (12 + 10)/30; chance (12*20 + 10*10)/900 = 340/900;
    # kappa = (660 - 340) / (900 - 340) = 320/560 = 0.571.
    measured = learner.agreement()
    assert measured.labels == 30 and measured.coverage == pytest.approx(1.0)
    assert measured.kappa == pytest.approx(1.0) and measured.accuracy == pytest.approx(1.0)
    assert measured.prior_kappa == pytest.approx(0.571)


def test_agreement_needs_enough_labels() -> None:
    measured = StanceLearner(TOPICS).fit(labelled().iloc[:8]).agreement()
    assert measured.labels == 8 and measured.kappa is None and measured.prior_kappa is None


def check_set(rows: int = 72) -> pd.DataFrame:
    """A text,proposition,label set of ``rows`` pairs over two propositions."""
    base = labelled().rename(columns={"topic": "proposition"})
    base["proposition"] = "The new bridge is good for the town"
    other = base.assign(
        proposition="The bridge should charge a toll",
        text=base["text"].str.replace("bridge", "toll bridge"),
        label=base["label"].map({"favor": "against", "against": "favor", NOT_ADDRESSED: NOT_ADDRESSED}),
    )
    extra = pd.DataFrame(
        {
            "text": [f"The bridge at gate {i} is great." for i in range(12)],
            "proposition": "The new bridge is good for the town",
            "label": "favor",
        }
    )
    return pd.concat([base, other, extra], ignore_index=True).iloc[:rows]


def test_stance_check_curve_shape_and_determinism() -> None:
    labels = check_set()
    with pytest.warns(UserWarning, match="200 training labels skipped"):
        first = stance_check(labels, sizes=(20, 40, 200), repeats=2, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = stance_check(labels, sizes=(20, 40, 200), repeats=2, seed=3)
    assert [point["labels"] for point in first] == [20, 40]
    assert all(set(point) == {"labels", "kappa", "prior_kappa", "accuracy", "coverage"} for point in first)
    assert first == again
    assert all(0 <= point["coverage"] <= 1 and -1 <= point["kappa"] <= 1 for point in first)


# --- the speaker's own labels, and the paragraphs around a statement -----------------------------

ARTICLE = (
    "Bridge vote\n\n"
    "The council met on Monday about the river bridge and its toll.\n\n"
    '"It will change everything," said Ana Ruiz.\n\n'
    "The weather stayed mild all week.\n\n"
    "Nothing else happened."
)
SAID = ARTICLE.index("It will")


@pytest.mark.parametrize(
    ("given", "speaker", "person", "topic", "label", "why"),
    [
        (
            [("Donald Trump", "", "bridge", "against")],
            "Trump",
            "",
            "bridge",
            "against",
            "one person, two forms",
        ),
        (
            [("Donald Trump", "", "bridge", "against")],
            "Ivanka Trump",
            "",
            "bridge",
            None,
            "another given name",
        ),
        ([("Trump", "", "bridge", "against")], "Ivanka Trump", "", "bridge", "against", "a bare surname"),
        (
            [("Bill Clinton", "", "bridge", "favor")],
            "William J. Clinton",
            "",
            "bridge",
            "favor",
            "a familiar form",
        ),
        (
            [("Donald Trump", "", "bridge", "against"), ("Ivanka Trump", "", "bridge", "favor")],
            "Trump",
            "",
            "bridge",
            None,
            "which Trump?",
        ),
        (
            [("the Clinton campaign", "", "bridge", "favor")],
            "Clinton's campaign",
            "",
            "bridge",
            "favor",
            "an organisation's forms",
        ),
        (
            [("Maria Lopez", "p-maria", "bridge", "favor")],
            "Mario Lopez",
            "p-mario",
            "bridge",
            None,
            "registry ids",
        ),
        (
            [("Maria Lopez", "p-maria", "bridge", "favor")],
            "M. Lopez",
            "p-maria",
            "bridge",
            "favor",
            "same id",
        ),
        (
            [("officials", "", "bridge", "favor")],
            "officials",
            "",
            "bridge",
            None,
            "a description names nobody",
        ),
        ([("Ana Ruiz", "", "open", "favor")], "Ana Ruiz", "", "bridge", None, "another topic"),
        (
            [("Ana Ruiz", "", "bridge", "favor"), ("Ana Ruiz", "", "bridge", "against")],
            "Ana Ruiz",
            "",
            "bridge",
            None,
            "a tie settles nothing",
        ),
        ([("Ana Ruiz", "", "bridge", NOT_ADDRESSED)], "Ana Ruiz", "", "bridge", None, "no direction given"),
    ],
)
def test_a_speaker_s_own_labels_suggest_the_direction(given, speaker, person, topic, label, why) -> None:
    labels = pd.DataFrame(
        [
            {"text": f"The bridge, item {i}.", "speaker": s, "person": p, "topic": t, "label": x}
            for i, (s, p, t, x) in enumerate(given)
        ]
    )
    found = (
        StanceLearner(TOPICS)
        .fit(labels)
        .suggest("The bridge opens soon.", topic, speaker=speaker, person=person)
    )
    assert found.label == label, why
    if label:  # the evidence names the speaker as labelled, and how often
        assert found.evidence == (f"you labelled {given[0][0]} {label} on this topic 1 of 1 times",)
        assert found.confidence == 0.667


def test_a_speaker_s_labels_count_only_when_one_direction_is_clearly_theirs() -> None:
    rows = [("favor", 3), ("against", 1)]
    labels = pd.DataFrame(
        [
            {"text": f"The bridge {label} {i}.", "speaker": "Ana Ruiz", "topic": "bridge", "label": label}
            for label, n in rows
            for i in range(n)
        ]
    )
    found = StanceLearner(TOPICS, min_labels=100).fit(labels).suggest("A bridge.", "bridge", speaker="Ruiz")
    assert (found.label, found.confidence) == ("favor", round(4 / 6, 3))
    assert found.evidence == ("you labelled Ana Ruiz favor on this topic 3 of 4 times",)


@pytest.mark.parametrize(
    ("start", "paragraph", "nearby"),
    [
        (SAID, '"It will change everything," said Ana Ruiz.', "The council met"),
        (ARTICLE.index("Nothing"), "Nothing else happened.", "The weather stayed"),
        (ARTICLE.index("Bridge vote"), "Bridge vote", "Bridge vote\n\nThe council"),
    ],
)
def test_a_statement_s_contexts_are_its_paragraph_and_the_ones_either_side(start, paragraph, nearby) -> None:
    found = statement_contexts(ARTICLE, start, start + 7)
    assert found["paragraph"] == paragraph
    assert found["nearby"].startswith(nearby) and paragraph in found["nearby"]


def test_contexts_are_read_only_where_the_offsets_point_at_the_statement() -> None:
    statements = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "text": ["It will change everything,", "moved"],
            "speaker": ["Ana Ruiz", ""],
            "start": [SAID, SAID],
            "end": [SAID + 26, SAID + 5],
        }
    )
    pairs = statement_pairs(statements, ARTICLE)
    assert "the river bridge" in pairs.at[0, "nearby"] and pairs.at[0, "speaker"] == "Ana Ruiz"
    assert (pairs.at[1, "paragraph"], pairs.at[1, "nearby"]) == ("", "")  # "moved" is not at its offsets


def test_no_pairs_no_suggestions(learner) -> None:
    assert learner.suggest_pairs(pd.DataFrame(columns=["text", "topic"])) == []


def test_learned_relevance_reads_the_keywords_around_a_statement() -> None:
    """Once there are enough labels of each kind, a statement with no keyword of its own can address the
    topic through its paragraphs: the keywords shown say where they were read."""
    addressed = [
        {"text": f"He is right, point {i}.", "nearby": "About the bridge and its toll."} for i in range(12)
    ]
    silent = [{"text": f"The weather {i} was mild.", "nearby": "Rain and sun all week."} for i in range(12)]
    labels = pd.DataFrame(
        [{**row, "topic": "bridge", "label": "favor"} for row in addressed]
        + [{**row, "topic": "bridge", "label": NOT_ADDRESSED} for row in silent]
    )
    learner = StanceLearner(TOPICS).fit(labels)
    near = learner.suggest("She agrees.", "bridge", nearby="The bridge toll rises.")
    far = learner.suggest("She agrees.", "bridge", nearby="It rained.")
    assert near.relevant and near.matched == (
        "bridge (in the paragraphs around it)",
        "toll (in the paragraphs around it)",
    )
    assert not far.relevant and near.relevance > RELEVANT_AT > far.relevance
    json.dumps(dataclasses.asdict(near))  # what the workbench sends its front end
    few = StanceLearner(TOPICS).fit(labels.iloc[:12]).suggest("She agrees.", "bridge", nearby="The bridge.")
    assert not few.relevant and few.relevance is None  # too few labels: the statement's own keywords decide


@pytest.mark.parametrize(
    ("each", "learned"),
    [(RELEVANCE_LABELS - 1, False), (RELEVANCE_LABELS, True), (5, True), (12, True)],
)
def test_relevance_is_learned_from_a_few_labels_of_each_kind(each, learned) -> None:
    """Five labels of each kind are enough: at 50 labels of news (about 7 addressed pairs) a model
    learned from ten of each never existed, and the paragraphs around a statement went unread."""
    addressed = [{"text": f"He is right, {i}.", "nearby": "About the bridge toll."} for i in range(each)]
    silent = [{"text": f"The weather {i} was mild.", "nearby": "Rain all week."} for i in range(each)]
    labels = pd.DataFrame(
        [{**row, "topic": "bridge", "label": "favor"} for row in addressed]
        + [{**row, "topic": "bridge", "label": NOT_ADDRESSED} for row in silent]
    )
    found = StanceLearner(TOPICS).fit(labels).suggest("She agrees.", "bridge", nearby="The bridge toll.")
    assert (found.relevance is not None, found.relevant) == (learned, learned)


@pytest.mark.parametrize(
    ("text", "nearby", "relevant", "matched", "doubted"),
    [
        ("The bridge was mentioned.", "It rained.", True, ("bridge",), True),  # its own keyword: no veto
        ("She agrees.", "The toll rises.", True, ("toll (in the paragraphs around it)",), False),  # added
        ("She agrees.", "It rained.", False, (), True),
    ],
)
def test_the_statement_s_own_keywords_always_count(text, nearby, relevant, matched, doubted) -> None:
    """Labels where the keyword in a statement mostly meant nothing: the learned model doubts such a
    statement, yet its own keyword keeps it relevant (vetoing cost recall on bare sentences)."""
    aside = [{"text": f"A bridge {i} in passing.", "nearby": "Rain all week."} for i in range(12)]
    around = [{"text": f"He is right, point {i}.", "nearby": "About the toll."} for i in range(12)]
    silent = [{"text": f"The weather {i} was mild.", "nearby": "Sun all week."} for i in range(12)]
    labels = pd.DataFrame(
        [{**row, "topic": "bridge", "label": NOT_ADDRESSED} for row in aside + silent]
        + [{**row, "topic": "bridge", "label": "favor"} for row in around]
    )
    found = StanceLearner(TOPICS).fit(labels).suggest(text, "bridge", nearby=nearby)
    assert (found.relevant, found.matched) == (relevant, matched)
    assert found.relevance is not None and (found.relevance < RELEVANT_AT) == doubted  # the model's own view


def around_labels() -> pd.DataFrame:
    """Three articles' paragraphs: in each, two statements by Ann Lee on the bridge and one aside on the
    weather by Bo Chan; no statement names the bridge itself."""
    rows = []
    for i in range(6):
        paragraph = f"Ann Lee said it works {i}. She likes it {i}. Bo Chan said it was sunny {i}."
        rows += [
            {"text": f"Ann Lee said it works {i}.", "speaker": "Ann Lee", "label": "favor"},
            {"text": f"She likes it {i}.", "speaker": "Ann Lee", "label": "favor"},
            {"text": f"Bo Chan said it was sunny {i}.", "speaker": "Bo Chan", "label": NOT_ADDRESSED},
        ]
        for row in rows[-3:]:
            row.update(topic="bridge", paragraph=paragraph, nearby=paragraph)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("known", "around"),
    [
        (
            {
                "speaker": "Ann Lee",
                "paragraph": "Ann Lee said it works 0. She likes it 0. Bo Chan said it was sunny 0.",
            },
            (
                "you labelled 2 of 3 statements in its paragraph as addressing it",
                "you labelled 12 of 12 statements by its speaker as addressing it",
            ),
        ),
        ({"speaker": "Bo Chan"}, ("you labelled 0 of 6 statements by its speaker as addressing it",)),
        ({"speaker": "Cy Dee", "paragraph": "A paragraph nobody labelled."}, ()),
        ({}, ()),
    ],
)
def test_the_labels_around_a_statement_are_shown_as_relevance_evidence(known, around) -> None:
    """The person's labels of the statement's paragraph and of its speaker's other statements are read
    by the relevance model and shown with their counts; a statement never counts itself."""
    found = StanceLearner(TOPICS).fit(around_labels()).suggest("It is fine.", "bridge", **known)
    assert found.around == around
    json.dumps(dataclasses.asdict(found))


def test_the_labels_around_a_statement_make_it_relevant() -> None:
    """No keyword anywhere: only the labels of its paragraph and speaker tell that it addresses the bridge."""
    learner = StanceLearner(TOPICS).fit(around_labels())
    ann = learner.suggest("It is fine.", "bridge", speaker="Ann Lee")
    bo = learner.suggest("It is fine.", "bridge", speaker="Bo Chan")
    assert ann.relevant and not bo.relevant and ann.relevance > RELEVANT_AT > bo.relevance


@pytest.mark.parametrize(
    ("doubt", "kappa"),
    [
        (0.0, 0.636),  # person f f n a, shown f a n a: (3/4 - 5/16) / (1 - 5/16)
        (0.5, 1.0),  # the doubted "a" on a favor pair withheld: f n a against f n a
        (0.95, -1.0),  # "not addressed" is always shown, but no direction is left
        (0.7, -1.0),  # 2 of 5 pairs shown: under 60%
    ],
)
def test_directions_withheld_below_a_doubt_by_hand(doubt, kappa) -> None:
    """A doubt withholds directions only; "not addressed" and nothing shown stay as they are."""
    outcomes = [
        ("favor", "favor", 0.9),
        ("favor", "against", 0.3),
        (NOT_ADDRESSED, NOT_ADDRESSED, 0.1),
        ("against", "against", 0.6),
        ("favor", None, 0.9),  # nothing shown
    ]
    assert _kappa_withheld(outcomes, doubt) == pytest.approx(kappa, abs=0.01)


@pytest.mark.parametrize(
    ("columns", "reads"),
    [(["text", "topic", "label"], False), (["text", "topic", "label", "speaker"], True), (None, True)],
)
def test_a_doubt_is_only_considered_where_the_labels_have_context(columns, reads) -> None:
    """On bare sentences the relevance model reads only the statement's keywords, and withholding on its
    doubt lost on the dev part even where cross-validation chose it: the doubt stays 0 there."""
    labels = around_labels() if columns is None else around_labels()[columns]
    learner = StanceLearner(TOPICS).fit(labels)
    assert learner._reads_around() == reads
    assert reads or learner.doubt == 0.0
    assert StanceLearner(TOPICS, doubts=()).fit(labels).doubt == 0.0


@pytest.mark.parametrize(
    ("more_labels", "chosen_again"), [(0, False), (DOUBT_EVERY - 1, False), (DOUBT_EVERY, True)]
)
def test_a_refitted_learner_chooses_its_doubt_again_only_every_few_labels(
    monkeypatch: pytest.MonkeyPatch, more_labels: int, chosen_again: bool
) -> None:
    """The workbench refits one learner as labels come; the doubt's cross-validation is most of a fit."""
    labels = pd.concat([around_labels(), around_labels().assign(text=lambda f: f["text"] + " Again.")])
    first = 16  # five "not addressed" among them: enough for the relevance model and a doubt
    learner = StanceLearner(TOPICS).fit(labels.iloc[:first])
    assert learner._doubt_chosen_at == first
    before, calls = learner.doubt, []
    monkeypatch.setattr(StanceLearner, "_chosen_doubt", lambda self: calls.append(1) or 0.3)
    learner.fit(labels.iloc[: first + more_labels])
    assert bool(calls) == chosen_again
    assert learner.doubt == (0.3 if chosen_again else before)


def test_stance_check_learns_from_the_speaker_column_when_the_set_has_one() -> None:
    """Six people, each always of one mind about the bridge, in words that say nothing: only the
    speaker column can tell their stance, and stance-check reads it as the workbench does."""
    minds = {
        "Ana Ruiz": "favor",
        "Tom Baker": "against",
        "Bo Chen": "neutral",
        "Jo Park": "favor",
        "Li Wei": "against",
        "Sam Cole": "neutral",
    }
    rows = [
        {
            "text": f"On the bridge, remark {i}.",
            "proposition": "The bridge is good",
            "keywords": "bridge",
            "speaker": speaker,
            "label": label,
        }
        for i in range(20)
        for speaker, label in minds.items()
    ]
    with_speaker = stance_check(pd.DataFrame(rows), sizes=(50,), repeats=2)[0]
    without = stance_check(pd.DataFrame(rows).drop(columns="speaker"), sizes=(50,), repeats=2)[0]
    assert with_speaker["kappa"] == 1.0 and with_speaker["coverage"] == 1.0
    assert without["coverage"] == 0.0  # no words to go by: no direction is shown at all


def run_cli(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    args.run(args)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "the file is empty"),
        ("text,label\nA bridge.,favor\n", "missing column(s) proposition"),
        ("text,proposition,label\nA bridge.,,favor\n", "row 2: empty proposition"),
        ("text,proposition,label\n" + "A bridge.,P,favor\n" * 5, "only 5 labelled rows"),
        ("text,proposition,label\n" + "".join(f"T{i},P,favor\n" for i in range(70)), "the same label"),
        (b"text,proposition,label\n\xff\xfe,P,favor\n", "not a readable CSV"),
    ],
)
def test_stance_check_bad_input_is_one_line(tmp_path, content, message) -> None:
    path = tmp_path / "labels.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TableError) as caught:
        run_cli(["stance-check", str(path)])
    assert message in caught.value.message and str(path) in caught.value.message
    assert "\n" not in caught.value.message


def test_stance_check_prints_a_table_and_json(tmp_path, capsys) -> None:
    path = tmp_path / "labels.csv"
    check_set().to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 100, 200 and 400 are skipped on 72 rows
        run_cli(["stance-check", str(path), "--json"])
        curve = json.loads(capsys.readouterr().out)["curve"]
        run_cli(["stance-check", str(path)])
    table = capsys.readouterr().out
    assert [point["labels"] for point in curve] == [50]
    assert "prior κ" in table and f"{curve[0]['kappa']:.2f}" in table.splitlines()[2]


GOLD_STANCE = Path(__file__).parent / "gold" / "stance"


@pytest.mark.parametrize("topics_file", sorted(GOLD_STANCE.glob("*.topics.csv")), ids=lambda p: p.name[:30])
def test_in_domain_stance_set_is_complete(topics_file) -> None:
    slug = topics_file.name.removesuffix(".topics.csv")
    topics = pd.read_csv(topics_file, dtype=str, keep_default_na=False)
    stance = pd.read_csv(GOLD_STANCE / f"{slug}.stance.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(GOLD_STANCE.parent / "corpus" / f"{slug}.gold.csv", dtype=str, keep_default_na=False)
    assert 3 <= len(topics) <= 5 and topics["keywords"].str.strip().ne("").all()
    assert len(stance) == len(gold) * len(topics)  # every statement, every proposition
    assert (
        set(stance["label"]) <= {*STANCE_LABELS, NOT_ADDRESSED}
        and stance["rationale"].str.strip().ne("").all()
    )
    assert (stance["text"].to_numpy() == gold["text"].repeat(len(topics)).to_numpy()).all()


def test_in_domain_set_size() -> None:
    combined = pd.read_csv(GOLD_STANCE / "all.stance.csv", dtype=str, keep_default_na=False)
    assert len(combined) >= 300 and combined["article"].nunique() >= 8


def test_stance_bench_skips_the_propositions_without_their_text(tmp_path, capsys) -> None:
    # Without the PolNeAR folder (or before benchmarks/propositions.py exists) the heldout
    # curves are skipped with a note, not a traceback: `make eval` runs without ../shared.
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    try:
        import stance_bench

        stance_bench.propositions_heldout(tmp_path / "no-polnear", repeats=1)
    finally:
        sys.path.pop(0)
    printed = capsys.readouterr().out
    assert "heldout" in printed and "skipped:" in printed and "kappa" not in printed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a good plan", ["a", "good", "plan"]),
        ("not a good plan", ["not", "not_a", "not_good", "not_plan"]),
        ("It isn\u2019t good, but ok", ["it", "is", "not", "not_good", "but", "ok"]),  # curly "n't", a comma
        ("never again. Good", ["never", "not_again", "good"]),  # the scope ends at the full stop
        ("no deal without a vote", ["no", "not_deal", "not_without", "not_a", "not_vote"]),
        ("Nothing\u201cgood\u201d", ["nothing", "good"]),  # a quotation mark ends it too
    ],
)
def test_words_after_a_negator_are_marked_until_punctuation(text, words) -> None:
    assert negation_scoped(text) == words


@pytest.mark.parametrize(
    ("gram", "shown"),
    [
        ("good", "good"),
        ("not_good", "good (negated)"),
        ("not not_good", "not good"),  # the negator is shown: no need to say so
        ("not_very not_good", "very good (negated)"),
    ],
)
def test_evidence_shows_negated_words_plainly(gram, shown) -> None:
    assert readable(gram) == shown


def test_a_negated_word_is_learned_apart_from_the_word() -> None:
    rows = [
        (f"The bridge is {a} for the {place}.", label)
        for place in PLACES[:4]
        for a, label in (("good", "favor"), ("not good", "against"))
    ]
    labels = pd.DataFrame([{"text": t, "topic": "bridge", "label": x} for t, x in rows])
    learner = StanceLearner(TOPICS).fit(labels)
    negated = learner.suggest("The toll is not good.", "bridge")
    plain = learner.suggest("The toll is good.", "bridge")
    assert (negated.label, plain.label) == ("against", "favor")
    assert "good (negated)" in negated.evidence or "not good" in negated.evidence
