"""Work on more than one processor core: the one place bragcli runs work in other processes.

Reading YAML is most of the time of `brag check` on a large plan and of `brag trend` over a
long history, and libyaml's events cost what they cost: a plan of 10,000 actions spends half
a second of one core in the parser alone. Where the machine has a second core, that work is
split: the working tree's area files into two halves of about equal size (`map_in_two`), a
history into stretches of commits (`commands.history`). Each piece but the last runs in a
process forked from this one, the last here, side by side (`side_by_side`); each child sends
its result back, pickled, through a pipe.

Why this is safe:

* the pickle is made by our own child, from the results of reading the files, and read
  once from a pipe that only the two processes hold: nothing is ever read back from disk
  (a pickle cache on disk would let whoever can write the cache run code);
* a child writes nothing but its pipe and leaves with `os._exit`, so it flushes no output
  buffer and runs no exit handler of the parent's; Ctrl-C is the parent's to handle, and
  when the parent stops early it stops and reaps its children;
* whatever goes wrong in a child (an exception, a signal, a short pipe, no process to be
  had), the parent does that piece itself, so the result is the same as doing all here;
* fork is used only where it is safe (`can_fork`): on POSIX but not macOS, with two usable
  cores, and while this process runs no other thread.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, NoReturn, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Below this many bytes of files, a second process costs more than it saves (forking, and
#: pickling the results, take a few milliseconds).
MIN_BYTES = 512 * 1024

#: No result read from a child (None could be a result).
_NOTHING: Any = object()


def usable_cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """A process can be forked safely and can run beside this one."""
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"  # fork without exec is unsafe in macOS's system libraries
        and threading.active_count() == 1
        and usable_cores() >= 2
    )


def side_by_side(
    tasks: Sequence[Callable[[], Result]], *, child_exit: Callable[[], None] | None = None
) -> list[Result]:
    """The result of each of `tasks`, in order: each but the last run in a forked child, the
    last here, at the same time. The caller checks `can_fork()` first. `child_exit` runs in
    each child after its task (to close what the child opened, such as git processes)."""
    children: list[_Child[Result] | Callable[[], Result]] = []
    try:
        for task in tasks[:-1]:
            try:
                children.append(_Child(task, child_exit))
            except OSError:  # no process to be had (a limit on processes, or memory)
                children.append(task)
        last = tasks[-1]()
        done = [c.result() if isinstance(c, _Child) else c() for c in children]
        return [*done, last]
    finally:
        for child in children:
            if isinstance(child, _Child):
                child.end()


def map_in_two(
    work: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int]
) -> list[Result]:
    """`[work(item) for item in items]`, with the later items done in a forked child when the
    items weigh `MIN_BYTES` or more and `can_fork()`. `weights` (one per item, such as file
    sizes) balance the halves. The results are in the order of `items` either way."""
    if len(items) < 2 or sum(weights) < MIN_BYTES or not can_fork():
        return [work(item) for item in items]
    split = _halfway(weights)
    mine, theirs = items[:split], items[split:]
    later, earlier = side_by_side(
        [lambda: [work(item) for item in theirs], lambda: [work(item) for item in mine]]
    )
    return earlier + later


def _halfway(weights: Sequence[int]) -> int:
    """Where to split the items so that the halves weigh about the same (at least one each)."""
    half = sum(weights) / 2
    total = 0
    for index, weight in enumerate(weights):
        total += weight
        if total >= half:
            return min(max(index + 1, 1), len(weights) - 1)
    return len(weights) - 1  # pragma: no cover - the loop always reaches half


class _Child(Generic[Result]):
    """A task run in a process forked from this one, which sends its result back pickled
    through a pipe between the two. If the child fails, `result` runs the task here."""

    def __init__(self, task: Callable[[], Result], child_exit: Callable[[], None] | None) -> None:
        self.task = task
        self._pipe: int | None = None
        read, write = os.pipe()
        try:
            self._pid: int | None = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self._pid == 0:
            os.close(read)
            _in_child(write, task, child_exit)  # never returns
        os.close(write)
        self._pipe = read

    def result(self) -> Result:
        import pickle  # here: most runs fork nothing, and need none of it

        assert self._pipe is not None and self._pid is not None
        result: Any = _NOTHING
        with open(self._pipe, "rb") as pipe:
            self._pipe = None
            # Read as it comes: the whole pickle is never held as well as its objects. A short
            # or broken pipe leaves `result` as it was: the task is done here instead.
            with contextlib.suppress(Exception):
                result = pickle.load(pipe)  # our own child's
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0 and result is not _NOTHING:
            return result  # type: ignore[no-any-return]
        return self.task()

    def end(self) -> None:
        """Stop the child if it is still at work (the parent is stopping), and reap it."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            self._pid = None


def _in_child(
    pipe: int, task: Callable[[], object], child_exit: Callable[[], None] | None
) -> NoReturn:
    """In the child: run the task, write its result to `pipe`, and end the process without
    running anything of the parent's (exit handlers, buffered output). Ctrl-C is the
    parent's to handle: it ends the child."""
    code = 1
    try:
        import pickle

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        result = task()
        with open(pipe, "wb") as out:  # written as it is made, not held whole first
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # the parent then does the task itself
        pass
    finally:
        if child_exit is not None:
            with contextlib.suppress(BaseException):
                child_exit()
        os._exit(code)
