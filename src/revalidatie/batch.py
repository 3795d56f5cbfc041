"""Caseload batches: plan and export every client in a folder, in parallel, redoing only what changed.

The parent process reads the profiles, works out each client's file names (refusing two clients with the same
name), and skips clients whose outputs are up to date according to a manifest in the output folder. The
rest go to an executor (any :class:`concurrent.futures.Executor`; by default they run one after another in
this process), where each client is planned and exported and its files written atomically. A client whose
profile is broken, or whose screening requires a referral, gets a result saying so; the others carry on.

A worker may run on another machine or from another install: a job names no catalog folder of the caller's.
It carries the content of the practice's catalog files, the caller's library version and a digest of the
whole catalog; the worker plans with its own bundled catalog plus that content, and refuses the job when its
version or its bundled catalog differs from the caller's.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._atomic import write_all_atomically, write_atomically
from ._naming import client_stem
from ._version import __version__
from .errors import (
    CatalogError,
    ExportError,
    Finding,
    InputError,
    Problem,
    ReferralRequired,
    RevalidatieError,
    error_message,
)
from .export._ical import DEFAULT_ALARM_MINUTES, MAX_ALARM_MINUTES
from .model.common import LANGUAGES
from .publish import FORMATS, output_paths, render_outputs

if TYPE_CHECKING:
    from .catalog import Catalog, FolderContent
    from .model.profile import ClientProfile

MANIFEST = ".revalidatie-batch.json"
_MANIFEST_FORMAT = "revalidatie-batch"
_MANIFEST_VERSION = 1


class BatchStatus(StrEnum):
    """How a client in a batch ended."""

    OK = "ok"
    """Planned and exported."""
    REFERRAL = "referral"
    """Screening found red flags: no programme; the findings say what to do."""
    ERROR = "error"
    """The profile could not be read or planned, or a file could not be written."""


@attrs.frozen
class BatchResult:
    """The outcome for one client of :func:`render_batch`.

    Attributes:
        source: The profile file, or ``<profile N>`` for a profile given as a Python object (N counts from 1).
        status: Planned, referral or error.
        client: The client's name, or ``None`` when the profile could not be read.
        stem: The name of the client's output files without suffix, or ``None`` when the profile could not
            be read.
        files: The files written (or kept, see ``reused``), in the order pdf, ics, json; empty unless ``OK``.
        findings: What screening found, for a ``REFERRAL``.
        problems: What is wrong, for an ``ERROR``: file, field, value and how to fix it.
        reused: Whether the outcome was taken from the previous run because nothing it depends on changed.

    """

    source: str
    status: BatchStatus
    client: str | None = None
    stem: str | None = None
    files: tuple[Path, ...] = ()
    findings: tuple[Finding, ...] = ()
    problems: tuple[Problem, ...] = ()
    reused: bool = False


@attrs.frozen
class _Job:
    """What a worker needs to plan and export one client; small and picklable for a process pool.

    Attributes:
        catalog_layers: The catalog's folders in order: the content of a practice's folder, or ``None`` for
            the bundled catalog, which the worker takes from its own install.
        catalog_digest: :func:`catalog_fingerprint` of the caller's folders, which the worker's catalog must
            match.

    """

    source: str
    profile: ClientProfile
    stem: str
    fingerprint: str
    out_dir: Path
    formats: tuple[str, ...]
    language: str | None
    catalog_layers: tuple[FolderContent | None, ...]
    catalog_digest: str
    all_day: bool = False
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES


def render_batch(
    profiles: Iterable[str | Path | ClientProfile],
    out_dir: str | Path,
    *,
    catalog: Catalog | None = None,
    language: str | None = None,
    executor: Executor | None = None,
    formats: Sequence[str] = FORMATS,
    all_day: bool = False,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    force: bool = False,
    on_result: Callable[[BatchResult], None] | None = None,
) -> tuple[BatchResult, ...]:
    """Plan and export a caseload: per client the handout, calendar, plan and physio's summary in ``out_dir``.

    The files are ``NAME.pdf``, ``NAME.ics``, ``NAME.json``, ``NAME.summary.pdf`` and ``NAME.summary.md``.

    Each file is written atomically. A manifest (``.revalidatie-batch.json`` in ``out_dir``) remembers what
    each client's outputs were made from; on the next run a client is redone only when its profile, the
    catalog (bundled and the practice's own files), the language, the formats or the library version changed,
    or one of its files is missing. Referrals are remembered too; errors are always retried.

    Two profiles whose clients get the same file name (the same name, in plain letters) would overwrite each
    other's handouts: both get an ``ERROR`` naming the other file, and neither is written.

    Args:
        profiles: Profile files (``.toml``, ``.json``) or :class:`ClientProfile` objects, in any mix.
        out_dir: The folder to write to; created when missing.
        catalog: The catalog to plan with (default: the bundled one); it must come from :func:`load_catalog`.
            Its practice folder is read once here and its content sent with each job, so a worker elsewhere
            needs no access to it; a worker takes the bundled catalog from its own install.
        language: ``"nl"``, ``"en"``, ``"tr"`` or ``"pl"`` for every client (default: each profile's language).
        executor: Where to run the clients, e.g. a ``ProcessPoolExecutor`` or Dask's
            ``distributed.Client().get_executor()``; by default one after another in this process.
        formats: Which of ``"pdf"``, ``"ics"``, ``"json"``, ``"summary.pdf"``, ``"summary.md"`` to write (all by
            default).
        all_day: Calendar sessions as all-day events (see :func:`render_ics`).
        alarm_minutes: A calendar reminder this many minutes before each session (see :func:`render_ics`).
        force: Redo every client, ignoring the manifest.
        on_result: Called in this process with each client's result as soon as it is known (for progress).

    Returns:
        One result per profile, in the order given.

    Raises:
        ValueError: ``language``, ``formats`` or ``alarm_minutes`` is not one this library knows.
        CatalogError: One of the catalog's folders is gone, or a file in it cannot be read.
        ExportError: ``out_dir`` cannot be created, or the manifest cannot be written.

    """
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    if alarm_minutes is not None and not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
        raise ValueError(f"alarm_minutes must be from 0 to {MAX_ALARM_MINUTES} (a week), not {alarm_minutes!r}")
    if isinstance(formats, str):
        formats = (formats,)
    chosen = tuple(fmt for fmt in FORMATS if fmt in formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not chosen:
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}, not {', '.join(unknown) or 'none'}")
    out = Path(out_dir)
    from .catalog import bundled_catalog_dir, load_catalog, read_folder

    if catalog is None:
        catalog = load_catalog()
    contents = tuple(read_folder(folder) for folder in catalog.folders)
    digest = _digest(contents)
    bundled = bundled_catalog_dir().resolve()
    layers = tuple(
        None if folder.resolve() == bundled else content
        for folder, content in zip(catalog.folders, contents, strict=True)
    )
    # Worker processes forked from here find the catalog already loaded; others load it once each.
    _CATALOGS.clear()
    _CATALOGS[digest] = catalog
    settings = {
        "library": __version__,
        "catalog": digest,
        "language": language,
        "formats": list(chosen),
        "all_day": all_day,
        "alarm_minutes": alarm_minutes,
    }
    previous = {} if force else _read_manifest(out)
    results: dict[int, BatchResult] = {}
    fingerprints: dict[int, str] = {}
    jobs: dict[int, _Job] = {}

    def settle(index: int, result: BatchResult) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    # Read every profile first: the file names of all clients must be known before any file is written.
    loaded: list[tuple[str, ClientProfile, str, bytes] | BatchResult] = [
        _load(item, number) for number, item in enumerate(profiles, start=1)
    ]
    by_stem: dict[str, list[int]] = {}
    for index, entry in enumerate(loaded):
        if not isinstance(entry, BatchResult):
            by_stem.setdefault(entry[2], []).append(index)
    for index, entry in enumerate(loaded):
        if isinstance(entry, BatchResult):
            settle(index, entry)
            continue
        source, profile, stem, content = entry
        clash = [loaded[other] for other in by_stem[stem] if other != index]
        if clash:
            others = ", ".join(str(other[0]) for other in clash if not isinstance(other, BatchResult))
            message = error_message("error.batch-same-file-name", stem=repr(stem), others=others)
            settle(
                index,
                BatchResult(
                    source,
                    BatchStatus.ERROR,
                    profile.name,
                    stem,
                    problems=(Problem(source, "name", message, repr(profile.name)),),
                ),
            )
            continue
        fingerprint = _fingerprint(settings, content)
        fingerprints[index] = fingerprint
        earlier = _reusable(previous.get(stem), fingerprint, source, out)
        if earlier is not None:
            settle(index, earlier)
            continue
        jobs[index] = _Job(
            source, profile, stem, fingerprint, out, chosen, language, layers, digest, all_day, alarm_minutes
        )

    try:
        if executor is None:
            for index, job in jobs.items():
                settle(index, _run(job, catalog))
        else:
            # The version travels apart from the pickled job, so a worker of another version can refuse the job
            # before it unpickles classes that may differ between versions.
            futures: dict[Future[BatchResult | str], int] = {
                executor.submit(_run_job, __version__, pickle.dumps(job)): index for index, job in jobs.items()
            }
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                index = futures[future]
                settle(index, _outcome(future, jobs[index]))
    finally:
        # Written even when interrupted, so the clients that finished are not redone next time.
        done = {index: result for index, result in results.items() if index in fingerprints}
        _write_manifest(out, previous, done, fingerprints)
    return tuple(results[index] for index in range(len(loaded)))


def catalog_fingerprint(folders: Iterable[Path]) -> str:
    """A digest of every catalog file's name and content, in the order the folders are read.

    Raises:
        CatalogError: A folder is missing or is not a folder, or a file in it cannot be read.

    """
    from .catalog import read_folder

    return _digest([read_folder(folder) for folder in folders])


def _digest(contents: Iterable[FolderContent]) -> str:
    digest = hashlib.sha256()
    for number, content in enumerate(contents):
        for relative, raw in content.files:
            digest.update(f"{number}\x00{relative}\x00".encode())
            digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _run_job(library: str, payload: bytes) -> BatchResult | str:
    """Plan and export one client in a worker, with the catalog loaded once per worker and catalog version.

    This is what an executor runs, on any machine: ``library`` is the caller's version and ``payload`` the
    pickled job. Returns the client's result, or a plain string saying why this worker refuses the job (a
    string crosses between library versions where a result might not).
    """
    if library != __version__:
        return error_message("error.batch-worker-version", worker=__version__, library=library)
    # Pickled by the caller of render_batch, trusted as the executor trusts the call it carries.
    job: _Job = pickle.loads(payload)
    try:
        catalog = _catalog_for(job.catalog_layers, job.catalog_digest)
    except CatalogError as error:
        return BatchResult(job.source, BatchStatus.ERROR, job.profile.name, job.stem, problems=error.problems)
    if catalog is None:
        return error_message("error.batch-worker-catalog", version=__version__)
    return _run(job, catalog)


# Keyed by the digest of the catalog files' content: a worker that outlives one batch (a pool reused by the
# caller) reloads the catalog when a file changed instead of planning with the old one.
_CATALOGS: dict[str, Catalog] = {}


def _catalog_for(layers: tuple[FolderContent | None, ...], digest: str) -> Catalog | None:
    """The catalog of a job: this install's bundled catalog where the layer is ``None``, the content elsewhere.

    ``None`` when this install's bundled catalog is not the caller's (the digest differs).
    """
    catalog = _CATALOGS.get(digest)
    if catalog is not None:
        return catalog
    from .catalog import bundled_catalog_dir, load_catalog_folders, read_folder

    bundled = read_folder(bundled_catalog_dir()) if None in layers else None
    contents = [bundled if layer is None else layer for layer in layers]
    if _digest(content for content in contents if content is not None) != digest:
        return None
    _CATALOGS.clear()
    catalog = _CATALOGS[digest] = load_catalog_folders(content for content in contents if content is not None)
    return catalog


def _run(job: _Job, catalog: Catalog) -> BatchResult:
    from .planning.engine import plan_programme

    name = job.profile.name
    try:
        plan = plan_programme(job.profile, catalog, source=job.source)
        language = job.language or plan.profile.language.value
        # Every file rendered first, then written as one set: all of a client's files change, or none.
        outputs = render_outputs(
            plan, formats=job.formats, language=language, all_day=job.all_day, alarm_minutes=job.alarm_minutes
        )
        written = write_all_atomically(output_paths(outputs, job.out_dir, job.stem))
    except ReferralRequired as referral:
        return BatchResult(job.source, BatchStatus.REFERRAL, name, job.stem, findings=referral.findings)
    except InputError as error:
        return BatchResult(job.source, BatchStatus.ERROR, name, job.stem, problems=error.problems)
    except ExportError as error:
        return BatchResult(
            job.source, BatchStatus.ERROR, name, job.stem, problems=(Problem(error.path, "", error.reason),)
        )
    except RevalidatieError as error:
        return BatchResult(
            job.source, BatchStatus.ERROR, name, job.stem, problems=(Problem(job.source, "", str(error)),)
        )
    return BatchResult(job.source, BatchStatus.OK, name, job.stem, files=tuple(written))


def _outcome(future: Future[BatchResult | str], job: _Job) -> BatchResult:
    try:
        outcome = future.result()
        if isinstance(outcome, str):  # the worker refused the job
            return BatchResult(
                job.source, BatchStatus.ERROR, job.profile.name, job.stem, problems=(Problem(job.source, "", outcome),)
            )
        return outcome
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        problem = Problem(job.source, "", error_message("error.batch-not-processed", reason=reason))
        return BatchResult(job.source, BatchStatus.ERROR, job.profile.name, job.stem, problems=(problem,))


def _load(item: str | Path | ClientProfile, number: int) -> tuple[str, ClientProfile, str, bytes] | BatchResult:
    from .loading import load_profile

    if isinstance(item, str | Path):
        source = str(item)
        try:
            profile = load_profile(item)
            content = Path(item).read_bytes()
        except InputError as error:
            return BatchResult(source, BatchStatus.ERROR, problems=error.problems)
        except OSError as exc:
            message = error_message("error.file-unreadable", reason=str(exc))
            return BatchResult(source, BatchStatus.ERROR, problems=(Problem(source, "", message),))
    else:
        source = f"<profile {number}>"
        profile = item
        content = item.model_dump_json().encode("utf-8")
    return source, profile, client_stem(profile), content


def _fingerprint(settings: Mapping[str, object], content: bytes) -> str:
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    digest.update(content)
    return digest.hexdigest()


def _reusable(entry: Any, fingerprint: str, source: str, out: Path) -> BatchResult | None:
    if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
        return None
    try:
        status = BatchStatus(entry["status"])
        stem = str(entry["stem"])
        files = tuple(out / str(name) for name in entry["files"])
        findings = tuple(Finding(**finding) for finding in entry["findings"])
        client = str(entry["client"])
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry is simply redone
    if not all(path.is_file() for path in files):
        return None
    return BatchResult(source, status, client, stem, files=files, findings=findings, reused=True)


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return {}  # no manifest (first run) or a damaged one: everything is redone
    if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT or data.get("version") != _MANIFEST_VERSION:
        return {}
    clients = data.get("clients")
    return clients if isinstance(clients, dict) else {}


def _write_manifest(
    out: Path, previous: Mapping[str, Any], done: Mapping[int, BatchResult], fingerprints: Mapping[int, str]
) -> None:
    clients = dict(previous)
    for index, result in done.items():
        if result.stem is None:
            continue
        if result.status is BatchStatus.ERROR:
            clients.pop(result.stem, None)  # never reuse an error: the next run tries again
            continue
        clients[result.stem] = {
            "client": result.client,
            "fingerprint": fingerprints[index],
            "files": [path.name for path in result.files],
            "findings": [attrs.asdict(finding) for finding in result.findings],
            "source": result.source,
            "status": result.status.value,
            "stem": result.stem,
        }
    if not clients and not (out / MANIFEST).exists():
        return
    data = {"format": _MANIFEST_FORMAT, "version": _MANIFEST_VERSION, "clients": dict(sorted(clients.items()))}
    write_atomically(out / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
