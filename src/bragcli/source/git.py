"""Reading a plan from git history: a plan at any revision, and the series of plans over time.

All git access goes through a few processes, whatever the length of the history: one
`git log --raw` lists every commit that touched the plan folder with the blobs it changed, one
`git ls-tree` gives the folder's files at the first of those commits, and two long-lived
`git cat-file` processes give each blob's size (`--batch-check`) and then, when it is within
the size cap, its content (`--batch`). A file that did not change between commits has the
same blob id, so it is read and validated once.

What is read from git is held to the same rules as the working tree: a blob over the size
cap is refused unread, and a symbolic link (mode 120000) is followed only to a file inside
the plan folder, in the same commit. Git gives everything here as it was committed, so a
hostile repository's file names, dates and subjects are parsed with care: a name is never
taken as an option, a date beyond what Python can hold is clamped with a note.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, Any

from bragcli.model import Plan
from bragcli.problems import BragError, Problem, error
from bragcli.safetext import excerpt, visible
from bragcli.source.load import (
    PLAN_FILE_NAMES,
    YAML_SUFFIXES,
    AreaResult,
    LoadedPlan,
    area_result,
    assemble,
    display_path,
    paused_gc,
    plan_result,
)
from bragcli.source.yamlread import MAX_FILE_BYTES, Document, read_bytes, too_large

WORKTREE = "WORKTREE"

#: git's modes for a symbolic link and for the files it can hold (plain and executable)
_LINK = "120000"
_FILES = ("100644", "100755", "100664")
#: longest link target followed (Linux's PATH_MAX), and most links followed in a chain
_MAX_TARGET = 4096
_MAX_LINKS = 40
#: a commit date as `%cs` gives it; git writes years after 9999 in full
_DAY = re.compile(r"(\d{4,})-(\d\d)-(\d\d)")
#: the start of one commit in `git log --format=%x01%H...` output (sha-1 or sha-256 ids)
_COMMIT = re.compile(r"\n?\x01([0-9a-f]{40}|[0-9a-f]{64})")
_SINCE_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True, slots=True)
class Revision:
    sha: str
    date: date
    subject: str
    #: What the user called it (a tag, a branch, "HEAD"), for display.
    name: str
    #: Why `date` is not the commit's date as git has it (far in the future, or unreadable).
    note: str | None = None

    @property
    def short(self) -> str:
        return self.sha[:12]


def commit_date(text: str, sha: str) -> tuple[date, str | None]:
    """The date of a commit from git's `%cs` text, and a note when it had to be changed.

    Git stores any timestamp it is given: a commit can be dated 10000-01-01 or later, which
    Python's dates cannot hold (they end at 9999-12-31), or carry a date git cannot read (it
    then shows 1970-01-01, or nothing). Such a date is taken as 9999-12-31 or 1970-01-01.
    """
    found = _DAY.fullmatch(text)
    if found and len(found[1]) == 4:
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    short = sha[:12]
    if found and int(found[1]) > 9999:
        return date.max, (
            f"commit {short} is dated {text} in git, after 9999-12-31, the last date bragcli "
            "can handle; it is taken as 9999-12-31"
        )
    return date(1970, 1, 1), (
        f"commit {short} has a date that git cannot read ({excerpt(text)}); it is taken as "
        "1970-01-01, as git shows such dates"
    )


def notes(revisions: Iterable[Revision | None]) -> str:
    """Lines for stderr about commit dates not shown as git has them ("" when none)."""
    seen = dict.fromkeys(r.note for r in revisions if r is not None and r.note)
    return "".join(f"brag: note: {note}\n" for note in seen)


def _revision_text(rev: str) -> str:
    return excerpt(rev, 60)


class Repository:
    """The git repository that holds a plan folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if top is None:
            raise BragError(
                f"{display_path(folder)} is not in a git repository, so there is no history to "
                "read; run `git init` and commit the plan, or leave out the revision"
            )
        self.root = Path(top.strip())
        prefix = (self._git("rev-parse", "--show-prefix") or "").strip()
        #: The plan folder relative to the repository root, as git writes paths ("" at the top).
        self.prefix = prefix.rstrip("/")
        self._batch: subprocess.Popen[bytes] | None = None
        self._check: subprocess.Popen[bytes] | None = None
        #: blob sizes already known (from `ls-tree -l` or asked in bulk)
        self._sizes: dict[str, int] = {}

    # --- plumbing -------------------------------------------------------------------------

    def _git(self, *args: str, check: bool = True) -> str | None:
        try:
            result = subprocess.run(
                ["git", "-C", str(self.folder), *args],
                capture_output=True,
                check=False,
            )
        except OSError as e:
            raise BragError(f"cannot run git: {e.strerror or e}; is git installed?") from e
        if result.returncode != 0:
            if not check:
                return None
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            shown = visible(message[-1]) if message else "no message"
            raise BragError(f"git {args[0]} failed: {shown}")
        return result.stdout.decode("utf-8", "replace")

    def resolve(self, rev: str) -> Revision:
        """The commit `rev` names (a sha, tag, branch, HEAD~2, ...).

        `rev` comes from the user: one that starts with '-' is refused before git sees it, so
        it can never be taken as an option (`--output=x`); it is passed as one argument.
        """
        if rev.startswith("-") or not rev:
            raise BragError(
                f"{_revision_text(rev)} is not a revision: give a tag, branch or commit id "
                "(a revision never starts with '-')"
            )
        out = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not out:
            raise BragError(
                f"{_revision_text(rev)} is not a commit in {self.root}; give a tag, branch or "
                "commit id (see `git log --oneline`)"
            )
        sha = out.strip()
        info = self._git("log", "-1", "--format=%cs%x00%s", sha) or ""
        day, _, subject = info.rstrip("\n").partition("\x00")
        when, note = commit_date(day, sha)
        return Revision(sha, when, subject, rev, note)

    def _process(self, mode: str) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                ["git", "-C", str(self.folder), "cat-file", mode],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError as e:
            raise BragError(f"cannot run git: {e.strerror or e}; is git installed?") from e

    @staticmethod
    def _ask(process: subprocess.Popen[bytes], sha: str) -> list[bytes]:
        stdin: IO[bytes] | None = process.stdin
        stdout: IO[bytes] | None = process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode("ascii") + b"\n")
        stdin.flush()
        return stdout.readline().split()

    def size(self, sha: str) -> int:
        """The size in bytes of blob `sha`, asked of git without reading the blob."""
        known = self._sizes.get(sha)
        if known is not None:
            return known
        if self._check is None:
            self._check = self._process("--batch-check")
        header = self._ask(self._check, sha)
        if len(header) != 3 or header[1] != b"blob":
            raise BragError(f"git could not read blob {sha}")
        size = self._sizes[sha] = int(header[2])
        return size

    def learn_sizes(self, blobs: Iterable[str]) -> None:
        """Ask git for the sizes of many blobs at once: one process, not a round trip each."""
        wanted = [b for b in dict.fromkeys(blobs) if b not in self._sizes]
        if not wanted:
            return
        try:
            done = subprocess.run(
                ["git", "-C", str(self.folder), "cat-file", "--batch-check"],
                input="".join(f"{b}\n" for b in wanted).encode("ascii"),
                capture_output=True,
                check=False,
            )
        except OSError as e:
            raise BragError(f"cannot run git: {e.strerror or e}; is git installed?") from e
        for line in done.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] == b"blob":
                self._sizes[parts[0].decode("ascii")] = int(parts[2])

    def blob(self, sha: str) -> bytes:
        """The content of blob `sha`: call only after `size` showed it is within the cap."""
        if self._batch is None:
            self._batch = self._process("--batch")
        header = self._ask(self._batch, sha)
        if len(header) != 3:
            raise BragError(f"git could not read blob {sha}")
        stdout = self._batch.stdout
        assert stdout is not None
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        for process in (self._batch, self._check):
            if process is not None:
                for stream in (process.stdin, process.stdout):
                    if stream:
                        stream.close()
                process.wait()
        self._batch = self._check = None

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the plan folder's files ------------------------------------------------------------

    def in_folder(self, path: str) -> str | None:
        """`path` (from the repository root) relative to the plan folder, or None outside it."""
        if not self.prefix:
            return path
        if path.startswith(self.prefix + "/"):
            return path[len(self.prefix) + 1 :]
        return None

    def tree_at(self, sha: str) -> dict[str, tuple[str, str]]:
        """{path in the plan folder: (mode, object id)} for everything in it at commit `sha`,
        subfolders included (a symbolic link may point into one)."""
        spec = f"{sha}:{self.prefix}" if self.prefix else f"{sha}:"
        out = self._git("ls-tree", "--full-tree", "-r", "-l", "-z", spec, check=False)
        tree: dict[str, tuple[str, str]] = {}
        for entry in (out or "").split("\0"):
            meta, tab, path = entry.partition("\t")
            parts = meta.split()  # mode, type, object id, size ("-" for a submodule)
            if tab and len(parts) == 4:
                tree[path] = (parts[0], parts[2])
                if parts[3].isdigit():
                    self._sizes[parts[2]] = int(parts[3])
        return tree


def plan_files(tree: dict[str, tuple[str, str]]) -> list[str]:
    """The names of the YAML files (or links) directly in the plan folder, sorted."""
    return sorted(
        name
        for name, (mode, _) in tree.items()
        if _is_yaml(name) and (mode in _FILES or mode == _LINK)
    )


def _is_yaml(path: str) -> bool:
    """Whether `path` is a .yaml or .yml file directly in the folder (as Path.suffix sees
    it: ".yaml" alone has no suffix). Plain text operations: this runs for every change."""
    dot = path.rfind(".")
    return dot > 0 and "/" not in path and path[dot:].lower() in YAML_SUFFIXES


class PlanReader:
    """Builds plans from blobs. Each file's result is kept with its blob id, so a file that
    did not change since the previous plan is not read or validated again; only the current
    version of each file is kept, so memory does not grow with the length of the history."""

    def __init__(self, repo: Repository, *, max_bytes: int = MAX_FILE_BYTES) -> None:
        self.repo = repo
        self.max_bytes = max_bytes
        self._cache: dict[str, tuple[str, Any]] = {}
        self._folder = Path(display_path(repo.folder))
        #: how each file is shown, worked out once: a trend asks for every file at every commit
        self._shown: dict[str, str] = {}

    def _document(self, blob: str, shown: str) -> Document | Problem:
        size = self.repo.size(blob)
        if size > self.max_bytes:
            return too_large(shown, size, self.max_bytes)  # never read
        return read_bytes(self.repo.blob(blob), shown)

    def _source(self, tree: dict[str, tuple[str, str]], name: str, shown: str) -> str | Problem:
        """The blob to read for `name`: its own, or for a symbolic link the blob of the file
        it leads to in the same tree (each link in a chain resolved from its own folder), or
        the problem that stops it being read, as the working tree would give it."""
        path = name
        for _ in range(_MAX_LINKS):
            mode, blob = tree[path]
            if mode in _FILES:
                return blob
            if mode != _LINK:  # a submodule: a folder in the working tree
                return _folder(shown)
            if self.repo.size(blob) >= _MAX_TARGET:
                return _unreadable(shown, errno.ENAMETOOLONG)
            target = self.repo.blob(blob).decode("utf-8", "replace")
            found = self._inside(posixpath.join(posixpath.dirname(path), target), target)
            if found is None:
                return error(
                    shown, 1, 1, "outside-plan-folder",
                    f"{visible(name)} is a symbolic link to a file outside the plan folder; "
                    "it is not read (copy the file into the plan folder instead)",
                )  # fmt: skip
            if found not in tree:
                if found == "" or any(p.startswith(found + "/") for p in tree):
                    return _folder(shown)
                return _unreadable(shown, errno.ENOENT)
            path = found
        return _unreadable(shown, errno.ELOOP)

    def _inside(self, relative: str, target: str) -> str | None:
        """`relative` (a path from the plan folder, maybe with '..') normalised, or None when
        it leaves the plan folder. Resolved as text, in the commit's tree, never on disk."""
        if target.startswith("/"):
            return None
        prefix = self.repo.prefix
        full = posixpath.normpath(posixpath.join(prefix, relative) if prefix else relative)
        if full == ".." or full.startswith("../"):
            return None
        if not prefix:
            return "" if full == "." else full
        if full == prefix:
            return ""
        if full.startswith(prefix + "/"):
            return full[len(prefix) + 1 :]
        return None

    def _result(self, tree: dict[str, tuple[str, str]], name: str, shown: str, make: Any) -> Any:
        source = self._source(tree, name, shown)
        if isinstance(source, Problem):
            self._cache.pop(name, None)
            return [source]
        cached = self._cache.get(name)
        if cached is None or cached[0] != source:
            cached = self._cache[name] = (source, make(self._document(source, shown)))
        return cached[1]

    def plan(
        self, tree: dict[str, tuple[str, str]], names: list[str], label: str | None = None
    ) -> LoadedPlan:
        """The plan in `tree` (from `Repository.tree_at`), whose `plan_files` are `names`.
        Paths are shown as `label`:path when a label (the revision) is given; results are
        shared only between plans without one."""
        prefix = f"{label}:" if label else ""
        if label:
            self._cache.clear()
        plan_name = next((n for n in PLAN_FILE_NAMES if n in names), None)
        plan_path = prefix + self._path(plan_name or "plan.yaml")
        plan: Plan | list[Problem] | None = None
        if plan_name:
            plan = self._result(tree, plan_name, plan_path, plan_result)
        areas: list[AreaResult] = []
        for name in names:
            if name in PLAN_FILE_NAMES or name.startswith("."):
                continue
            shown = prefix + self._path(name)
            # Without a label the plan is one point of a trend: it needs counts, not positions.
            make = area_result if label else partial(area_result, positions=False)
            areas.append(self._result(tree, name, shown, make))
        for gone in self._cache.keys() - set(names):
            del self._cache[gone]
        return assemble(self.repo.folder, plan_path, plan, areas)

    def _path(self, name: str) -> str:
        shown = self._shown.get(name)
        if shown is None:
            shown = self._shown[name] = str(self._folder / name)
        return shown


def _folder(shown: str) -> Problem:
    return error(shown, 1, 1, "unreadable", "is a folder, not a YAML file; rename it")


def _unreadable(shown: str, code: int) -> Problem:
    """The problem the working tree gives for a file the system cannot open (`code`)."""
    return error(shown, 1, 1, "unreadable", f"cannot be read: {os.strerror(code)}")


def plan_at(
    folder: Path, rev: str, *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[LoadedPlan, Revision]:
    """The plan in `folder` as it was at revision `rev`."""
    with Repository(folder) as repo:
        revision = repo.resolve(rev)
        tree = repo.tree_at(revision.sha)
        names = plan_files(tree)
        if not names:
            raise BragError(
                f"{display_path(folder)} has no plan files at {_revision_text(rev)} "
                f"({revision.short})"
            )
        return PlanReader(repo, max_bytes=max_bytes).plan(tree, names, rev), revision


@dataclass(frozen=True, slots=True)
class Snapshot:
    revision: Revision
    plan: LoadedPlan


def since_date(since: str) -> date | None:
    """`--since` as a date when it is written as one (YYYY-MM-DD), else None (a revision).

    Raises BragError for text shaped like a date that is not one (2023-02-30).
    """
    if not _SINCE_DATE.fullmatch(since):
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise BragError(
            f"--since {excerpt(since)} is not a date; write a date as YYYY-MM-DD "
            "(2023-03-01), or give a tag, branch or commit id"
        ) from None


def history(
    folder: Path,
    *,
    since: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> Iterator[Snapshot]:
    """The plan at every commit (oldest first, first-parent history) that touched the folder.

    `since` is a date (YYYY-MM-DD): only commits made on that day or later (by their
    committer date as git shows it); or a revision: only commits after it. Dates are
    compared here, not by git, whose date parser does not know years after 2099.
    """
    with Repository(folder) as repo:
        args = [
            "log", "--first-parent", "-m", "--reverse", "--raw", "--no-renames", "--no-abbrev",
            "-z", "--format=%x01%H%x00%cs%x00%s",
        ]  # fmt: skip
        first_day = since_date(since) if since else None
        if since and first_day is None:
            try:
                start = repo.resolve(since)
            except BragError:
                raise BragError(
                    f"--since {excerpt(since)} is neither a date (YYYY-MM-DD) nor a commit in "
                    f"{repo.root}; give a date such as 2023-03-01, or a tag, branch or commit id"
                ) from None
            args.append(f"{start.sha}..HEAD")
        args += ["--", f":(top,literal){repo.prefix}" if repo.prefix else ":(top)"]
        out = repo._git(*args, check=False)
        if out is None:
            raise BragError("git log failed: does the repository have any commit yet?")
        reader = PlanReader(repo, max_bytes=max_bytes)
        commits = list(_commits(out))
        repo.learn_sizes(_new_blobs(commits, repo))
        tree: dict[str, tuple[str, str]] | None = None
        names: list[str] = []
        for sha, day, subject, changes in commits:
            when, note = commit_date(day, sha)
            if tree is None:
                tree = repo.tree_at(sha)
                names = plan_files(tree)
            elif _apply(tree, changes, repo):
                names = plan_files(tree)
            if first_day is not None and when < first_day:
                continue
            if names:
                with paused_gc():
                    plan = reader.plan(tree, names)
                yield Snapshot(Revision(sha, when, subject, sha[:12], note), plan)


def _commits(out: str) -> Iterator[tuple[str, str, str, list[str]]]:
    """(sha, date, subject, [raw change, path, ...]) for each commit of `git log -z` output.

    The output is read field by field (fields end in NUL; neither a subject nor a path can
    hold one), so a subject or file name holding the \\x01 that starts a commit, a newline or
    a colon cannot shift what follows.
    """
    fields = out.split("\0")
    i = 0
    while i < len(fields):
        start = _COMMIT.fullmatch(fields[i])
        if start is None or i + 2 >= len(fields):
            i += 1  # the empty field after the last one
            continue
        sha, day, subject = start[1], fields[i + 1], fields[i + 2]
        i += 3
        changes: list[str] = []
        while i + 1 < len(fields) and fields[i].lstrip("\n").startswith(":"):
            changes += [fields[i].lstrip("\n"), fields[i + 1]]
            i += 2
        yield sha, day, subject, changes


def _new_blobs(commits: list[tuple[str, str, str, list[str]]], repo: Repository) -> Iterator[str]:
    """The blob ids that the commits give to plan files (whose sizes will be wanted)."""
    for *_, changes in commits:
        for meta, path in zip(changes[::2], changes[1::2], strict=True):
            parts = meta.lstrip(":").split()
            name = repo.in_folder(path)
            if len(parts) >= 5 and name is not None and _is_yaml(name) and parts[3].strip("0"):
                yield parts[3]


def _apply(tree: dict[str, tuple[str, str]], changes: list[str], repo: Repository) -> bool:
    """Apply one commit's `--raw -z` changes ([meta, path, ...]) to the folder's tree; True
    when a plan file was added, removed or changed its mode (so `plan_files` may change)."""
    listed = False
    for meta, path in zip(changes[::2], changes[1::2], strict=True):
        parts = meta.lstrip(":").split()
        name = repo.in_folder(path)
        if len(parts) < 5 or name is None:
            continue
        old_mode, new_mode, new_blob, status = parts[0], parts[1], parts[3], parts[4]
        if status.startswith("D"):
            tree.pop(name, None)
        else:
            tree[name] = (new_mode, new_blob)
        listed = listed or (old_mode != new_mode and _is_yaml(name))
    return listed
