"""pyproject.toml, constraints.txt and the licence agree; the web server and PostgreSQL stay optional."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def requirements() -> list[Requirement]:
    """Every requirement pyproject.toml names (the package's and every extra's), without the self-references."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return [r for r in map(Requirement, texts) if canonicalize_name(r.name) != "revalidatie"]


def pins() -> dict[str, Version]:
    found: dict[str, Version] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        name, separator, version = text.partition("==")
        assert separator, f"constraints.txt: {line!r} is not an exact pin (name==version)"
        key = canonicalize_name(name)
        assert key not in found, f"constraints.txt pins {name} twice"
        found[key] = Version(version)
    return found


def test_constraints_pin_every_dependency_within_its_range() -> None:
    pinned = pins()
    for requirement in requirements():
        key = canonicalize_name(requirement.name)
        assert key in pinned, f"{requirement.name} is in pyproject.toml but not pinned in constraints.txt"
        assert requirement.specifier.contains(pinned[key], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pinned[key]}, outside pyproject.toml's {requirement}"
        )


def test_installed_dependencies_are_the_pinned_versions() -> None:
    # `make` installs with -c constraints.txt; a package upgraded by hand without updating the file shows here.
    pinned = pins()
    for requirement in requirements():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = Version(metadata.version(requirement.name))
        except metadata.PackageNotFoundError:
            continue  # an extra this environment does not have (docs)
        assert installed == pinned[canonicalize_name(requirement.name)], requirement.name


def test_web_server_and_database_driver_are_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    extras = project["optional-dependencies"]
    server = {canonicalize_name(Requirement(r).name) for r in extras["server"]}
    postgres = {canonicalize_name(Requirement(r).name) for r in extras["postgres"]}
    assert {"starlette", "uvicorn"} <= server
    assert {"psycopg", "psycopg-pool"} <= postgres
    assert not core & (server | postgres)
    assert project["license"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


BLOCKED_SERVE = """
import sys
for name in ("starlette", "uvicorn"):
    sys.modules[name] = None  # what an install without the [server] extra looks like to `import`
from revalidatie.cli import main
sys.exit(main(["serve", "--db", sys.argv[1]]))
"""


def test_serve_without_the_server_extra_says_what_to_install(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_SERVE, str(tmp_path / "feeds.sqlite")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "pip install 'revalidatie[server]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "feeds.sqlite").exists()


BLOCKED_POSTGRES = """
import sys
sys.modules["psycopg"] = None
sys.modules["psycopg_pool"] = None
from revalidatie.cli import main
sys.exit(main(["feed", "list", "--db", "postgresql://physio:s3cret@db.example.nl/feeds"]))
"""


def test_postgresql_without_the_postgres_extra_says_what_to_install() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_POSTGRES], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert "pip install 'revalidatie[postgres]'" in result.stderr
    assert "s3cret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_sqlite_store_loads_neither_the_web_server_nor_the_database_driver(tmp_path: Path) -> None:
    code = (
        "import sys, revalidatie as rv; rv.open_store(sys.argv[1]).close(); "
        "print(sorted(m for m in ('starlette', 'uvicorn', 'psycopg', 'psycopg_pool') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "feeds.sqlite")], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
