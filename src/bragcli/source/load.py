"""The one pipeline from a plan's files to a `LoadedPlan`, whatever the source of the files.

A source (`files.WorkTree`, `files.GitRev`) lists the plan files and opens each one; here each
file is read (`yamlread`), validated (`validate`), and the plan is put together with the checks
that span files: which of plan.yaml and plan.yml is read, duplicate ids, deadlines. So the same
bytes give the same problems from the working tree, from `--rev`, and in a trend.

One broken file never hides the others: every file is read and validated, and the result
carries all the models that loaded and all the problems found on the way. Of an area file that
fails validation, the actions that validated are still kept (`LoadedPlan.partial`), so that the
rules and the checks across files look at them in the same run.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from bragcli import deadlines
from bragcli.model import Action, Area, Plan, id_key, natural_key
from bragcli.problems import Level, Problem, error
from bragcli.safetext import excerpt, shown_id
from bragcli.source.files import PLAN_FILE_NAMES, Source, WorkTree, document
from bragcli.source.parallel import map_in_two
from bragcli.source.validate import Invalid, salvage_area, validate
from bragcli.source.yamlread import MAX_FILE_BYTES, Document, ItemPositions

if TYPE_CHECKING:
    from bragcli.source.files import History
    from bragcli.source.git import Revision
    from bragcli.source.readahead import ReadAhead

Pos = tuple[int, int]
Done = TypeVar("Done")


@dataclass(slots=True)
class AreaSource:
    """An area that loaded, with the positions that later checks point at."""

    path: str
    area: Area
    #: For each action, in file order: where it and each of its values start.
    action_pos: ItemPositions
    #: bad-deadline problems by quarters setting, worked out once (history reuses areas)
    deadline_problems: dict[str, list[Problem]] = field(default_factory=dict)
    #: `id_key` of the area's id and of its actions' ids, worked out once (see `id_keys`)
    keys: tuple[str, list[str]] | None = None
    #: value positions of the area's own keys (lead, status, measures...)
    area_pos: dict[str, Pos] = field(default_factory=dict)
    #: for each measure, in file order: where it and each of its values start
    measure_pos: ItemPositions = field(default_factory=ItemPositions)

    def pos(self, index: int, key: str = "") -> Pos:
        return self.action_pos.at(index, key) or (1, 1)

    def locate(self, where: tuple[str | int, ...]) -> Pos:
        """The position of an area rule's finding (`rules.base.Where`), as near as is known."""
        match where:
            case ("actions", int(index), *rest):
                return self.pos(index, str(rest[0]) if rest else "")
            case ("measures", int(index), *rest):
                found = self.measure_pos.at(index, str(rest[0]) if rest else "")
                return found or self.area_pos.get("measures", (1, 1))
            case (str(key), *_):
                return self.area_pos.get(key, (1, 1))
        return (1, 1)

    def id_keys(self) -> tuple[str, list[str]]:
        """What the area's id and its actions' ids are compared by (`model.id_key`)."""
        if self.keys is None:
            area = self.area
            self.keys = (id_key(area.id), [id_key(a.id) for a in area.actions])
        return self.keys


@dataclass(slots=True)
class Rejected:
    """An area file that did not load: its problems and, when some of it validated, that part
    (the actions no error is about, and the area's id unless an error is about it: else "")."""

    problems: list[Problem]
    partial: AreaSource | None = None


AreaResult = AreaSource | Rejected

#: Given plan.yaml's model (None when it did not load), what to check in each area as it is
#: loaded, beside reading it (`rules.run.while_loading`): the problems found.
#: (plan) -> (what validated of an area file, whether the whole file did) -> its findings
AreaChecks = Callable[[Plan | None], Callable[[AreaSource, bool], list[Problem]]]


@dataclass(slots=True)
class LoadedPlan:
    """Everything read from one plan folder."""

    folder: Path
    plan_path: str
    plan: Plan | None
    #: the areas that loaded, by id
    areas: list[AreaSource]
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    #: What validated of the area files that did not load, in file order. Only the checks
    #: (rules, duplicate ids, deadlines) read these: a plan with errors is not reported on.
    partial: list[AreaSource] = field(default_factory=list)
    #: what the loader's `area_checks` found in the areas and `partial`; None without them
    found_while_loading: list[Problem] | None = None
    #: the `area_checks` that found them (`rules.run.run_checks` takes the findings only from
    #: the checks it would run itself)
    found_by: AreaChecks | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    def actions(self) -> Iterable[tuple[AreaSource, int, Action]]:
        """Every action that validated: those of the areas, then those of `partial`."""
        for sources in (self.areas, self.partial):
            for source in sources:
                for index, action in enumerate(source.area.actions):
                    yield source, index, action


class Snapshot(NamedTuple):
    """The plan as it was at one commit of its history."""

    revision: Revision
    plan: LoadedPlan


class Loader:
    """Loads plans from sources, keeping each file's result with the blob id it was made from
    (`files.File.key`): in a history, a file whose blob did not change since the previous plan
    is not read or validated again. Only the latest result of each file is kept, so memory does
    not grow with the length of the history. (The working tree gives no key: it is read anew.)
    """

    def __init__(
        self,
        *,
        positions: bool = True,
        kept: bool = True,
        area_checks: AreaChecks | None = None,
        ahead: ReadAhead | None = None,
    ) -> None:
        """Without `positions` (a trend needs counts, a report the data, not where things
        are) where each value is in its file is not kept, and every problem points at line 1
        (`yamlread.read_bytes`): the problems are the same. `kept`: what is read is kept
        until the command ends (one plan, not a history of them): see `paused_gc`.
        `area_checks`: run on each area (and on what validated of an area that did not load)
        where it is read, on two cores for a large plan (`LoadedPlan.found_while_loading`).
        `ahead`: the area files already being read (`readahead.start`), taken by the first
        load of the working tree they fit, and stopped otherwise."""
        self.positions = positions
        self.kept = kept
        self.area_checks = area_checks
        self.ahead = ahead
        self._kept: dict[str, tuple[str, str, Any]] = {}

    def load(self, source: Source) -> LoadedPlan:
        """Read and validate every plan file of `source`."""
        names = source.names()
        plan_names = [n for n in PLAN_FILE_NAMES if n in names]
        problems = []
        if len(plan_names) > 1:
            first, second = plan_names[0], plan_names[1]
            message = (
                f"both {first} and {second} are here; bragcli reads {first} only, so merge them "
                f"and delete {second}"
            )
            problems.append(error(source.shown(second), 1, 1, "duplicate-plan-file", message))
        plan_path = source.shown(plan_names[0] if plan_names else "plan.yaml")
        with paused_gc(freeze=self.kept):
            plan = (
                self._result(source, plan_names[0], plan_path, plan_result) if plan_names else None
            )
            area_names = [name for name in names if name not in PLAN_FILE_NAMES]
            quarters = plan.quarters if isinstance(plan, Plan) else "calendar"

            def area(name: str) -> AreaResult:
                result = self._result(source, name, source.shown(name), self._area)
                return _with_deadlines(result, quarters)

            def area_read(_name: str, doc: Document | Problem) -> AreaResult:
                # read ahead (`readahead`), in the working tree
                return _with_deadlines(self._area(doc), quarters)

            found: list[Problem] | None = None
            if self.area_checks is None:
                areas = self._each(source, area, area_names, area_read)
            else:
                check = self.area_checks(plan if isinstance(plan, Plan) else None)

                def with_findings(result: AreaResult) -> tuple[AreaResult, list[Problem]]:
                    # Checked anew, never kept with the file's result: the findings depend
                    # on plan.yaml and the command line too.
                    if isinstance(result, AreaSource):
                        return result, check(result, True)
                    valid = result.partial
                    return result, check(valid, False) if valid is not None else []

                done = self._each(
                    source,
                    lambda name: with_findings(area(name)),
                    area_names,
                    lambda name, doc: with_findings(area_read(name, doc)),
                )
                areas = [result for result, _ in done]
                found = [problem for _, findings in done for problem in findings]
            for gone in self._kept.keys() - set(names):
                del self._kept[gone]
            loaded = assemble(source.folder, plan_path, plan, areas, problems)
            loaded.found_while_loading = found
            loaded.found_by = self.area_checks if found is not None else None
            return loaded

    def _each(
        self,
        source: Source,
        work: Callable[[str], Done],
        names: list[str],
        read: Callable[[str, Document | Problem], Done],
    ) -> list[Done]:
        """`work` on each file of `names`, in order; `read` makes the same of a file that was
        read ahead (`readahead`)."""
        ahead, self.ahead = self.ahead, None  # taken once
        if isinstance(source, WorkTree):  # a large plan is read on two cores
            if ahead is not None and ahead.fits(source, names, self.positions):
                return ahead.early.finish(work, read)
            if ahead is not None:
                ahead.cancel()
            return map_in_two(work, names, source.sizes(names))
        if ahead is not None:
            ahead.cancel()
        return [work(name) for name in names]  # a history's files are mostly kept

    def _area(self, doc: Document | Problem) -> AreaResult:
        return area_file(doc, positions=self.positions)

    def _result(self, source: Source, name: str, shown: str, make: Any) -> Any:
        """What `make` gives for the file `name`: kept from the previous plan when its blob is
        the same (and shown the same), else read now."""
        opened = source.open(name, shown)
        if isinstance(opened, Problem):
            self._kept.pop(name, None)
            return make(opened)
        key = opened.key
        if key is not None:
            kept = self._kept.get(name)
            if kept is not None and kept[0] == key and kept[1] == shown:
                return kept[2]
        result = make(document(opened, shown, positions=self.positions))
        if key is not None:
            self._kept[name] = (key, shown, result)
        return result


def load_plan(
    folder: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    positions: bool = True,
    area_checks: AreaChecks | None = None,
    ahead: ReadAhead | None = None,
) -> LoadedPlan:
    """The plan in `folder` in the working tree (raises BragError when there is no folder).
    Without `positions`, problems point at line 1 (see `Loader`, and for `area_checks` and
    `ahead`, which is stopped if it is not taken)."""
    loader = Loader(positions=positions, area_checks=area_checks, ahead=ahead)
    try:
        return loader.load(WorkTree(folder, max_bytes=max_bytes))
    finally:
        if loader.ahead is not None:  # not taken: the folder could not be listed
            loader.ahead.cancel()


def plan_at(
    folder: Path,
    rev: str,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    positions: bool = True,
    label: str | None = None,
) -> tuple[LoadedPlan, Revision]:
    """The plan in `folder` as it was at revision `rev`, its paths shown as `rev:path` (or
    `label:path`: the name the user gave a revision read again by its sha)."""
    from bragcli.source.files import GitRev
    from bragcli.source.git import Repository

    with Repository(folder) as repo:
        revision = repo.resolve(rev)
        source = GitRev(repo, revision.sha, label=label or rev, max_bytes=max_bytes)
        return Loader(positions=positions).load(source), revision


def history(
    folder: Path, *, since: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Snapshot]:
    """The plan at every commit that touched `folder` (see `files.History` for `since`)."""
    from bragcli.source.files import History
    from bragcli.source.git import Repository

    with Repository(folder) as repo:
        yield from snapshots(History(repo, since=since, max_bytes=max_bytes))


def snapshots(commits: History, start: int = 0, stop: int | None = None) -> Iterator[Snapshot]:
    """The plan at each of `commits` from the `start`th to before the `stop`th (None: to the
    last): a file read at one commit is kept for the next while its blob stays the same."""
    loader = Loader(positions=False, kept=False)
    for revision, source in commits.between(start, stop):
        yield Snapshot(revision, loader.load(source))


@contextlib.contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """Pause Python's cycle collector while a plan is read.

    Reading builds hundreds of thousands of short-lived node objects; the collector, run
    every few hundred allocations, spent a third of a large plan's load time finding no
    cycles (there are none: reference counting frees the nodes). Restored afterwards.

    With `freeze`, what exists when reading ends (the plan, kept until the command ends) is
    moved out of the collector's view (`gc.freeze`): else the next full collection, soon
    after, scans every object of it for cycles it does not have, 0.1 s at 10,000 actions.
    Reference counting still frees any of it that is dropped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze:
                gc.freeze()
            gc.enable()


@contextlib.contextmanager
def frozen_while_reading() -> Iterator[None]:
    """Leave what exists before a history is read (the modules, the models' validators, a
    plan already read) out of the cycle collector's passes while it is read: each commit makes
    thousands of objects, so the collector runs often, and each of its full passes walked all
    of those as well. A forked child also copies fewer of its parent's pages (`gc.freeze`).
    What was frozen before (a plan read once: `paused_gc`) stays frozen afterwards."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


# --- one file ------------------------------------------------------------------------------


def plan_result(doc: Document | Problem) -> Plan | list[Problem]:
    """plan.yaml as read: the model, or its problems."""
    if isinstance(doc, Problem):
        return [doc]
    validated = validate(doc, Plan, "plan")
    return validated.problems if isinstance(validated, Invalid) else validated


def area_file(doc: Document | Problem, *, positions: bool = True) -> AreaResult:
    """An area file as read: the area with its positions (unless not wanted: then problems
    found later point at line 1), or its problems and what of it validated."""
    if isinstance(doc, Problem):
        return Rejected([doc])
    validated = validate(doc, Area, "area")
    if not isinstance(validated, Invalid):
        if not positions:
            return AreaSource(doc.path, validated, ItemPositions())
        return AreaSource(
            doc.path,
            validated,
            doc.item_positions("actions"),
            area_pos=_key_positions(doc),
            measure_pos=doc.item_positions("measures") if validated.measures else ItemPositions(),
        )
    if validated.errors is None:  # not every error is shown: what is valid is not known
        return Rejected(validated.problems)
    salvaged = salvage_area(doc, validated.errors)
    if salvaged is None:
        return Rejected(validated.problems)
    area, kept = salvaged
    at = doc.item_positions("actions").only(kept) if positions else ItemPositions()
    return Rejected(validated.problems, AreaSource(doc.path, area, at))


def _key_positions(doc: Document) -> dict[str, Pos]:
    """Where the value of each of the area's own keys starts."""
    data = doc.data
    return {key: doc.locate((key,)) for key in data} if isinstance(data, dict) else {}


def area_result(doc: Document | Problem, *, positions: bool = True) -> AreaSource | list[Problem]:
    """One area file on its own (as the importer reads back what it writes): the area with its
    positions, or its problems."""
    result = area_file(doc, positions=positions)
    return result if isinstance(result, AreaSource) else result.problems


# --- the plan --------------------------------------------------------------------------------


def assemble(
    folder: Path,
    plan_path: str,
    plan: Plan | list[Problem] | None,
    area_results: list[AreaResult],
    problems: list[Problem],
) -> LoadedPlan:
    """Put a plan together from its files' results (and `problems` found on the way) and add
    the checks that span files. `plan` is None when the folder has no plan.yaml."""
    if plan is None:
        message = "is missing: a plan folder needs plan.yaml with at least title and organisation"
        problems.append(error(plan_path, 1, 1, "no-plan-file", message))
    elif isinstance(plan, list):
        problems.extend(plan)
    model = plan if isinstance(plan, Plan) else None
    quarters = model.quarters if model else "calendar"
    areas: list[AreaSource] = []
    partial: list[AreaSource] = []
    for result in area_results:
        if isinstance(result, AreaSource):
            areas.append(result)
            found = result.deadline_problems.get(quarters)  # inlined: a history's hot loop
            problems.extend(found if found is not None else _deadline_problems(result, quarters))
        else:
            problems.extend(result.problems)
            if result.partial is not None:
                partial.append(result.partial)
                problems.extend(_deadline_problems(result.partial, quarters))
    if not area_results:
        message = (
            f"{Path(plan_path).parent} has no area files: add one *.yaml file per improvement area"
        )
        problems.append(error(plan_path, 1, 1, "no-areas", message))
    areas.sort(key=lambda s: natural_key(s.area.id))
    files = len(area_results) + (plan is not None)
    loaded = LoadedPlan(folder, plan_path, model, areas, problems, files, partial)
    problems.extend(_duplicate_ids(loaded))
    problems.sort(key=Problem.sort_key)
    return loaded


def _with_deadlines(result: AreaResult, quarters: deadlines.Quarters) -> AreaResult:
    """`result`, its bad-deadline problems worked out (`_deadline_problems`) as its file is
    validated: for a large plan, while the other core still reads files (`parallel`), not
    all together in `assemble` once every file is in (10,000 actions have 20,000 deadlines
    and baselines to parse)."""
    source = result if isinstance(result, AreaSource) else result.partial
    if source is not None:
        _deadline_problems(source, quarters)
    return result


def _deadline_problems(source: AreaSource, quarters: deadlines.Quarters) -> list[Problem]:
    """The bad-deadline problems of an area, worked out once for each quarters setting."""
    found = source.deadline_problems.get(quarters)
    if found is None:
        found = source.deadline_problems[quarters] = list(_deadline_errors(source, quarters))
    return found


def _deadline_errors(source: AreaSource, quarters: deadlines.Quarters) -> Iterable[Problem]:
    """bad-deadline for each action's `deadline`, and its `baseline` (the same grammar)."""
    for index, action in enumerate(source.area.actions):
        for key, text in (("deadline", action.deadline), ("baseline", action.baseline)):
            try:
                deadlines.parse_deadline(text, quarters=quarters)
            except deadlines.DeadlineError as e:
                line, col = source.pos(index, key)
                yield error(
                    source.path,
                    line,
                    col,
                    "bad-deadline",
                    f"action {shown_id(action.id)}: {e.message(key)}",
                )


_LOOK_ALIKE = "ids are compared ignoring case and character width"


def _duplicate_ids(loaded: LoadedPlan) -> Iterable[Problem]:
    """Two areas, or two actions, whose ids are the same once `id_key` is applied; the areas
    that did not load count with what of them validated."""
    sources = [*loaded.areas, *(s for s in loaded.partial if s.area.id)]
    area_ids = [s.id_keys()[0] for s in sources]
    action_ids = [k for s in (*loaded.areas, *loaded.partial) for k in s.id_keys()[1]]
    if len(set(area_ids)) == len(area_ids) and len(set(action_ids)) == len(action_ids):
        return  # the usual case, found without building positions
    seen_areas: dict[str, AreaSource] = {}
    for source in sources:
        first = seen_areas.setdefault(id_key(source.area.id), source)
        if first is not source:
            this, first_id = source.area.id, first.area.id
            said = (
                f"is also used by {first.path}"
                if this == first_id
                else f"reads the same as {excerpt(first_id)} in {first.path} ({_LOOK_ALIKE})"
            )
            yield error(
                source.path, 1, 1, "duplicate-id",
                f"area id {excerpt(this)} {said}; area ids must be unique",
            )  # fmt: skip
    seen: dict[str, tuple[AreaSource, int]] = {}
    for source, index, action in loaded.actions():
        where = seen.setdefault(id_key(action.id), (source, index))
        if where != (source, index):
            other, other_index = where
            line, _ = other.pos(other_index, "id")
            line2, col2 = source.pos(index, "id")
            first_id = other.area.actions[other_index].id
            said = (
                f"is also used at {other.path}:{line}"
                if first_id == action.id
                else f"reads the same as {excerpt(first_id)} at {other.path}:{line} ({_LOOK_ALIKE})"
            )
            yield error(
                source.path, line2, col2, "duplicate-id",
                f"action id {excerpt(action.id)} {said}; action ids must be unique across the plan",
            )  # fmt: skip
