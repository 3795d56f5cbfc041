from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import revalidatie as rv

HEAVY = ("babel", "cattrs", "icalendar", "psycopg", "reportlab", "rich", "starlette", "uvicorn")


def test_all_is_sorted_and_complete() -> None:
    # dir() rather than vars(): public names are imported on first use, so vars() holds only those used so far.
    public = {name for name in dir(rv) if not name.startswith("_") and not isinstance(getattr(rv, name), type(rv))}
    assert list(rv.__all__) == sorted(rv.__all__)
    assert set(rv.__all__) - {"__version__"} == public


def test_every_public_name_resolves_to_its_module() -> None:
    for name in rv.__all__:
        value = getattr(rv, name)
        if name != "__version__":
            assert getattr(value, "__module__", "").startswith("revalidatie."), name


def test_lazy_table_matches_the_type_checking_imports() -> None:
    # The imports under `if TYPE_CHECKING:` are what mypy and IDEs see; `_LAZY` is what runs. They must agree.
    tree = ast.parse(Path(rv.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "typing.TYPE_CHECKING"
    )
    seen = {
        alias.name: "." * node.level + (node.module or "")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == rv._LAZY
    assert set(rv._LAZY) == set(rv.__all__) - {"__version__"}


def test_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(rv, "plan_programmes")


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from revalidatie import *", namespace)
    assert set(rv.__all__) <= set(namespace)


def test_import_does_not_load_heavy_libraries() -> None:
    code = f"import sys, revalidatie; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_import_defers_the_model_and_its_validation_library() -> None:
    # Not timed (timings belong in benchmarks/): checks that the cost which made import slow is not paid up front.
    code = "import sys, revalidatie; print(sorted(m for m in ('pydantic', 'attrs', 'zoneinfo') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_help_does_not_load_the_library() -> None:
    code = (
        "import sys; from revalidatie.cli import main; code = main(['--help']);"
        f" print(code, sorted(m for m in {(*HEAVY, 'pydantic')!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage:" in result.stdout
    assert result.stderr.strip() == "0 []"
