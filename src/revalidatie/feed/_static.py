"""Static export: the store's live feeds as plain files, for any web server or CDN.

The files sit at the paths the server uses, so a feed's URL stays the same whether the app or a static
host serves it: ``feeds/{token}.ics``, ``feeds/{token}.pdf`` and ``feeds/{token}/index.html`` (the page).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .._atomic import make_private_folder, write_atomically
from ..errors import ExportError
from ._page import render_page
from ._private import tighten
from .port import FeedStorePort


def _write(path: Path, content: bytes) -> Path:
    # Unchanged files keep their content and modification time (so a sync tool sees only what changed);
    # only a mode that lets others read them is tightened.
    try:
        if path.is_file() and path.read_bytes() == content:
            tighten(path)
            return path
    except OSError:
        pass
    return write_atomically(path, content)


def export_static(store: FeedStorePort, folder: Path) -> tuple[Path, ...]:
    """Write every live feed under ``folder``, and remove the files of revoked feeds.

    Each file is written atomically (a web server reading it sees the old or the new content, never a
    mix), readable by its owner only (0600; folders it creates 0700), as the files hold health data.
    Files that do not belong to a feed of this store are never touched.

    Returns:
        The files of the live feeds, in token order.

    Raises:
        ExportError: A file cannot be written or removed.

    """
    feeds = folder / "feeds"
    try:
        make_private_folder(feeds)
    except OSError as exc:
        raise ExportError(str(feeds), f"cannot create the folder ({exc.strerror or exc})") from None
    written: list[Path] = []
    for entry in sorted(store.entries(include_revoked=True), key=lambda e: e.token):
        ics, pdf = feeds / f"{entry.token}.ics", feeds / f"{entry.token}.pdf"
        page_folder = feeds / entry.token
        if entry.revoked:
            try:
                ics.unlink(missing_ok=True)
                pdf.unlink(missing_ok=True)
                if page_folder.is_dir():
                    shutil.rmtree(page_folder)
            except OSError as exc:
                raise ExportError(str(page_folder), f"cannot remove a revoked feed ({exc.strerror or exc})") from None
            continue
        calendar = store.body(entry.token, "ics")
        handout = store.body(entry.token, "pdf")
        if calendar is None:  # revoked between the listing and now
            continue
        written.append(_write(ics, calendar.content))
        if handout is not None:
            written.append(_write(pdf, handout.content))
        written.append(_write(page_folder / "index.html", render_page(entry, has_pdf=handout is not None)))
    return tuple(written)
