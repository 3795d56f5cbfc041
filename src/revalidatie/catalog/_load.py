"""Find, parse and validate catalog folders, and merge a practice's own files over the bundled ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import attrs
from pydantic import BaseModel

from .._documents import parse_document, read_document, unreadable, validate
from ..errors import CatalogError, Problem, error_message, show_value
from ..i18n import N_
from ..model.common import Localized, LocalizedList
from ..model.exercise import Category, Condition, Exercise, RedFlag
from ..model.protocol import Include, Phase, Protocol

# Table name in a catalog file -> model. Protocol files live under a `protocols/` folder, one per file.
_ENTRY_KINDS: dict[str, type[BaseModel]] = {"exercise": Exercise, "condition": Condition, "red_flag": RedFlag}
_PROTOCOL_FOLDER = "protocols"


def bundled_catalog_dir() -> Path:
    """Return the folder of the catalog that ships with the package."""
    installed = Path(__file__).with_name("bundled")
    if installed.is_dir():
        return installed
    # In a source checkout (editable install) the catalog sits at the top of the repository.
    return Path(__file__).resolve().parents[3] / "catalog"


@attrs.frozen(eq=False)  # one catalog is one catalog: the planner caches by identity
class Catalog:
    """Validated exercises, conditions, red flags and protocols, with every cross-reference resolved.

    Attributes:
        exercises: Exercises by id.
        conditions: Conditions by id.
        red_flags: Red flags by id, in catalog order.
        protocols: Protocols by id, as written (see :meth:`phases` for includes resolved).
        folders: The folders read, bundled first.
        warnings: Things worth fixing that do not stop the catalog from working, such as a practice's own
            exercise without a figure.

    """

    exercises: Mapping[str, Exercise]
    conditions: Mapping[str, Condition]
    red_flags: Mapping[str, RedFlag]
    protocols: Mapping[str, Protocol]
    folders: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()

    def find_condition(self, id_or_alias: str) -> Condition | None:
        """Return the condition with this id or alias, or ``None``."""
        found = self.conditions.get(id_or_alias)
        if found is not None:
            return found
        return next((c for c in self.conditions.values() if id_or_alias in c.aliases), None)

    def phases(self, protocol_id: str) -> tuple[Phase, ...]:
        """Return the phases of a protocol with every included protocol's phases put in place."""
        return tuple(_expand(self.protocols, protocol_id, ()))

    def untranslated(self, language: str) -> tuple[str, ...]:
        """Every text a client reads that has no translation into ``language`` and so is shown in English.

        Each is named ``<kind> <id>: <field path>``, e.g. ``exercise side-plank: cues``. Texts only the physio
        reads (contraindication reasons, red-flag suspicions, protocol summaries) are not counted. A practice
        adding a language for its own exercises writes ``tr = "..."`` (or ``pl``, ``ar``) beside ``nl`` and
        ``en`` in each of them; this lists what is still missing.
        """
        found: list[str] = []
        for kind, entries in (
            ("exercise", self.exercises),
            ("condition", self.conditions),
            ("red flag", self.red_flags),
            ("protocol", self.protocols),
        ):
            for entry_id, entry in entries.items():
                found += (f"{kind} {entry_id}: {path}" for path in _untranslated(entry, language, ""))
        return tuple(found)


_PHYSIO_ONLY = frozenset({"reason", "suspicion", "summary"})


def _untranslated(value: object, language: str, path: str) -> Iterator[str]:
    if isinstance(value, Localized | LocalizedList):
        if not value.has(language):
            yield path
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in _PHYSIO_ONLY:
                yield from _untranslated(getattr(value, name), language, f"{path}.{name}" if path else name)
    elif isinstance(value, tuple | list):
        for number, item in enumerate(value):
            yield from _untranslated(item, language, f"{path}[{number}]")


def load_catalog(extra_dir: str | Path | None = None) -> Catalog:
    """Load the bundled catalog, with a practice's own folder merged over it.

    Files in ``extra_dir`` add exercises, conditions, red flags and protocols; an entry with the id of a
    bundled one replaces it. Everything is validated, and every link (ladders, contraindications,
    protocol references) must resolve.

    Args:
        extra_dir: A folder with the practice's own catalog files, laid out like the bundled one.

    Raises:
        CatalogError: Listing every problem with its file, field, value and what is expected; a folder that
            is missing or is not a folder is one.

    """
    folders = [bundled_catalog_dir()]
    if extra_dir is not None:
        folders.append(Path(extra_dir))
    return load_catalog_folders(folders)


@attrs.frozen
class FolderContent:
    """A catalog folder's files as bytes, to load the folder where it cannot be read (a batch worker).

    Attributes:
        folder: The folder as it was named where it was read; the file names in messages start with it.
        files: Each catalog file's path inside the folder (``/``-separated) and its bytes, in reading order.

    """

    folder: str
    files: tuple[tuple[str, bytes], ...]


def read_folder(folder: str | Path) -> FolderContent:
    """Read every catalog file of a folder into memory, in the order :func:`load_catalog_folders` reads them.

    Raises:
        CatalogError: The folder is missing or is not a folder, or one of its files cannot be read.

    """
    path = Path(folder)
    problem = _folder_problem(path)
    if problem is not None:
        raise CatalogError([problem])
    files = []
    for file in _catalog_files(path):
        if not file.is_file():  # a pipe or a device would block or never end
            raise CatalogError([Problem(str(file), "", error_message("error.catalog-not-a-plain-file"))])
        try:
            files.append((file.relative_to(path).as_posix(), file.read_bytes()))
        except OSError as exc:
            raise CatalogError([Problem(str(file), "", unreadable(exc))]) from None
    return FolderContent(str(path), tuple(files))


def load_catalog_folders(folders: Iterable[Path | FolderContent]) -> Catalog:
    """Load catalog folders in order, later ones overriding earlier ones by id; see :func:`load_catalog`.

    A folder is read from disk, or from the content :func:`read_folder` took of it elsewhere; messages name
    the files as they were named where they were read.

    Raises:
        CatalogError: Listing every problem; a folder that is missing or is not a folder is one.

    """
    layers = tuple(folders)
    merged: dict[str, dict[str, tuple[BaseModel, str]]] = {kind: {} for kind in (*_ENTRY_KINDS, "protocol")}
    problems: list[Problem] = []
    bundled = bundled_catalog_dir().resolve()
    bundled_sources: set[str] = set()
    for folder in layers:
        if isinstance(folder, Path):
            problem = _folder_problem(folder)
            if problem is not None:
                problems.append(problem)
                continue
        layer: dict[str, dict[str, tuple[BaseModel, str]]] = {kind: {} for kind in merged}
        for source, relative, read in _layer_documents(folder):
            if isinstance(folder, Path) and Path(source).resolve().is_relative_to(bundled):
                bundled_sources.add(source)
            try:
                for kind, entry, field in _read_entries(read, source, relative):
                    entry_id = str(getattr(entry, "id"))  # noqa: B009 - every catalog model has an id
                    if entry_id in layer[kind]:
                        first = layer[kind][entry_id][1]
                        message = error_message(_ID_USED[kind], file=first)
                        problems.append(Problem(source, field, message))
                    layer[kind][entry_id] = (entry, source)
            except CatalogError as exc:
                problems.extend(exc.problems)
        for kind, entries in layer.items():
            merged[kind].update(entries)
    if problems:
        raise CatalogError(problems)
    catalog = Catalog(
        exercises=_freeze(merged["exercise"]),
        conditions=_freeze(merged["condition"]),
        red_flags=_freeze(merged["red_flag"]),
        protocols=_freeze(merged["protocol"]),
        folders=tuple(folder if isinstance(folder, Path) else Path(folder.folder) for folder in layers),
    )
    origins = {
        (kind, entry_id): source for kind, entries in merged.items() for entry_id, (_, source) in entries.items()
    }
    problems = list(_link_problems(catalog, origins))
    missing_figures = list(_missing_figures(catalog, origins))
    problems.extend(p for p in missing_figures if p.source in bundled_sources)
    if problems:
        raise CatalogError(problems)
    warnings = tuple(p for p in missing_figures if p.source not in bundled_sources)
    return attrs.evolve(catalog, warnings=warnings)


_ID_USED = {
    "exercise": N_("error.catalog-id-used-exercise"),
    "condition": N_("error.catalog-id-used-condition"),
    "red_flag": N_("error.catalog-id-used-red-flag"),
    "protocol": N_("error.catalog-id-used-protocol"),
}
_UNKNOWN = {
    "exercise": N_("error.catalog-unknown-exercise"),
    "condition": N_("error.catalog-unknown-condition"),
    "protocol": N_("error.catalog-unknown-protocol"),
}


def _folder_problem(folder: Path) -> Problem | None:
    # Checked before reading: a folder that is not there would otherwise read as a catalog with no files.
    if folder.is_dir():
        return None
    what = "error.catalog-folder-is-file" if folder.exists() else "error.catalog-folder-missing"
    return Problem(str(folder), "", error_message(what))


def _catalog_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.toml"))


def _layer_documents(folder: Path | FolderContent) -> Iterator[tuple[str, PurePosixPath, Callable[[], dict[str, Any]]]]:
    """Each catalog file of a layer: its name for messages, its path inside the folder, and how to read it."""
    if isinstance(folder, Path):
        for path in _catalog_files(folder):
            yield str(path), PurePosixPath(path.relative_to(folder).as_posix()), _file_reader(path)
        return
    for relative, raw in folder.files:
        source = str(Path(folder.folder, relative))
        yield source, PurePosixPath(relative), _content_reader(raw, source)


def _file_reader(path: Path) -> Callable[[], dict[str, Any]]:
    return lambda: read_document(path, CatalogError)


def _content_reader(raw: bytes, source: str) -> Callable[[], dict[str, Any]]:
    def read() -> dict[str, Any]:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = error_message("error.file-not-utf8", offset=exc.start)
            raise CatalogError([Problem(source, "", message)]) from None
        return parse_document(text, "toml", source, CatalogError)

    return read


def _missing_figures(catalog: Catalog, origins: Mapping[tuple[str, str], str]) -> Iterator[Problem]:
    # Bundled exercises must be drawable; a practice's own exercise still works without a picture.
    for ex in catalog.exercises.values():
        if ex.figure is None:
            yield Problem(
                origins[("exercise", ex.id)],
                f"exercise[{ex.id}].figure",
                error_message("error.catalog-no-figure"),
            )


def _freeze(entries: dict[str, tuple[BaseModel, str]]) -> Mapping[str, Any]:
    return MappingProxyType({entry_id: entry for entry_id, (entry, _) in entries.items()})


def _read_entries(
    read: Callable[[], dict[str, Any]], source: str, relative: PurePosixPath
) -> Iterator[tuple[str, BaseModel, str]]:
    document = read()
    if _PROTOCOL_FOLDER in relative.parts[:-1]:
        yield "protocol", validate(Protocol, document, source, "", CatalogError), ""
        return
    unknown = sorted(set(document) - set(_ENTRY_KINDS))
    if unknown:
        message = error_message("error.catalog-unknown-table", expected=", ".join(f"[[{k}]]" for k in _ENTRY_KINDS))
        raise CatalogError([Problem(source, name, message) for name in unknown])
    problems: list[Problem] = []
    for kind, model in _ENTRY_KINDS.items():
        entries = document.get(kind, [])
        if not isinstance(entries, list):
            message = error_message("error.catalog-not-an-array", kind=kind)
            problems.append(Problem(source, kind, message, show_value(entries)))
            continue
        for number, data in enumerate(entries, start=1):
            entry_id = data.get("id") if isinstance(data, dict) else None
            field = f"{kind}[{entry_id}]" if isinstance(entry_id, str) and entry_id else f"{kind}[{number}]"
            try:
                yield kind, validate(model, data, source, field, CatalogError), field
            except CatalogError as exc:
                problems.extend(exc.problems)
    if problems:
        raise CatalogError(problems)


def _link_problems(catalog: Catalog, origins: Mapping[tuple[str, str], str]) -> Iterator[Problem]:
    exercises, conditions = catalog.exercises, catalog.conditions

    def missing(
        kind: str, entry_id: str, field: str, target_kind: str, known: Mapping[str, object], target: str
    ) -> Problem | None:
        if target in known:
            return None
        return Problem(
            origins[(kind, entry_id)],
            f"{kind}[{entry_id}].{field}",
            error_message(_UNKNOWN[target_kind]),
            repr(target),
        )

    checks: list[Problem | None] = []
    for ex in exercises.values():
        for field, link in (("easier", ex.easier), ("harder", ex.harder)):
            if link is not None:
                checks.append(missing("exercise", ex.id, field, "exercise", exercises, link))
        for n, ci in enumerate(ex.contraindications, start=1):
            checks.append(
                missing("exercise", ex.id, f"contraindications[{n}].condition", "condition", conditions, ci.condition)
            )
    yield from (p for p in checks if p is not None)
    yield from _ladder_cycles(catalog, origins)

    seen_names: dict[str, str] = {}
    for cond in conditions.values():
        problem = missing(
            "condition", cond.id, "default_protocol", "protocol", catalog.protocols, cond.default_protocol
        )
        if problem:
            yield problem
        for name in (cond.id, *cond.aliases):
            if name in seen_names and seen_names[name] != cond.id:
                yield Problem(
                    origins[("condition", cond.id)],
                    f"condition[{cond.id}].aliases",
                    error_message("error.catalog-alias-used", condition=repr(seen_names[name])),
                    repr(name),
                )
            seen_names.setdefault(name, cond.id)

    for protocol in catalog.protocols.values():
        yield from _protocol_problems(catalog, protocol, origins[("protocol", protocol.id)])


def _ladder_cycles(catalog: Catalog, origins: Mapping[tuple[str, str], str]) -> Iterator[Problem]:
    for start in catalog.exercises.values():
        path = [start.id]
        current = start.harder
        while current is not None and current in catalog.exercises:
            if current in path:
                loop = " -> ".join([*path, current])
                yield Problem(
                    origins[("exercise", start.id)],
                    f"exercise[{start.id}].harder",
                    error_message("error.catalog-ladder-loop", loop=loop),
                    repr(start.harder),
                )
                break
            path.append(current)
            current = catalog.exercises[current].harder


def _protocol_problems(catalog: Catalog, protocol: Protocol, source: str) -> Iterator[Problem]:
    exercises = catalog.exercises
    for field, exercise_id in _protocol_exercise_refs(protocol):
        if exercise_id not in exercises:
            yield Problem(source, field, error_message("error.protocol-unknown-exercise"), repr(exercise_id))
    for n, entry in enumerate(protocol.phases, start=1):
        if isinstance(entry, Phase) and entry.strength is not None:
            for m, rx in enumerate(entry.strength.exercises, start=1):
                named = [("exercise", rx.exercise)] if rx.exercise is not None else []
                named += [(f"chain[{k}].exercise", step.exercise) for k, step in enumerate(rx.chain, start=1)]
                for field, exercise_id in named:
                    found = exercises.get(exercise_id)
                    if found is not None and found.category is Category.RUN:
                        yield Problem(
                            source,
                            f"phases[{n}].strength.exercises[{m}].{field}",
                            error_message("error.protocol-running-exercise"),
                            repr(exercise_id),
                        )
        if isinstance(entry, Include) and entry.include not in catalog.protocols:
            message = error_message("error.protocol-unknown-include")
            yield Problem(source, f"phases[{n}].include", message, repr(entry.include))
    try:
        phases = catalog.phases(protocol.id)
    except _IncludeCycleError as exc:
        yield Problem(source, "phases", error_message("error.protocol-include-loop", chain=" -> ".join(exc.chain)))
        return
    except KeyError:
        return  # reported above as an unknown include
    seen: set[str] = set()
    for phase in phases:
        if phase.id in seen:
            yield Problem(source, "phases", error_message("error.protocol-phase-id-twice"), repr(phase.id))
        seen.add(phase.id)


def _protocol_exercise_refs(protocol: Protocol) -> Iterator[tuple[str, str]]:
    for n, entry in enumerate(protocol.phases, start=1):
        if not isinstance(entry, Phase):
            continue
        where = f"phases[{n}]"
        for m, test in enumerate((*entry.entry, *entry.exit), start=1):
            yield f"{where}.entry/exit[{m}].exercise", test.exercise
        if entry.strength is not None:
            for m, rx in enumerate(entry.strength.exercises, start=1):
                if rx.exercise is not None:
                    yield f"{where}.strength.exercises[{m}].exercise", rx.exercise
                for k, step in enumerate(rx.chain, start=1):
                    yield f"{where}.strength.exercises[{m}].chain[{k}].exercise", step.exercise
        if entry.cross_training is not None:
            for m, option in enumerate(entry.cross_training.options, start=1):
                yield f"{where}.cross_training.options[{m}].exercise", option.exercise
        running = entry.running
        if running is not None:
            yield f"{where}.running.exercise", running.exercise
            for m, drill in enumerate(running.drills, start=1):
                yield f"{where}.running.drills[{m}].exercise", drill.exercise
            if running.kind in ("stages", "days"):
                yield f"{where}.running.walk_exercise", running.walk_exercise
            if running.kind == "build-up":
                yield f"{where}.running.long_run_exercise", running.long_run_exercise


class _IncludeCycleError(Exception):
    def __init__(self, chain: tuple[str, ...]) -> None:
        self.chain = chain
        super().__init__(" -> ".join(chain))


def _expand(protocols: Mapping[str, Protocol], protocol_id: str, chain: tuple[str, ...]) -> Iterator[Phase]:
    if protocol_id in chain:
        raise _IncludeCycleError((*chain, protocol_id))
    for entry in protocols[protocol_id].phases:
        if isinstance(entry, Include):
            yield from _expand(protocols, entry.include, (*chain, protocol_id))
        else:
            yield entry
