"""The git repository that holds a plan folder: the one place bragcli runs git.

`Repository` is the only wrapper; everything is asked through its public methods. It knows
commits, trees and blobs, not plans: which files are plan files, and how they are read, is
`files.py`'s business.

All git access goes through a few processes, whatever the length of the history: one
`git log --raw` lists every commit that touched the plan folder with the blobs it changed
(`folder_log`), one `git ls-tree` gives the folder's files at a commit (`tree_at`), and two
long-lived `git cat-file` processes give each blob's size (`--batch-check`) and then, when it
is within the size cap, its content (`--batch`). (A long history is read in stretches by
processes forked before any of these is started, each with a pair of its own: `running`.)

Git gives everything here as it was committed, so a hostile repository's file names, dates and
subjects are parsed with care: a name is never taken as an option, a date beyond what Python
can hold is clamped with a note.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, NamedTuple

from bragcli.deadlines import parse_date
from bragcli.problems import BragError
from bragcli.safetext import display_path, excerpt, visible

WORKTREE = "WORKTREE"

#: a commit date as `%cs` gives it; git writes years after 9999 in full
_DAY = re.compile(r"(\d{4,})-(\d\d)-(\d\d)")
#: the start of one commit in `git log --format=%x01%H...` output (sha-1 or sha-256 ids)
_COMMIT = re.compile(r"\n?\x01([0-9a-f]{40}|[0-9a-f]{64})")
#: --since text shaped like a date (digits with - / . between them): a date, or a mistake
_SINCE_DATE = re.compile(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}", re.ASCII)

#: A tree: {path in the plan folder: (mode, object id)}, subfolders included.
Tree = dict[str, tuple[str, str]]


class Revision(NamedTuple):
    """A commit a plan was read at."""

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


class Commit(NamedTuple):
    """The commit the working tree's plan was read from, so a published report can be traced."""

    sha: str
    #: committer date, YYYY-MM-DD as git shows it (the year can be 10000 or more)
    date: str
    #: True when the plan folder has changes not yet committed: the report is not reproducible.
    dirty: bool

    @property
    def short(self) -> str:
        return self.sha[:12]

    def __str__(self) -> str:
        return f"{self.short}{' with uncommitted changes' if self.dirty else ''} ({self.date})"


class FileChange(NamedTuple):
    """One file of the plan folder that a commit added, changed or deleted."""

    #: its path in the plan folder
    name: str
    old_mode: str
    new_mode: str
    #: its new object id (zeros when deleted)
    blob: str
    deleted: bool


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


def since_date(since: str) -> date | None:
    """`--since` as a date when it is written as one (by `deadlines.parse_date`: 2023-03-01,
    01/03/2023, 1 March 2023), else None (a revision).

    Raises BragError for text shaped like a date that is not one (2023-02-30, 31/02/23).
    """
    try:
        return parse_date(since)
    except ValueError as e:
        if not _SINCE_DATE.fullmatch(since.strip()):
            return None
        raise BragError(
            f"--since {excerpt(since)} {e}; or give a tag, branch or commit id"
        ) from None


def revision_text(rev: str) -> str:
    """A revision as the user gave it, for a message: short and escaped."""
    return excerpt(rev, 60)


def commit_of(folder: Path) -> Commit | None:
    """The HEAD commit of the repository holding `folder`, or None outside git (or no git)."""
    try:
        with Repository(folder) as repo:
            return repo.head_commit()
    except BragError:
        return None


class Repository:
    """The git repository that holds a plan folder."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise BragError(f"{visible(str(folder))}: no such folder")
        self.folder = folder
        #: the plan folder as messages show it
        self.shown = display_path(folder)
        found = self._git("rev-parse", "--show-toplevel", "--show-prefix", check=False)
        if found is None:
            raise BragError(
                f"{self.shown} is not in a git repository, so there is no history to read; run "
                "`git init` and commit the plan, or leave out the revision"
            )
        top, _, prefix = found.partition("\n")
        self.root = Path(top)
        #: The plan folder relative to the repository root, as git writes paths ("" at the top).
        self.prefix = prefix.strip().rstrip("/")
        self._batch: subprocess.Popen[bytes] | None = None
        self._check: subprocess.Popen[bytes] | None = None
        #: blob sizes already known (from `ls-tree -l` or asked in bulk)
        self._sizes: dict[str, int] = {}

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for process in (self._batch, self._check):
            if process is not None:
                for stream in (process.stdin, process.stdout):
                    if stream:
                        stream.close()
                process.wait()
        self._batch = self._check = None

    @property
    def running(self) -> bool:
        """Whether a long-lived git process of this repository is running (`size`, `blob`)."""
        return self._batch is not None or self._check is not None

    # --- commits ------------------------------------------------------------------------------

    def resolve(self, rev: str) -> Revision:
        """The commit `rev` names (a sha, tag, branch, HEAD~2, ...).

        `rev` comes from the user: one that starts with '-' is refused before git sees it, so
        it can never be taken as an option (`--output=x`); it is passed as one argument.
        """
        if rev.startswith("-") or not rev:
            raise BragError(
                f"{revision_text(rev)} is not a revision: give a tag, branch or commit id "
                "(a revision never starts with '-')"
            )
        out = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not out:
            raise BragError(
                f"{revision_text(rev)} is not a commit in {self.root}; give a tag, branch or "
                "commit id (see `git log --oneline`)"
            )
        sha = out.strip()
        info = self._git("log", "-1", "--format=%cs%x00%s", sha) or ""
        day, _, subject = info.rstrip("\n").partition("\x00")
        when, note = commit_date(day, sha)
        return Revision(sha, when, subject, rev, note)

    def latest_tag(self, prefix: str, before: str) -> str | None:
        """The newest tag whose name starts with `prefix` (plain text: no pattern) on a commit
        that is an ancestor of `before` (a sha) and not `before` itself; None if there is none.
        """
        out = self._git(
            "for-each-ref", f"--merged={before}", "--sort=-creatordate",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)", "refs/tags",
            check=False,
        )  # fmt: skip
        for line in (out or "").splitlines():
            name, _, rest = line.partition("\x00")
            target, _, peeled = rest.partition("\x00")
            if name.startswith(prefix) and (peeled or target) != before:
                return name
        return None

    def head_commit(self) -> Commit | None:
        """HEAD, and whether the plan folder has changes not committed (None: no commit yet)."""
        head = self._git("log", "-1", "--format=%H%x00%cs", check=False)
        sha, _, day = (head or "").strip().partition("\x00")
        if not sha:
            return None
        if not _DAY.fullmatch(day):  # git stores any date it is given, and shows some as ""
            day = "an unknown date"
        status = self._git("status", "--porcelain", "--", ".", check=False)
        return Commit(sha=sha, date=day, dirty=bool(status and status.strip()))

    def folder_log(self, after: str | None = None) -> list[tuple[Revision, list[FileChange]]]:
        """Every commit that touched the plan folder, oldest first (first-parent history), with
        the folder's files it changed; only those after commit `after` when given."""
        args = [
            "log", "--first-parent", "-m", "--reverse", "--raw", "--no-renames", "--no-abbrev",
            "-z", "--format=%x01%H%x00%cs%x00%s",
        ]  # fmt: skip
        if after is not None:
            args.append(f"{after}..HEAD")
        args += ["--", f":(top,literal){self.prefix}" if self.prefix else ":(top)"]
        out = self._git(*args, check=False)
        if out is None:
            raise BragError("git log failed: does the repository have any commit yet?")
        commits = []
        for sha, day, subject, raw in _log_fields(out):
            when, note = commit_date(day, sha)
            changes = []
            for meta, path in zip(raw[::2], raw[1::2], strict=True):
                parts = meta.lstrip(":").split()
                name = self.in_folder(path)
                if len(parts) >= 5 and name is not None:
                    old_mode, new_mode, blob, status = parts[0], parts[1], parts[3], parts[4]
                    changes.append(
                        FileChange(name, old_mode, new_mode, blob, status.startswith("D"))
                    )
            commits.append((Revision(sha, when, subject, sha[:12], note), changes))
        return commits

    # --- trees and blobs ----------------------------------------------------------------------

    def in_folder(self, path: str) -> str | None:
        """`path` (from the repository root) relative to the plan folder, or None outside it."""
        if not self.prefix:
            return path
        if path.startswith(self.prefix + "/"):
            return path[len(self.prefix) + 1 :]
        return None

    def tree_at(self, sha: str) -> Tree:
        """{path in the plan folder: (mode, object id)} for everything in it at commit `sha`,
        subfolders included (a symbolic link may point into one); empty when the folder is not
        in that commit."""
        spec = f"{sha}:{self.prefix}" if self.prefix else f"{sha}:"
        out = self._git("ls-tree", "--full-tree", "-r", "-l", "-z", spec, check=False)
        tree: Tree = {}
        for entry in (out or "").split("\0"):
            meta, tab, path = entry.partition("\t")
            parts = meta.split()  # mode, type, object id, size ("-" for a submodule)
            if tab and len(parts) == 4:
                tree[path] = (parts[0], parts[2])
                if parts[3].isdigit():
                    self._sizes[parts[2]] = int(parts[3])
        return tree

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

    def known_size(self, sha: str) -> int | None:
        """The size of blob `sha` when git has already given it (None otherwise)."""
        return self._sizes.get(sha)

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

    # --- plumbing -----------------------------------------------------------------------------

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


def _log_fields(out: str) -> Iterator[tuple[str, str, str, list[str]]]:
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
