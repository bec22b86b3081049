"""Writing output files: one place decides whether a file may be written, and writes it whole.

bragcli promises never to change a plan file. Every file a command writes goes through here:
`report -o`, `export -o`, `schema -o`, `trend --chart`, the GitHub job summary, and the plan
files `brag import` writes; `-o -` is standard output (`write_result`). The rules:

* no output is written inside a plan folder (the folder given to the command, a folder that
  holds plan.yaml, with both paths resolved so a symbolic link into one counts), nor over an
  existing file that reads as a plan file (a mapping with plan.yaml's keys, or an area);
* a file is written to a temporary file in the same folder and then renamed over the target,
  so a failure (full disk, killed process) never leaves half a file; devices such as
  /dev/null are written directly;
* the plan files of `brag import` are never written through a symbolic link, and are written
  all or none;
* every operating-system error becomes a one-line message that says what to do;
* `-o -` writes to standard output, never to a file named `-`, and never binary data (xlsx)
  to a terminal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from bragcli.model import Area, Plan
from bragcli.problems import BragError
from bragcli.safetext import display_path, visible
from bragcli.source.files import PLAN_FILE_NAMES, YAML_SUFFIXES, read_file
from bragcli.source.yamlread import MAX_FILE_BYTES, Document
from bragcli.terminal import is_terminal

__all__ = [
    "STDOUT",
    "append_text",
    "is_stdout",
    "refuse_unsafe",
    "write_bytes",
    "write_plan_files",
    "write_text",
]

PLAN_KEYS = frozenset(Plan.model_fields)
AREA_KEYS = frozenset(Area.model_fields)

_DEFAULT_HINT = "choose a file outside the plan folder, e.g. -o report.md"


def _shown(path: Path) -> str:
    return visible(display_path(path))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _plan_folders(paths: Sequence[Path]) -> list[Path]:
    """The plan folders named by a command's plan paths (a file stands for its folder)."""
    folders = []
    for path in paths:
        folder = path.parent if path.is_file() else path
        folders.append(Path(os.path.abspath(folder)))
        folders.append(_real(folder))
    return folders


def _holds_plan_file(folder: Path) -> str | None:
    for name in PLAN_FILE_NAMES:
        if os.path.lexists(folder / name):
            return name
    return None


def plan_file_kind(data: Any) -> str | None:
    """'plan.yaml' or 'an area file' when `data` (a file's YAML) reads as one, else None."""
    if not isinstance(data, dict):
        return None
    keys = {k for k in data if isinstance(k, str) and not k.startswith("x-")}
    if "actions" in keys:
        return "an area file"
    if "organisation" in keys or ("title" in keys and keys <= PLAN_KEYS):
        return "plan.yaml"
    if "id" in keys and keys <= AREA_KEYS:
        return "an area file"
    return None


def _existing_plan_file(path: Path) -> str | None:
    """What plan file `path` is, if it exists and reads as one (a file over the size limit
    does not load, so it is not one)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES or info.st_size == 0:
        return None
    doc = read_file(path, str(path))
    return plan_file_kind(doc.data) if isinstance(doc, Document) else None


def refuse_unsafe(
    path: Path, plan_paths: Sequence[Path] = (), *, hint: str = _DEFAULT_HINT
) -> None:
    """Raise BragError when `path` must not be written: inside a plan folder (one of
    `plan_paths`, or any folder holding plan.yaml), or an existing plan file."""
    absolute = Path(os.path.abspath(path))
    real = _real(path)
    shown = _shown(path)
    folders = _plan_folders(plan_paths)
    for folder in folders:
        if _inside(absolute, folder):
            raise BragError(
                f"{shown} is inside the plan folder {_shown(folder)}: bragcli never writes "
                f"output there (it would replace a plan file or be read as one); {hint}"
            )
    for folder in folders:
        if _inside(real, folder):
            raise BragError(
                f"{shown} leads into the plan folder {_shown(folder)} through a symbolic link "
                f"(to {_shown(real)}): bragcli never writes output there; {hint}"
            )
    for folder in {absolute.parent, real.parent}:
        name = _holds_plan_file(folder)
        if name is not None:
            raise BragError(
                f"{shown} is in a plan folder ({_shown(folder)} holds {name}): bragcli never "
                f"writes output there (it would replace a plan file or be read as one); {hint}"
            )
    kind = _existing_plan_file(path)
    if kind is not None:
        raise BragError(
            f"{shown} reads as a plan file ({kind}): bragcli never writes over a plan file; "
            f"{hint.replace('outside the plan folder', 'that is not a plan file')}"
        )


def _reason(e: OSError, path: Path) -> str:
    """Why writing `path` failed, in words, with what to do."""
    parent = path.parent
    code = e.errno
    if code in {errno.ENOENT, errno.ENOTDIR}:
        ancestor = parent
        while not os.path.lexists(ancestor) and ancestor.parent != ancestor:
            ancestor = ancestor.parent
        if not os.path.isdir(ancestor):
            return f"{_shown(ancestor)} is not a folder; choose a file in a folder"
        if not parent.is_dir():
            return (
                f"folder {_shown(parent)} does not exist; create it first, or choose another file"
            )
        return f"files cannot be created in {_shown(parent)} ({e.strerror or e})"
    if code in {errno.EACCES, errno.EPERM}:
        return f"permission denied in {_shown(parent)}; choose a folder you can write to"
    if code == errno.EROFS:
        return f"{_shown(parent)} is on a read-only file system; choose another folder"
    if code == errno.ENOSPC:
        return "no space left on the device"
    if code == errno.EISDIR:
        return "it is a folder; give a file name"
    if code == errno.ENXIO:
        return "it is a pipe that nothing reads"
    return str(e.strerror or e)


def _cannot(path: Path, e: OSError) -> BragError:
    return BragError(f"cannot write {_shown(path)}: {_reason(e, path)}")


def _open_device(path: Path, flags: int) -> int:
    """Open a device or pipe for writing without blocking on a pipe that nothing reads."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # a pipe with no reader: ENXIO, not a hang
    fd = os.open(path, flags | os.O_WRONLY | nonblocking, 0o666)
    if nonblocking:
        os.set_blocking(fd, True)
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_temporary(target: Path, data: bytes, mode: int | None, group: int | None = None) -> Path:
    """`data` in a new hidden file in `target`'s folder (the loader ignores hidden files),
    flushed to disk, with permission bits `mode` and owning `group` where given (a group the
    user is not in is left as the system gives it); nothing is left behind on failure."""
    for _ in range(100):
        temp = target.parent / f".{target.name[:80]}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 random names all taken
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
    try:
        try:
            if group is not None and hasattr(os, "fchown"):
                with contextlib.suppress(OSError):  # not a group of this user: best effort
                    os.fchown(fd, -1, group)
            if mode is not None:
                os.fchmod(fd, mode)  # after the group: chown may clear setgid
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _write_replacing(real: Path, data: bytes, mode: int | None) -> None:
    temp = _write_temporary(real, data, mode)
    try:
        os.replace(temp, real)
    except BaseException:
        _remove(temp)
        raise


def write_bytes(
    path: Path, data: bytes, plan_paths: Sequence[Path] = (), *, hint: str = _DEFAULT_HINT
) -> None:
    """Write `data` to `path` whole (or not at all), refusing plan folders and plan files.

    A symbolic link is followed (the file it names is replaced, the link stays); a device
    such as /dev/null is written directly.
    """
    refuse_unsafe(path, plan_paths, hint=hint)
    try:
        try:
            info: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise BragError(f"cannot write {_shown(path)}: it is a folder; give a file name")
        if info is not None and not stat.S_ISREG(info.st_mode):
            # /dev/null, /dev/stdout (whose link target may be a pipe with no path), a FIFO
            fd = _open_device(path, os.O_TRUNC)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
            return
        mode = stat.S_IMODE(info.st_mode) if info is not None else None
        _write_replacing(_real(path), data, mode)  # the file a link names; the link stays
    except OSError as e:
        raise _cannot(path, e) from e


def write_text(
    path: Path, text: str, plan_paths: Sequence[Path] = (), *, hint: str = _DEFAULT_HINT
) -> None:
    """`write_bytes` of UTF-8 text."""
    write_bytes(path, text.encode("utf-8"), plan_paths, hint=hint)


#: `-o -`: standard output, as for most command-line tools (a file named "-" is `./-` given
#: as an absolute path, e.g. "$PWD/-")
STDOUT = "-"


def is_stdout(path: Path | None) -> bool:
    """Whether an `-o` value names standard output."""
    return path is not None and str(path) == STDOUT


def write_result(
    path: Path,
    data: bytes,
    out: TextIO,
    plan_paths: Sequence[Path] = (),
    *,
    hint: str = _DEFAULT_HINT,
    binary: str | None = None,
) -> bool:
    """Write a command's result to `path`, or to `out` when `path` is `-`; True when a file
    was written (the caller then says so on standard error).

    `binary` names a binary format (xlsx): it is refused when `out` is a terminal, where it
    would show as garbage and could leave the terminal in a strange state.
    """
    if not is_stdout(path):
        write_bytes(path, data, plan_paths, hint=hint)
        return True
    if binary is None:
        out.write(data.decode("utf-8"))
        return False
    if is_terminal(out):
        raise BragError(
            f"{binary} is a binary format and standard output is a terminal; redirect it to "
            f"a file (> plan.{binary}) or write it with -o FILE.{binary}"
        )
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        raise BragError(f"{binary} cannot be written to this standard output; use -o FILE.{binary}")
    buffer.write(data)
    buffer.flush()
    return False


def append_text(path: Path, text: str, plan_paths: Sequence[Path] = (), *, hint: str) -> None:
    """Append UTF-8 text to `path` (created if missing), refusing plan folders and plan files.

    Used for the GitHub job summary, which other steps append to as well.
    """
    refuse_unsafe(path, plan_paths, hint=hint)
    try:
        if path.is_dir():
            raise BragError(f"cannot write {_shown(path)}: it is a folder, not a file")
        fd = _open_device(path, os.O_APPEND | os.O_CREAT)
        try:
            _write_all(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as e:
        raise _cannot(path, e) from e


def append_step_summary(
    markdown: str, err: TextIO, plan_paths: Sequence[Path], command: str
) -> None:
    """Add to the GitHub Actions job summary when running there (GITHUB_STEP_SUMMARY).

    The summary is an extra: when it cannot be written (it names a plan file or a folder, its
    folder is missing, the disk is full) the command warns on one line and its exit code still
    follows its findings.
    """
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    hint = "point GITHUB_STEP_SUMMARY at a file outside the plan folder, or unset it"
    try:
        append_text(Path(target), markdown.rstrip("\n") + "\n\n", plan_paths, hint=hint)
    except BragError as e:
        err.write(f"brag {command}: warning: the job summary was not written: {e}\n")


def _check_plan_file_name(name: str) -> None:
    if (
        not name
        or name != os.path.basename(name)
        or "\\" in name
        or name.startswith(".")
        or not name.endswith(YAML_SUFFIXES)
    ):
        raise BragError(f"{visible(name)!r} is not a safe name for a plan file")


def write_plan_files(folder: Path, files: Mapping[str, bytes], *, replace: bool) -> list[Path]:
    """Write plan files (name -> bytes) into `folder`: all of them or, on any failure, none.

    Never writes through a symbolic link, never onto something that is not a regular file,
    and replaces an existing file only when `replace`, keeping its permission bits (0640
    stays 0640) and, where the user may, its group. Returns the paths written.
    """
    for name in files:
        _check_plan_file_name(name)
    if os.path.lexists(folder) and not folder.is_dir():
        raise BragError(
            f"{_shown(folder)} is not a folder: give -o the folder to write the plan into"
        )
    targets = [folder / name for name in files]
    kept: dict[Path, os.stat_result] = {}  # what each file replaced was: its mode, its group
    for target in targets:
        if target.is_symlink():
            raise BragError(
                f"{_shown(target)} is a symbolic link (to {visible(os.readlink(target))}): "
                "bragcli never writes a plan file through a link; remove the link, or import "
                "into another folder"
            )
        if os.path.lexists(target):
            if not target.is_file():
                raise BragError(
                    f"{_shown(target)} exists and is not a file; remove it, or import into "
                    "another folder"
                )
            if not replace:
                raise BragError(f"{_shown(target)} exists; --force replaces it")
            kept[target] = os.lstat(target)
    created = _missing_folders(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BragError(f"cannot create the folder {_shown(folder)}: {_reason(e, folder)}") from e
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in zip(targets, files.values(), strict=True):
            was = kept.get(target)
            mode, group = (stat.S_IMODE(was.st_mode), was.st_gid) if was else (None, None)
            temps.append((_write_temporary(target, data, mode, group), target))
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as e:
        for temp, _target in temps:
            _remove(temp)
        for made in created:
            with contextlib.suppress(OSError):
                made.rmdir()
        where = folder / next(iter(files), "plan.yaml")
        raise _cannot(where, e) from e
    return targets


def _missing_folders(folder: Path) -> list[Path]:
    """The folders `mkdir(parents=True)` would create, deepest first."""
    missing = []
    current = Path(os.path.abspath(folder))
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    return missing
