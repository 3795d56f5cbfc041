"""The wheel: build it, install it in a clean venv without extras, and use it from there.

The catalog and the licence ship inside; the web server and the PostgreSQL driver do not come along.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_the_catalog(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(dist.glob("revalidatie-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        licence = next(name for name in names if name.endswith(".dist-info/licenses/LICENSE"))
        assert archive.read(licence) == (ROOT / "LICENSE").read_bytes()
        wheel_metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        # The schema migrations are package data: without them no store could open.
        assert any(name.endswith("feed/migrations/sqlite/0001_feeds_and_revisions.sql") for name in names)
        assert any(name.endswith("feed/migrations/postgresql/0001_feeds_and_revisions.sql") for name in names)
    assert "License-Expression: MIT" in wheel_metadata or "License: MIT" in wheel_metadata
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    code = (
        "import revalidatie as rv, revalidatie.catalog as c; cat = rv.load_catalog(); "
        "import revalidatie.export.pdf._styles as st; "
        "print(len(cat.exercises), len(cat.protocols), c.bundled_catalog_dir().name, "
        "sorted(p.name for p in st.FONT_DIR.iterdir() if p.suffix in ('.ttf', '.txt')))"
    )
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    exercises, protocols, folder, fonts = out.split(maxsplit=3)
    # The handout's font and its licence ship inside the package.
    assert "DejaVuSans.ttf" in fonts
    assert "DejaVuSans-Bold.ttf" in fonts
    assert "LICENSE-DejaVu.txt" in fonts
    assert int(exercises) >= 40
    assert int(protocols) >= 5
    assert folder == "bundled"
    listing = subprocess.run(
        [str(env_dir / "bin" / "revalidatie"), "catalog", "list", "--lang", "en"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    ).stdout
    assert "bridge-double-leg" in listing
    assert "exercises" in listing
    profile = ROOT / "examples" / "profiles" / "itbs.toml"
    subprocess.run(
        [str(env_dir / "bin" / "revalidatie"), "plan", str(profile), "--out", str(tmp_path / "out")],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert next((tmp_path / "out").glob("*.pdf")).read_bytes().startswith(b"%PDF-")

    # Installed without extras: no web server, no database driver, and `serve` says which extra to add.
    present = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util as u; print([m for m in ('starlette', 'uvicorn', 'psycopg') if u.find_spec(m)])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert present == "[]"
    serve = subprocess.run(
        [str(env_dir / "bin" / "revalidatie"), "serve", "--db", str(tmp_path / "feeds.sqlite")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert serve.returncode == 1
    assert "pip install 'revalidatie[server]'" in serve.stderr
