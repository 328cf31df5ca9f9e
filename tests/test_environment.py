"""environment.yml (conda) and pyproject.toml (pip) name the same packages with the same bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

# conda-forge names that differ from the PyPI name of the same package.
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement.strip())
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, spec = _split(requirement)
        found[CONDA_NAMES.get(name, name)] = spec
    return found


def conda_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    entries = [d for d in environment["dependencies"] if isinstance(d, str)]
    return dict(_split(d) for d in entries if _split(d)[0] not in {"python", "pip"})


def test_same_packages_and_bounds() -> None:
    pip, conda = pip_requirements(), conda_requirements()
    assert sorted(set(pip) ^ set(conda)) == [], "packages listed on one side only"
    differing = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert differing == {}


def test_every_requirement_has_a_major_version_bound() -> None:
    for name, spec in pip_requirements().items():
        assert "<" in spec and ">=" in spec, f"{name} needs a lower and an upper bound: {spec!r}"
    assert pip_requirements()["pandas"] == ">=3,<4"  # its reprs changed between 2 and 3


def test_conda_environment_installs_the_project() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_the_version_opinions_reports_is_the_package_version() -> None:
    import utils

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert utils.__version__ == project["version"]
