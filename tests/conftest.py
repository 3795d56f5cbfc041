from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import revalidatie as rv
from tests.postgres_cluster import Cluster, postgres_bin

DATA = Path(__file__).parent / "data"

# A message id no catalog has is an error in the tests (the library prints the id instead, never fails a render).
os.environ.setdefault("REVALIDATIE_STRICT_TEXTS", "1")
# The interface language comes from the environment: the tests speak English unless one asks for Dutch.
os.environ["REVALIDATIE_LANG"] = "en"


@pytest.fixture(scope="session")
def catalog() -> rv.Catalog:
    return rv.load_catalog()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def profiles_dir(data_dir: Path) -> Path:
    return data_dir / "profiles"


@pytest.fixture
def full_data(profiles_dir: Path) -> dict[str, Any]:
    """The complete valid profile as plain data, to change one thing at a time."""
    with (profiles_dir / "full.toml").open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server for the whole run (tests/postgres_cluster.py).

    Without PostgreSQL on the machine the tests that need it are skipped, except in CI (CI=true), where
    .ci/run installs it: there a missing server fails them, so the PostgreSQL store is never left untested.
    """
    bin_dir = postgres_bin()
    if bin_dir is None or importlib.util.find_spec("psycopg") is None:
        missing = "PostgreSQL's programs (initdb, pg_ctl)" if bin_dir is None else "psycopg (the [postgres] extra)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} not installed; .ci/run installs them")
        pytest.skip(f"{missing} not installed (apt-get install postgresql; pip install -e '.[dev]')")
    cluster = Cluster(bin_dir)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return postgres_cluster.create_database()
