"""Where a plan's files come from: the working tree, or a commit of its git repository.

A source lists the plan files directly in its folder (`names`) and opens each one (`open`) to
its bytes, or to the problem that stops it being read. The rules are the same for every source,
and are written here once:

* a plan file's name ends in .yaml or .yml and does not start with '.' (`not_a_plan_file`);
* a file over the size cap is refused unread (`file-too-large`);
* a symbolic link is followed only to a file inside the plan folder, and is judged by where it
  points, whether or not that exists (`outside-plan-folder`, unread); a link that cannot be
  followed (dangling, a loop), a folder, or anything but a regular file is `unreadable`.

In git, a blob's size is asked of git before the blob is read, and links are resolved as text
in the commit's tree, never on disk. A file in git is known by its blob id before it is read
(`File.key`), so a loader can keep what it made of a file that did not change.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from bragcli.problems import BragError, Problem, error
from bragcli.safetext import display_path, excerpt, visible
from bragcli.source.yamlread import MAX_FILE_BYTES, Document, read_bytes

if TYPE_CHECKING:
    from bragcli.source.git import Repository, Revision, Tree

PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")
YAML_SUFFIXES = (".yaml", ".yml")

#: git's modes for a symbolic link, for the files it can hold (plain and executable), and for
#: a submodule (a folder in the working tree)
_LINK = "120000"
_FILES = ("100644", "100755", "100664")
#: longest link target followed (Linux's PATH_MAX), and most links followed in a chain
_MAX_TARGET = 4096
_MAX_LINKS = 40


def not_a_plan_file(name: str) -> str | None:
    """Why a file of this name is not part of a plan (None when it is one).

    Every source skips such files in a plan folder; `brag check` refuses them when named.
    Plain text operations (as `Path.suffix` sees a name: ".yaml" alone has no suffix): in a
    history this runs for every file a commit changes.
    """
    if name.startswith("."):
        return (
            "not a plan file: hidden (bragcli skips files whose name starts with '.'); "
            "rename it without the dot to make it part of the plan"
        )
    dot = name.rfind(".")
    if dot <= 0 or name[dot:].lower() not in YAML_SUFFIXES:
        return "not a plan file: not a .yaml file (plan files end in .yaml or .yml)"
    return None


def plan_file_names(names: Iterable[str]) -> list[str]:
    """The plan files among the names of a folder's entries, sorted."""
    return sorted(name for name in names if not_a_plan_file(name) is None)


def _joiner(folder: str, label: str) -> str:
    """What goes before a file's name to show it: the label (a revision) and the folder as
    `display_path` gives it (`str(Path(folder) / name)`, as plain text: this runs for every
    file of every commit of a history)."""
    prefix = f"{label}:" if label else ""
    if folder == ".":
        return prefix
    return prefix + (folder if folder.endswith("/") else folder + "/")


# --- the problems a source gives -------------------------------------------------------------


def too_large(shown: str, size: int, max_bytes: int) -> Problem:
    """The problem of a file (or a blob in git) over the size cap, which is not read."""
    return error(
        shown, 1, 1, "file-too-large",
        f"is {_size(size)}, over the {_size(max_bytes)} limit for one plan file; "
        "split the area, or raise the limit with --max-file-size",
    )  # fmt: skip


def outside_plan_folder(shown: str, name: str) -> Problem:
    """The problem for a plan file that is a symbolic link leading out of the plan folder."""
    return error(
        shown, 1, 1, "outside-plan-folder",
        f"{visible(name)} is a symbolic link to a file outside the plan folder; it is not read "
        "(copy the file into the plan folder instead)",
    )  # fmt: skip


def _folder(shown: str) -> Problem:
    return error(shown, 1, 1, "unreadable", "is a folder, not a YAML file; rename it")


def _unreadable(shown: str, reason: str) -> Problem:
    return error(shown, 1, 1, "unreadable", f"cannot be read: {reason}")


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 104_858 else f"{n / 1024:.1f} KB"


# --- a source ----------------------------------------------------------------------------------


class File(NamedTuple):
    """A plan file that can be read: `read()` gives its bytes, or the problem met reading them."""

    #: What names its content before it is read: the git blob id; None in the working tree,
    #: which is read every time.
    key: str | None
    read: Callable[[], bytes | Problem]


class Source(Protocol):
    """A plan folder's files, from wherever they are."""

    @property
    def folder(self) -> Path: ...

    def names(self) -> list[str]:
        """The plan files directly in the folder, sorted (raises BragError when there is no
        folder to list)."""
        ...

    def shown(self, name: str) -> str:
        """How the file `name` is shown in messages."""
        ...

    def open(self, name: str, shown: str) -> File | Problem:
        """The file `name` (one of `names`), or the problem that stops it being read."""
        ...


def file_bytes(path: Path, shown: str, max_bytes: int = MAX_FILE_BYTES) -> bytes | Problem:
    """The bytes of the file at `path` (shown to users as `shown`), or why it cannot be read.

    Only a regular file within the size cap is opened: a FIFO, socket or device would block
    or never end, and a file over the cap is refused before it is read.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return _folder(shown)
        if not stat.S_ISREG(info.st_mode):
            return error(shown, 1, 1, "unreadable", "is not a regular file; remove it")
        if info.st_size > max_bytes:
            return too_large(shown, info.st_size, max_bytes)
        return path.read_bytes()
    except OSError as e:
        return _unreadable(shown, e.strerror or str(e))


def document(file: File | Problem, shown: str, *, positions: bool = True) -> Document | Problem:
    """The YAML document in an opened file (`Source.open`), or the problem met opening,
    reading or parsing it (`positions`: see `yamlread.read_bytes`)."""
    if isinstance(file, Problem):
        return file
    data = file.read()
    return data if isinstance(data, Problem) else read_bytes(data, shown, positions=positions)


def read_file(path: Path, shown: str, *, max_bytes: int = MAX_FILE_BYTES) -> Document | Problem:
    """The YAML document in the file at `path`, or the one problem that stops it being read."""
    raw = file_bytes(path, shown, max_bytes)
    return raw if isinstance(raw, Problem) else read_bytes(raw, shown)


class WorkTree:
    """The plan folder on disk."""

    def __init__(self, folder: Path, *, max_bytes: int = MAX_FILE_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._before = _joiner(display_path(folder), "")
        self._real: Path | None = None

    def names(self) -> list[str]:
        folder = self.folder
        shown = visible(str(folder))
        try:
            if not folder.exists():
                raise BragError(f"{shown}: no such folder")
            if not folder.is_dir():
                raise BragError(f"{shown}: not a folder; give the plan folder that holds plan.yaml")
            return plan_file_names(os.listdir(folder))
        except OSError as e:
            raise BragError(f"{shown}: cannot be read: {e.strerror or e}") from e

    def shown(self, name: str) -> str:
        return self._before + name

    def sizes(self, names: list[str]) -> list[int]:
        """The size in bytes of each file (0 where it cannot be told): a weight, to share the
        reading between processes, and no check (`open` makes those)."""
        folder = self.folder
        found = []
        for name in names:
            try:
                found.append(os.stat(folder / name).st_size)
            except OSError:
                found.append(0)
        return found

    def open(self, name: str, shown: str) -> File | Problem:
        """A symbolic link is followed only when it ends inside the plan folder: one that leads
        out (`02.yaml -> /etc/shadow`) is refused unread, so no line of another file can reach
        an error message or a CI log. What is read is the checked target, not the link again.
        A dangling link inside the folder, or a loop, is reported by `file_bytes`."""
        path = self.folder / name
        if path.is_symlink():
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
                pass
            else:
                if self._real is None:
                    self._real = self.folder.resolve()
                if not target.is_relative_to(self._real):
                    return outside_plan_folder(shown, name)
                path = target
        return File(None, partial(file_bytes, path, shown, self.max_bytes))


class GitRev:
    """The plan folder as it is in one commit of its repository."""

    def __init__(
        self,
        repo: Repository,
        sha: str,
        *,
        label: str = "",
        max_bytes: int = MAX_FILE_BYTES,
        tree: Tree | None = None,
        names: list[str] | None = None,
    ) -> None:
        """`label` (the revision as the user gave it) comes before each path shown, as
        `HEAD:plans/01.yaml`. A history hands over the `tree` (and its `names`) it keeps up to
        date from commit to commit, so that git is not asked again."""
        self.repo = repo
        self.sha = sha
        self.label = label
        self.max_bytes = max_bytes
        self._tree = tree
        self._names = names
        self._before = _joiner(repo.shown, label)

    @property
    def folder(self) -> Path:
        return self.repo.folder

    def move(self, sha: str, names: list[str]) -> None:
        """Be the folder at commit `sha`, whose tree (handed over) now lists `names`."""
        self.sha, self._names = sha, names

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = self.repo.tree_at(self.sha)
        return self._tree

    def names(self) -> list[str]:
        if self._names is None:
            if not self.tree:
                at = f"{visible(self.label)} ({self.sha[:12]})" if self.label else self.sha[:12]
                raise BragError(f"{visible(self.repo.shown)}: no such folder at {at}")
            self._names = folder_names(self.tree)
        return self._names

    def shown(self, name: str) -> str:
        return self._before + name

    def open(self, name: str, shown: str) -> File | Problem:
        blob = self._follow(name, shown)
        if isinstance(blob, Problem):
            return blob
        return File(blob, partial(self._read, blob, shown))

    def _read(self, blob: str, shown: str) -> bytes | Problem:
        size = self.repo.size(blob)
        if size > self.max_bytes:
            return too_large(shown, size, self.max_bytes)  # never read
        return self.repo.blob(blob)

    def _follow(self, name: str, shown: str) -> str | Problem:
        """The blob to read for `name`: its own, or for a symbolic link the blob of the file
        it leads to in the same tree (each link in a chain resolved from its own folder), or
        the problem that stops it being read, as the working tree would give it."""
        tree = self._tree if self._tree is not None else self.tree
        path = name
        for _ in range(_MAX_LINKS):
            entry = tree.get(path)
            if entry is None:  # only the files of a subfolder are listed
                return _folder(shown)
            mode, blob = entry
            if mode in _FILES:
                return blob
            if mode != _LINK:  # a submodule: a folder in the working tree
                return _folder(shown)
            if self.repo.size(blob) >= _MAX_TARGET:
                return _unreadable(shown, os.strerror(errno.ENAMETOOLONG))
            target = self.repo.blob(blob).decode("utf-8", "replace")
            found = self._inside(posixpath.join(posixpath.dirname(path), target), target)
            if found is None:
                return outside_plan_folder(shown, name)
            if found not in tree:
                if found == "" or any(p.startswith(found + "/") for p in tree):
                    return _folder(shown)
                return _unreadable(shown, os.strerror(errno.ENOENT))
            path = found
        return _unreadable(shown, os.strerror(errno.ELOOP))

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


def folder_names(tree: Tree) -> list[str]:
    """The plan files directly in a tree's folder: its files and links, and its subfolders
    (listed by their files in git), which the working tree would list too."""
    return plan_file_names({path.partition("/")[0] for path in tree})


def _lists_a_plan_file(path: str) -> bool:
    """Whether `path` (in the plan folder) is, or is inside, an entry of the folder that is
    listed as a plan file."""
    return not_a_plan_file(path.partition("/")[0]) is None


class History:
    """The plan folder at every commit that touched it (oldest first, first-parent history)
    that holds plan files, as (Revision, GitRev) pairs (`between`): all of them, or a stretch,
    so that the stretches of a long history can be read side by side.

    `since` is a date (`git.since_date`): only commits made on that day or later (by their
    committer date as git shows it); or a revision: only commits after it. Dates are
    compared here, not by git, whose date parser does not know years after 2099.

    One `git log` gives every commit with the files it changed; the folder's tree is read
    once, at the first commit, and then kept up to date from the changes, so each commit
    costs no git process. The sizes of the plan files' blobs are asked of git in one go.
    The same `GitRev` is handed over each time, moved on to the next commit: use it before
    asking for the next one.
    """

    def __init__(
        self, repo: Repository, *, since: str | None = None, max_bytes: int = MAX_FILE_BYTES
    ) -> None:
        from bragcli.source.git import since_date

        self.repo = repo
        self.max_bytes = max_bytes
        self._first_day = since_date(since) if since else None
        after = None
        if since and self._first_day is None:
            try:
                after = repo.resolve(since).sha
            except BragError:
                raise BragError(
                    f"--since {excerpt(since)} is neither a date nor a commit in {repo.root}; "
                    "give a date such as 2023-03-01 or 01/03/2023, or a tag, branch or commit id"
                ) from None
        self._commits = repo.folder_log(after)
        repo.learn_sizes(
            change.blob
            for _, changes in self._commits
            for change in changes
            if not change.deleted and _lists_a_plan_file(change.name)
        )
        self._first_tree: Tree | None = None

    def between(self, start: int, stop: int | None) -> Iterator[tuple[Revision, GitRev]]:
        """The commits from the `start`th to before the `stop`th (None: to the last), counted
        from 0 as `revisions` lists them."""
        source: GitRev | None = None
        for index, (revision, tree, names) in enumerate(self._walk()):
            if stop is not None and index >= stop:
                return
            if index < start:
                continue
            if source is None:
                source = GitRev(
                    self.repo, revision.sha, max_bytes=self.max_bytes, tree=tree, names=names
                )
            source.move(revision.sha, names)
            yield revision, source

    def revisions(self) -> list[Revision]:
        """Every commit of the history, without reading any file."""
        return [revision for revision, _, _ in self._walk()]

    def read_sizes(self) -> list[int]:
        """For each commit of `revisions`, about how many bytes of plan files a loader reads
        there that it had not read at the commit before: all of them at the first, then the
        files whose blob changed (known sizes only; no git process is started)."""
        sizes = []
        last: dict[str, str] = {}
        for _, tree, names in self._walk():
            read = 0
            for name in names:
                entry = tree.get(name)
                if entry is not None and last.get(name) != entry[1]:
                    read += self.repo.known_size(entry[1]) or 0
                    last[name] = entry[1]
            sizes.append(read)
        return sizes

    def _walk(self) -> Iterator[tuple[Revision, Tree, list[str]]]:
        """Each commit of the history, with the folder's tree and plan files as that commit
        left them (one tree for the walk, changed in place from one commit to the next)."""
        tree: Tree | None = None
        names: list[str] = []
        for revision, changes in self._commits:
            if tree is None:
                if self._first_tree is None:
                    self._first_tree = self.repo.tree_at(revision.sha)
                tree = dict(self._first_tree)
                names = folder_names(tree)
            else:
                listed = False
                for change in changes:
                    if change.deleted:
                        tree.pop(change.name, None)
                    else:
                        tree[change.name] = (change.new_mode, change.blob)
                    if change.old_mode != change.new_mode and _lists_a_plan_file(change.name):
                        listed = True
                if listed:
                    names = folder_names(tree)
            if self._first_day is not None and revision.date < self._first_day:
                continue
            if names:
                yield revision, tree, names
