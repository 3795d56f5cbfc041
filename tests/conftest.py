from __future__ import annotations

from pathlib import Path

import pytest

import revalidatie as rv

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def catalog() -> rv.Catalog:
    return rv.load_catalog()


@pytest.fixture
def data_dir() -> Path:
    return DATA
