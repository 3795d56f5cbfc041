"""What each server worker process imports: the app factory and the request limits, from the environment.

``revalidatie serve --workers N`` runs uvicorn's supervisor, which starts N fresh processes that import the
app by name (``revalidatie.feed._workers:app``, a factory) and the HTTP protocol by name
(:class:`WorkerProtocol`). Objects cannot be handed to them, so the parent puts the database's location and
the limits into the environment, which the workers inherit. The same factory serves under any ASGI
process manager: ``uvicorn --factory revalidatie.feed._workers:app`` with ``REVALIDATIE_DB`` set.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, ClassVar

from ._app import _SECURITY, create_app
from ._limits import GuardedProtocol, Headers, Limits
from .store import DEFAULT_DB, is_postgresql, open_store

if TYPE_CHECKING:
    from starlette.applications import Starlette

DB_ENVIRONMENT = "REVALIDATIE_DB"
LIMITS_ENVIRONMENT = "REVALIDATIE_SERVER_LIMITS"


def _limits() -> Limits:
    text = os.environ.get(LIMITS_ENVIRONMENT)
    return Limits(**json.loads(text)) if text else Limits()


class WorkerProtocol(GuardedProtocol):
    """uvicorn's protocol with the limits the parent process chose (the documented defaults without)."""

    limits: ClassVar[Limits] = _limits()
    security_headers: ClassVar[Headers] = tuple(_SECURITY)


def app() -> Starlette:
    """The app of one worker: the store named by ``REVALIDATIE_DB`` (which must exist), served.

    A PostgreSQL store is opened without connecting first: ``revalidatie serve`` checked (and migrated)
    the database before it started the workers, and a worker that the supervisor starts again while the
    database is away must come up and answer 503 until it is back, not fail and take the server down.
    """
    location = os.environ.get(DB_ENVIRONMENT) or DEFAULT_DB
    if is_postgresql(location):
        from ._postgres import PostgresFeedStore

        return create_app(PostgresFeedStore(location, connect=False))
    return create_app(open_store(location, create=False))
