from __future__ import annotations

import subprocess
import sys

import revalidatie as rv


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(rv) if not name.startswith("_") and not isinstance(getattr(rv, name), type(rv))}
    assert list(rv.__all__) == sorted(rv.__all__)
    assert set(rv.__all__) - {"__version__"} == public


def test_import_does_not_load_heavy_libraries() -> None:
    heavy = ("reportlab", "icalendar", "rich", "starlette", "uvicorn")
    code = f"import sys, revalidatie; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
