"""The people commands of ``opinions``: ``people`` (the registry, and decisions about it) and ``dossier``.

``opinions people DATASET [-o people.csv|people.xlsx|--json]`` lists one row per person of a
corpus dataset. ``--merge KEEP OTHER``, ``--split ID NAME_OR_ARTICLE``, ``--rename ID NAME``,
``--type ID TYPE`` and ``--not-a-person ID`` record a decision in the coverage's
``people.decisions.csv`` (the articles folder the dataset was made from; ``--decisions FILE`` to
choose), keep the previous table, and apply every decision to the dataset at once, so every
later command sees it; the next ``opinions corpus`` applies them again. ``opinions dossier DATASET
PERSON -o DIR`` writes ``DIR/<person_id>.html``. Bad input is one line and exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from utils.console import check_stdout, note, write_done, write_stdout
from utils.dossier import build_dossier
from utils.errors import InputError
from utils.files import write_text_atomic
from utils.names import default_annotator
from utils.outputs import check_file_output
from utils.people.apply import apply_to_dataset, decisions_of
from utils.people.decisions import Decision, read_decisions, record_decision
from utils.people.registry import build_registry
from utils.spreadsheet import file_format, table_text, write_table
from utils.topic_queue import people_stance

ACTIONS = ("merge", "split", "rename", "type", "not_a_person")


def run_people(args: argparse.Namespace) -> None:
    """Record a decision if one is given, then list the registry (or write it)."""
    decision = _decision(args)
    out = _output(args.out, [Path(args.dataset)]) if args.out else None
    if out is None:
        check_stdout()
    path = Path(args.decisions) if args.decisions else decisions_of(args.dataset)
    decisions = read_decisions(path) if path else []
    if decision is not None:
        if path is None:
            raise InputError(
                args.dataset,
                "does not say which articles folder it was made from, so there is nowhere to keep decisions",
                "give --decisions FILE",
            )
        record_decision(path, decision)
        decisions = read_decisions(path)
        changed = apply_to_dataset(args.dataset, decisions)
        note(f"recorded in {path}: {decision.action} {decision.person_id} {decision.value}".rstrip())
        note(f"applied to {args.dataset}: {changed} statement(s) changed person")
    types = {d.person_id: d.value for d in decisions if d.action == "type"}
    registry = build_registry(args.dataset, types=types)
    if out is not None:
        write_table(out, registry)
        write_done(f"wrote {out}: {len(registry)} people and organisations\n", f"{out} was written")
    elif args.json:
        write_stdout(table_text(registry, "json"))
    else:
        write_stdout(listing(registry))


def _decision(args: argparse.Namespace) -> Decision | None:
    given = [(a, getattr(args, a)) for a in ACTIONS if getattr(args, a, None)]
    if len(given) > 1:
        raise InputError(
            None, "one decision at a time", "give only one of --merge, --split, --rename, --type"
        )
    if not given:
        return None
    action, values = given[0]
    values = values if isinstance(values, list) else [values]
    person, value = values[0], values[1] if len(values) > 1 else ""
    return Decision(action.replace("_", "-"), person, value, by=default_annotator())


def _output(out: str, sources: list[Path], table: bool = True) -> Path:
    path = check_file_output(out, sources)
    if table:
        file_format(path)  # an unknown suffix is refused before any work
    return path


def listing(registry) -> str:
    """A readable list: statements, articles, the name, the id, the source type and why."""
    lines = [f"{len(registry)} people and organisations, most quoted first"]
    for row in registry.itertuples(index=False):
        span = f", {row.first_date} to {row.last_date}" if row.first_date else ""
        lines.append(
            f"{row.statements:>6}  {row.articles:>4} art.  {_plain(row.person)}  ({row.person_id}; "
            f"{row.source_type}: {_plain(row.source_type_why)}{span})"
        )
    return "\n".join(lines) + "\n"


def _plain(text: object) -> str:
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def run_dossier(args: argparse.Namespace) -> None:
    """Write one person's dossier page into the output folder."""
    check_stdout()
    folder = Path(args.out)
    stance = people_stance(args.dataset)  # the reviewed articles' labels and every collection's
    dossier = build_dossier(args.dataset, args.person, stance=stance)
    target = _output(str(folder / f"{dossier.person_id}.html"), [Path(args.dataset)], table=False)
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, dossier.html)
    size = len(dossier.html.encode("utf-8")) / 1e6
    write_done(
        f"wrote {target} ({dossier.statements} statements of {_plain(dossier.person)}, {size:.1f} MB)\n",
        f"{target} was written",
    )
