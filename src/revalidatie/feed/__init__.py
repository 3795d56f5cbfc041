"""Live subscription feeds: stores of published plans and the web app that serves them.

A store keeps each client's current plan, every published revision and a secret token:
:class:`FeedStore` in a SQLite file (one practice on one machine), :class:`PostgresFeedStore` in a
PostgreSQL database (a practice group), both behind the port :class:`~revalidatie.feed.port.FeedStorePort`
and opened by location with :func:`open_store`. :func:`create_app` serves the stored calendars, handouts
and subscribe pages; :func:`export_static` writes the same files for any web server or CDN. Importing this
package loads no web framework, database driver or calendar library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._postgres import PostgresFeedStore
from .port import FeedReader, FeedStorePort
from .store import DEFAULT_DB, FeedBody, FeedEntry, FeedStore, open_store

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = [
    "DEFAULT_DB",
    "FeedBody",
    "FeedEntry",
    "FeedReader",
    "FeedStore",
    "FeedStorePort",
    "PostgresFeedStore",
    "create_app",
    "export_static",
    "open_store",
]


def create_app(store: FeedStorePort) -> Starlette:
    """The Starlette app that serves ``store``'s live feeds; see :mod:`revalidatie.feed._app`."""
    from ._app import create_app as _create_app

    return _create_app(store)


def export_static(store: FeedStorePort, folder: str | Path) -> tuple[Path, ...]:
    """Write every live feed as static files under ``folder``; see :mod:`revalidatie.feed._static`."""
    from ._static import export_static as _export_static

    return _export_static(store, Path(folder))
