from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

import revalidatie as rv

DATA = Path(__file__).parent / "data"

# A message id no catalog has is an error in the tests (the library prints the id instead, never fails a render).
os.environ.setdefault("REVALIDATIE_STRICT_TEXTS", "1")


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
