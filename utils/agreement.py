"""How far people who tagged the same article agree, from their stance files in ``data/annotations/``.

A person's labels cover the statements they labelled (at least one stance row): the topics
they gave no row for count as *not addressed*, as in the curated tables. Agreement is
measured over the statement-topic pairs everyone labelled: Cohen's kappa for two people,
Krippendorff's alpha (nominal) for more; once for the full label, once for relevance
(addressed or not) and once for direction on the pairs everyone calls addressed; per topic;
with the list of disagreements.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from utils.annotations import annotation_path, annotations_dir, annotators, read_annotation
from utils.errors import InputError
from utils.schema import NOT_ADDRESSED

Labels = dict[tuple[str, str], str]


def figure(value: float | None) -> str:
    """A coefficient as people read it: two decimals, or "undefined"."""
    return "undefined" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Agreement:
    """Agreement figures; a figure is None when it is undefined (no pairs, or one label only)."""

    annotators: list[str]
    measure: str
    pairs: int
    kappa: float | None
    relevance_kappa: float | None
    direction_pairs: int
    direction_kappa: float | None
    observed: float | None
    per_topic: dict[str, dict[str, float | int | None]]
    disagreements: list[dict[str, object]]

    @property
    def coefficient(self) -> str:
        """The measure's name for readers: Cohen's κ for two people, Krippendorff's α for more."""
        return "Cohen's κ" if self.measure == "cohen_kappa" else "Krippendorff's α"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """Lines for people."""

        lines = [
            f"{self.measure} between {', '.join(self.annotators)} over {self.pairs} statement-topic pairs "
            f"(raw agreement {figure(self.observed)}):",
            f"  label {figure(self.kappa)}, relevance {figure(self.relevance_kappa)}, "
            f"direction {figure(self.direction_kappa)} ({self.direction_pairs} pairs all call addressed)",
        ]
        lines += [
            f"  {topic}: {figure(t['kappa'])} over {t['pairs']} pairs" for topic, t in self.per_topic.items()
        ]
        lines.append(f"{len(self.disagreements)} disagreement(s)")
        lines += [
            f"  {d['id']} / {d['topic']}: " + ", ".join(f"{k} {v}" for k, v in d["labels"].items())
            for d in self.disagreements
        ]
        return "\n".join(lines)


def person_labels(article_id: str, name: str) -> Labels:
    """One person's label for every topic of every statement they labelled."""
    stance = read_annotation(annotation_path(article_id, name, "stance"), "stance")
    topics_path = annotation_path(article_id, name, "topics")
    topics = set(stance["topic"])
    if topics_path.is_file():
        topics |= set(read_annotation(topics_path, "topics")["topic"])
    labels = {(sid, topic): NOT_ADDRESSED for sid in set(stance["id"]) for topic in topics}
    labels.update({(r.id, r.topic): r.label for r in stance.itertuples(index=False)})
    return labels


def article_agreement(article_id: str, names: list[str] | None = None) -> Agreement:
    """Agreement between the given people (default: everyone with a stance file for the article)."""
    folder = annotations_dir(article_id)
    names = names or [n for n in annotators(article_id) if annotation_path(article_id, n, "stance").is_file()]
    if len(names) < 2:
        raise InputError(
            folder,
            f"agreement needs stance labels from at least two people; found {', '.join(names) or 'none'}",
            "have a second person tag the article in the workbench",
        )
    labels = {n: person_labels(article_id, n) for n in names}
    return agreement(labels, folder)


def agreement(labels: dict[str, Labels], where: object = None) -> Agreement:
    """Agreement over the pairs every person labelled."""
    names = list(labels)
    common = sorted(set.intersection(*(set(v) for v in labels.values())))
    if not common:
        raise InputError(
            str(where) if where else None,
            f"no statement was labelled by all of {', '.join(names)}",
            "label some of the same statements",
        )
    rows = [[labels[n][pair] for n in names] for pair in common]
    relevance = [["addressed" if v != NOT_ADDRESSED else v for v in row] for row in rows]
    direction = [row for row in rows if NOT_ADDRESSED not in row]
    per_topic = {}
    for topic in sorted({t for _, t in common}):
        topic_rows = [row for pair, row in zip(common, rows, strict=True) if pair[1] == topic]
        per_topic[topic] = {"pairs": len(topic_rows), "kappa": _coefficient(topic_rows)}
    disagreements = [
        {"id": sid, "topic": topic, "labels": dict(zip(names, row, strict=True))}
        for (sid, topic), row in zip(common, rows, strict=True)
        if len(set(row)) > 1
    ]
    return Agreement(
        annotators=names,
        measure="cohen_kappa" if len(names) == 2 else "krippendorff_alpha",
        pairs=len(common),
        kappa=_coefficient(rows),
        relevance_kappa=_coefficient(relevance),
        direction_pairs=len(direction),
        direction_kappa=_coefficient(direction),
        observed=sum(len(set(r)) == 1 for r in rows) / len(rows),
        per_topic=per_topic,
        disagreements=disagreements,
    )


def _coefficient(rows: list[list[str]]) -> float | None:
    """Cohen's kappa (two columns) or nominal Krippendorff's alpha (more); None when undefined."""
    if len(rows) < 2 or len({v for row in rows for v in row}) < 2:
        return None
    if len(rows[0]) == 2:
        value = float(cohen_kappa_score([r[0] for r in rows], [r[1] for r in rows]))
    else:
        codes = {v: i for i, v in enumerate(sorted({v for row in rows for v in row}))}
        data = np.array([[codes[v] for v in row] for row in rows], dtype=float).T  # coders x units
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(value) else round(value, 6)
