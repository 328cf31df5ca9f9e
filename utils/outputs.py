"""Where outputs may go: every output path is checked before any work starts.

Nothing people made is lost, so an output is refused (one-line :class:`InputError`, exit
code 2 on the command line) when it would land on

* an input of the command, or the sidecar metadata (``<article>.json``) of an input article;
* a curated or annotation file (anything under ``data/curated/`` or ``data/annotations/``), a
  bundled article or its metadata (``data/articles/``), or a gold table (``*.gold.csv``, or
  anything inside a gold or input folder the command reads);
* a folder, a device, a FIFO or a socket (or a symlink to one), or a dangling symlink
  or symlink loop, where a file is written; a path ending in ``/`` names a folder;
* for a dataset (a folder output): a folder this tool did not write (it lacks the mark
  :data:`utils.files.DATASET_MARK`, even if it is full of ``.parquet`` files), a marked
  folder that also holds a person's own files, or a folder the input lies in;
* a place the user cannot write: a read-only or unwritable folder, or a path through a file.

A symlink to a regular file is written through: the file it points to is replaced, the
link stays, and the checks apply to the file it points to.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from utils.articles import ARTICLE_SUFFIXES, data_dir
from utils.errors import InputError
from utils.files import DATASET_MARK, file_kind, foreign_files, is_tool_folder

# Sub-folders of the data folder that hold what people made; no output ever goes there.
PROTECTED = {
    "curated": "a curated table",
    "annotations": "an annotation file",
    "articles": "a bundled article or its metadata",
}
_PROJECT_DATA = Path(__file__).resolve().parents[1] / "data"
_OTHER_PATH = "choose another output path"


def check_file_output(
    target: str | Path, sources: Iterable[Path | str | None] = (), read_folders: Iterable[Path] = ()
) -> Path:
    """Refuse a path for one output file that would land on something people made (see module doc).

    ``sources`` are the files and folders the command reads (files: the file and its
    ``.json`` sidecar are protected; folders: everything inside); ``read_folders`` are
    further folders to keep out of (the gold folder of ``evaluate``). Returns the path
    to write, with a symlink to a file followed.
    """
    if str(target).endswith(("/", os.sep)):
        raise InputError(target, "ends in '/', so it names a folder, but a file is written here", _file_fix())
    real = _resolve(Path(target))
    mode = _mode(real)
    if Path(target).is_symlink() and mode is None:
        raise InputError(target, f"is a symbolic link to {real}, which does not exist", _OTHER_PATH)
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(target, "is a folder, but this command writes one file", _file_fix())
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(target, f"is {file_kind(mode)}, not a regular file", _OTHER_PATH)
    _check_not_input(target, real, sources, read_folders)
    _check_not_protected(target, real)
    if real.name.endswith(".gold.csv"):
        raise InputError(target, "is a gold table (*.gold.csv); outputs never replace one", _OTHER_PATH)
    _check_writable(target, real.parent)
    return real


def check_dataset_output(target: str | Path, sources: Iterable[Path] = ()) -> Path:
    """Refuse a dataset folder path unless it is new, empty, or a dataset this tool wrote (see module doc)."""
    path = Path(target)
    if path.is_symlink():
        raise InputError(
            target, "is a symbolic link; the dataset is written as a real folder", "give a new folder name"
        )
    real = _resolve(path)
    _check_not_protected(target, real)
    for source in sources:
        inside = _resolve(Path(source))
        if real == inside or real in inside.parents:
            raise InputError(
                target, f"holds the input folder {source}; replacing it would delete articles", _new_name()
            )
    mode = _mode(real)
    if mode is not None:
        if not stat.S_ISDIR(mode):
            raise InputError(target, "is a file, not a Parquet dataset folder this tool wrote", _new_name())
        if any(real.iterdir()) and not is_tool_folder(real):
            raise InputError(
                target,
                f"is a folder this tool did not write (it has no {DATASET_MARK}), so it is not replaced",
                "choose a new output name, or remove the folder yourself",
            )
        foreign = foreign_files(real) if any(real.iterdir()) else []
        if foreign:
            raise InputError(
                target,
                f"holds files this tool did not write ({', '.join(foreign[:3])}), so it is not replaced",
                "move them out of the folder, or choose a new output name",
            )
    _check_writable(target, real.parent)
    return real


def _file_fix() -> str:
    return "give a file name, e.g. out/table.csv"


def _new_name() -> str:
    return "choose a new output name"


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 on a symlink loop
        raise InputError(path, "is a symbolic link loop", "remove the link or choose another path") from None


def _mode(path: Path) -> int | None:
    """The file type and permissions of ``path`` (links followed), None when nothing is there."""
    try:
        return path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there (a file on the way is said later)
        return None
    except OSError as exc:
        raise InputError(path, f"cannot be checked ({exc.strerror})", _OTHER_PATH) from None


def _check_not_input(
    target: str | Path, real: Path, sources: Iterable[Path | str | None], folders: Iterable[Path]
) -> None:
    for source in sources:
        if source is None:
            continue
        source = _resolve(Path(source))
        if source.is_dir():
            if source in real.parents:
                raise InputError(target, f"is inside {source}, a folder this command reads", _OTHER_PATH)
            continue
        for guarded, why in _guarded_by(source).items():
            if real == guarded or _same_file(real, guarded):
                raise InputError(target, why, _OTHER_PATH)
    for folder in folders:
        folder = _resolve(Path(folder))
        if folder in real.parents:
            raise InputError(target, f"is inside the gold folder {folder}", "write outputs elsewhere")


def _guarded_by(source: Path) -> dict[Path, str]:
    """The paths one input file keeps outputs off, each with the reason given."""
    guarded = {
        source: "is an input of this command; writing there would overwrite it",
        source.with_suffix(".json"): f"is the metadata file (sidecar) of the input {source.name}",
    }
    if source.name.endswith(".gold.csv"):  # the dev-set layout: <slug>.gold.csv beside <slug>.txt
        slug = source.name.removesuffix(".gold.csv")
        for suffix in (*ARTICLE_SUFFIXES, ".json"):
            guarded[source.with_name(slug + suffix)] = (
                f"is the article (or its sidecar) that the gold table {source.name} scores; "
                "writing there would overwrite it"
            )
    return guarded


def _same_file(a: Path, b: Path) -> bool:
    """True for two names of one file (a hard link); False when either does not exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_not_protected(target: str | Path, real: Path) -> None:
    for root in {_resolve(data_dir()), _PROJECT_DATA}:
        for folder, what in PROTECTED.items():
            if _resolve(root / folder) in real.parents or real == _resolve(root / folder):
                raise InputError(
                    target,
                    f"is in {root / folder}, where every file is {what}; the program never writes there",
                    _OTHER_PATH,
                )


def _check_writable(target: str | Path, folder: Path) -> None:
    """The nearest existing folder on the way to ``folder`` must be a folder we may write in."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(target, f"cannot be created: {existing} is a file, not a folder", _OTHER_PATH)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(
            target,
            f"cannot be written: the folder {existing} is read-only or not writable by you",
            "choose an output folder you can write to",
        )
