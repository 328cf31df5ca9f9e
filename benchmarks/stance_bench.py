"""How far learned stance suggestions agree with people: curves on the in-domain set and the bundled labels.

Usage: python benchmarks/stance_bench.py [--sweep] [--repeats N] [--polnear DIR]

* In-domain: ``tests/gold/stance/all.stance.csv`` (483 statement-proposition pairs from 8
  annotated corpus articles, labelled by reading), once with the topics' keywords deciding
  relevance (all pairs) and once on the pairs people call addressed only (direction alone,
  no keywords), as ``stance_check`` curves.
* Bundled: the 148 curated pairs of kursk-2025-01 (37 statements x 4 topics), by grouped
  5-fold cross-validation (``StanceLearner.agreement``) and as a curve.
* Propositions, heldout: the ``heldout`` part of ``tests/gold/propositions`` (PolNeAR statements
  x 5 propositions of the 2016 campaign, labelled by reading; text read from ``../shared``
  through ``benchmarks/propositions.py``), over all pairs and on the addressed pairs only
  (direction alone, like a stance set of sentences that all speak to their target), then both
  again as bare sentences (no speaker, no paragraph). Nothing was chosen on this part: it is the
  figure to report. Skipped with a note when
  ``../shared/polnear-train`` or the set is missing.
* ``--sweep`` repeats the in-domain and bundled figures for each candidate threshold and
  regularisation, the comparison that chose ``utils.suggest.THRESHOLD``.

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from utils import suggest  # noqa: E402
from utils.articles import resolve_article  # noqa: E402
from utils.curation import load_curation  # noqa: E402
from utils.errors import InputError  # noqa: E402
from utils.schema import NOT_ADDRESSED  # noqa: E402
from utils.stance_cli import format_curve  # noqa: E402

IN_DOMAIN = REPO / "tests" / "gold" / "stance" / "all.stance.csv"
BUNDLED = "kursk-2025-01"


def in_domain() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The in-domain set with keywords, and its addressed pairs without them (direction only)."""
    labels = pd.read_csv(IN_DOMAIN, dtype=str, keep_default_na=False)
    return labels, labels[labels["label"] != NOT_ADDRESSED].drop(columns="keywords")


def bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled article's curated pairs (text, topic, label, plus proposition and keywords) and topics."""
    curation = load_curation(resolve_article(BUNDLED))
    topics = curation.topics.fillna("")
    pairs = suggest.labelled_pairs(curation.statements, curation.stance, topics, curation.article.text)
    return pairs.merge(topics, on="topic"), topics


def report(repeats: int, polnear: Path | None = None) -> None:
    labels, directions = in_domain()
    print(f"In-domain, all pairs, keywords for relevance ({IN_DOMAIN.relative_to(REPO)})")
    print(format_curve(suggest.stance_check(labels, sizes=(50, 100, 200, 400), repeats=repeats), len(labels)))
    print("\nIn-domain, direction only (pairs people call addressed, no keywords)")
    print(format_curve(suggest.stance_check(directions, sizes=(50, 100), repeats=repeats), len(directions)))
    pairs, topics = bundled()
    addressed = pairs[pairs["label"] != NOT_ADDRESSED]
    print(f"\nBundled {BUNDLED}, grouped 5-fold cross-validation")
    print("  all pairs:      ", suggest.StanceLearner(topics).fit(pairs).agreement())
    print("  direction only: ", suggest.StanceLearner(topics.assign(keywords="")).fit(addressed).agreement())
    print(f"\nBundled {BUNDLED}, curve over all pairs")
    curve = suggest.stance_check(
        pairs[["text", "proposition", "label", "keywords"]], sizes=(50, 100), repeats=repeats
    )
    print(format_curve(curve, len(pairs)))
    propositions_heldout(polnear, repeats)


def propositions_heldout(polnear: Path | None, repeats: int) -> None:
    """The curves on the heldout propositions: all pairs, then the addressed pairs alone."""
    print("\nPropositions 2016, heldout part (tests/gold/propositions; never tuned on)")
    try:
        import propositions  # benchmarks/propositions.py, beside this file

        frame = propositions.build(*(() if polnear is None else (polnear,)), split="heldout")
    except (ImportError, InputError) as exc:
        print(f"  skipped: {getattr(exc, 'message', exc)}")
        return
    labels = frame[
        propositions.STANCE_CHECK_COLUMNS
    ]  # with the speaker and paragraphs, as the workbench has them
    print(format_curve(suggest.stance_check(labels, repeats=repeats), len(labels)))
    addressed = labels[labels["label"] != NOT_ADDRESSED].drop(columns="keywords")
    print("\nPropositions 2016, heldout, direction only (pairs people call addressed, no keywords)")
    print(format_curve(suggest.stance_check(addressed, repeats=repeats), len(addressed)))
    bare = [c for c in ("speaker", "paragraph", "nearby") if c in labels.columns]
    print("\nPropositions 2016, heldout, bare sentences (no speaker, no paragraph), all pairs")
    print(format_curve(suggest.stance_check(labels.drop(columns=bare), repeats=repeats), len(labels)))
    print("\nPropositions 2016, heldout, bare sentences, direction only (like a public stance set)")
    print(format_curve(suggest.stance_check(addressed.drop(columns=bare), repeats=repeats), len(addressed)))


def sweep(repeats: int) -> None:
    labels, directions = in_domain()
    pairs, topics = bundled()
    addressed = pairs[pairs["label"] != NOT_ADDRESSED]
    print(
        "C, threshold | in-domain 50/100/200 | direction-only 50/100 | bundled CV all | bundled CV direction"
    )
    print("(each figure kappa/prior kappa/coverage)")
    for regularisation in (1.0, 10.0):
        for threshold in (0.4, 0.5, 0.6, 0.7):
            suggest.REGULARISATION, suggest.THRESHOLD = regularisation, threshold
            cells = [
                " ".join(
                    f"{p['kappa']}/{p['prior_kappa']}/{p['coverage']}"
                    for p in suggest.stance_check(data, sizes=sizes, repeats=repeats)
                )
                for data, sizes in ((labels, (50, 100, 200)), (directions, (50, 100)))
            ]
            for data, frame in ((pairs, topics), (addressed, topics.assign(keywords=""))):
                a = suggest.StanceLearner(frame).fit(data).agreement()
                cells.append(f"{a.kappa}/{a.prior_kappa}/{a.coverage}")
            print(f"{regularisation:g}, {threshold} | " + " | ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="compare thresholds and regularisation")
    parser.add_argument("--repeats", type=int, default=5, help="random splits per curve point (default 5)")
    parser.add_argument("--polnear", type=Path, help="PolNeAR train folder (default ../shared/polnear-train)")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = lambda message, *rest, **kw: print(f"note: {message}", file=sys.stderr)
        sweep(args.repeats) if args.sweep else report(args.repeats, args.polnear)


if __name__ == "__main__":
    main()
