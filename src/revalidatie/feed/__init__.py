"""Live subscription feeds: a store of published plans and the web app that serves them.

:class:`FeedStore` keeps each client's current plan, every published revision and a secret token in a
SQLite file; :func:`create_app` serves the stored calendars, handouts and subscribe pages; and
:func:`export_static` writes the same files for any web server or CDN. Importing this package loads no web
framework and no calendar library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .store import DEFAULT_DB, FeedBody, FeedEntry, FeedStore

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["DEFAULT_DB", "FeedBody", "FeedEntry", "FeedStore", "create_app", "export_static"]


def create_app(store: FeedStore) -> Starlette:
    """The Starlette app that serves ``store``'s live feeds; see :mod:`revalidatie.feed._app`."""
    from ._app import create_app as _create_app

    return _create_app(store)


def export_static(store: FeedStore, folder: str | Path) -> tuple[Path, ...]:
    """Write every live feed as static files under ``folder``; see :mod:`revalidatie.feed._static`."""
    from ._static import export_static as _export_static

    return _export_static(store, Path(folder))
