"""Reading a plan from git history: a plan at any revision, and the series of plans over time.

All git access goes through a few processes, whatever the length of the history: one
`git log --raw` lists every commit that touched the plan folder with the blobs it changed, one
`git ls-tree` gives the folder's files at the first of those commits, and one long-lived
`git cat-file --batch` hands over the blobs. A file that did not change between commits has
the same blob id, so it is read and validated once.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any

from bragcli.model import Plan
from bragcli.problems import BragError, Problem
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
from bragcli.source.yamlread import MAX_FILE_BYTES, Document, read_bytes

WORKTREE = "WORKTREE"


@dataclass(frozen=True, slots=True)
class Revision:
    sha: str
    date: date
    subject: str
    #: What the user called it (a tag, a branch, "HEAD"), for display.
    name: str

    @property
    def short(self) -> str:
        return self.sha[:12]


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
            raise BragError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
        return result.stdout.decode("utf-8", "replace")

    def resolve(self, rev: str) -> Revision:
        """The commit `rev` names (a sha, tag, branch, HEAD~2, ...)."""
        if rev.startswith("-"):
            raise BragError(f"{rev!r} is not a revision")
        out = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not out:
            raise BragError(
                f"{rev!r} is not a commit in {self.root}; give a tag, branch or commit id "
                "(see `git log --oneline`)"
            )
        sha = out.strip()
        info = self._git("log", "-1", "--format=%cs%x00%s", sha) or ""
        day, _, subject = info.rstrip("\n").partition("\x00")
        return Revision(sha, date.fromisoformat(day), subject, rev)

    def _blobs(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "-C", str(self.folder), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        return self._batch

    def blob(self, sha: str) -> bytes:
        batch = self._blobs()
        stdin: IO[bytes] | None = batch.stdin
        stdout: IO[bytes] | None = batch.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            raise BragError(f"git could not read blob {sha}")
        size = int(header[2])
        data = stdout.read(size)
        stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self._batch is not None:
            for stream in (self._batch.stdin, self._batch.stdout):
                if stream:
                    stream.close()
            self._batch.wait()
            self._batch = None

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the plan folder's files ------------------------------------------------------------

    def _in_folder(self, path: str) -> str | None:
        """The file name when `path` (from the repo root) is a YAML file directly in the folder."""
        pure = PurePosixPath(path)
        parent = "" if str(pure.parent) == "." else str(pure.parent)
        if parent != self.prefix or pure.suffix.lower() not in YAML_SUFFIXES:
            return None
        return pure.name

    def files_at(self, sha: str) -> dict[str, str]:
        """{file name: blob id} of the plan folder's YAML files at commit `sha`."""
        spec = f"{sha}:{self.prefix}" if self.prefix else f"{sha}:"
        out = self._git("ls-tree", "--full-tree", "-z", spec, check=False)
        files: dict[str, str] = {}
        for entry in (out or "").split("\0"):
            if not entry:
                continue
            meta, _, name = entry.partition("\t")
            _mode, kind, blob = meta.split()
            if kind == "blob" and PurePosixPath(name).suffix.lower() in YAML_SUFFIXES:
                files[name] = blob
        return files


class PlanReader:
    """Builds plans from blobs. Each file's result is kept with its blob id, so a file that
    did not change since the previous plan is not read or validated again; only the current
    version of each file is kept, so memory does not grow with the length of the history."""

    def __init__(self, repo: Repository, *, max_bytes: int = MAX_FILE_BYTES) -> None:
        self.repo = repo
        self.max_bytes = max_bytes
        self._cache: dict[str, tuple[str, Any]] = {}

    def _document(self, blob: str, shown: str) -> Document | Problem:
        data = self.repo.blob(blob)
        if len(data) > self.max_bytes:
            return _too_large(shown, len(data))
        return read_bytes(data, shown)

    def _result(self, name: str, blob: str, shown: str, make: Any) -> Any:
        cached = self._cache.get(name)
        if cached is None or cached[0] != blob:
            cached = self._cache[name] = (blob, make(self._document(blob, shown)))
        return cached[1]

    def plan(self, files: dict[str, str], label: str | None = None) -> LoadedPlan:
        """The plan made of `files` ({name: blob}). Paths are shown as `label`:path when a
        label (the revision) is given; results are shared only between plans without one."""
        folder_shown = Path(display_path(self.repo.folder))
        prefix = f"{label}:" if label else ""
        if label:
            self._cache.clear()
        plan_name = next((n for n in PLAN_FILE_NAMES if n in files), None)
        plan_path = f"{prefix}{folder_shown / (plan_name or 'plan.yaml')}"
        plan: Plan | list[Problem] | None = None
        if plan_name:
            plan = self._result(plan_name, files[plan_name], plan_path, plan_result)
        areas: list[AreaResult] = []
        for name in sorted(files):
            if name in PLAN_FILE_NAMES or name.startswith("."):
                continue
            shown = f"{prefix}{folder_shown / name}"
            # Without a label the plan is one point of a trend: it needs counts, not positions.
            make = area_result if label else partial(area_result, positions=False)
            areas.append(self._result(name, files[name], shown, make))
        for gone in self._cache.keys() - files.keys():
            del self._cache[gone]
        return assemble(self.repo.folder, plan_path, plan, areas)


def _too_large(shown: str, size: int) -> Problem:
    from bragcli.problems import error

    return error(
        shown, 1, 1, "file-too-large",
        f"is {size / 1_048_576:.1f} MB, over the limit for one plan file; raise it with "
        "--max-file-size",
    )  # fmt: skip


def plan_at(
    folder: Path, rev: str, *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[LoadedPlan, Revision]:
    """The plan in `folder` as it was at revision `rev`."""
    with Repository(folder) as repo:
        revision = repo.resolve(rev)
        files = repo.files_at(revision.sha)
        if not files:
            raise BragError(f"{display_path(folder)} has no plan files at {rev} ({revision.short})")
        return PlanReader(repo, max_bytes=max_bytes).plan(files, rev), revision


@dataclass(frozen=True, slots=True)
class Snapshot:
    revision: Revision
    plan: LoadedPlan


def history(
    folder: Path,
    *,
    since: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> Iterator[Snapshot]:
    """The plan at every commit (oldest first, first-parent history) that touched the folder.

    `since` is a date (YYYY-MM-DD) or a revision: only commits after it.
    """
    with Repository(folder) as repo:
        args = [
            "log", "--first-parent", "-m", "--reverse", "--raw", "--no-renames", "--no-abbrev",
            "-z", "--format=%x01%H%x00%cs%x00%s",
        ]  # fmt: skip
        if since:
            try:
                date.fromisoformat(since)
                args.append(f"--since={since}T00:00:00")
            except ValueError:
                args.append(f"{repo.resolve(since).sha}..HEAD")
        args += ["--", f":(top){repo.prefix}"]
        out = repo._git(*args, check=False)
        if out is None:
            raise BragError("git log failed: does the repository have any commit yet?")
        reader = PlanReader(repo, max_bytes=max_bytes)
        files: dict[str, str] | None = None
        for record in out.split("\x01")[1:]:
            header, _, raw = record.partition("\n")
            sha, day, subject = header.rstrip("\x00").split("\x00", 2)
            revision = Revision(sha, date.fromisoformat(day), subject, sha[:12])
            if files is None:
                files = repo.files_at(sha)
            else:
                _apply(files, raw, repo)
            if files:
                with paused_gc():
                    plan = reader.plan(files)
                yield Snapshot(revision, plan)


def _apply(files: dict[str, str], raw: str, repo: Repository) -> None:
    """Apply one commit's `--raw -z` changes to {name: blob}."""
    fields = [f for f in raw.strip("\n\x00").split("\x00") if f]
    i = 0
    while i + 1 < len(fields):
        meta, path = fields[i], fields[i + 1]
        i += 2
        parts = meta.lstrip(":").split()
        if len(parts) < 5:
            continue
        new_blob, status = parts[3], parts[4]
        name = repo._in_folder(path)
        if name is None:
            continue
        if status.startswith("D"):
            files.pop(name, None)
        else:
            files[name] = new_blob
