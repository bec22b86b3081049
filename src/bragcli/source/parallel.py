"""Work on more than one processor core: the one place bragcli runs work in other processes.

Reading YAML is most of the time of `brag check` on a large plan and of `brag trend` over a
long history, and libyaml's events cost what they cost: a plan of 10,000 actions spends half
a second of one core in the parser alone. Where the machine has a second core, that work is
shared: the working tree's area files between this process and one forked child, each taking
the next file from a queue until none is left (`map_in_two`), a history in stretches of
commits (`commands.history`). Each piece but the last runs in a process forked from this one,
the last here, side by side (`side_by_side`); each child sends its result back, pickled,
through a pipe (the child sharing a plan's files sends each file's result as soon as it has
it, `_Streaming`).

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
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, Generic, NoReturn, TypeVar

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
    """`[work(item) for item in items]`, shared with a forked child when the items weigh
    `MIN_BYTES` or more (`weights`: one per item, such as file sizes) and `can_fork()`. The
    results are in the order of `items` either way.

    The two processes take the items from a queue (`_Queue`), each the next one when it is
    done with the last, heaviest first: not halves fixed in advance. The two cores of a
    shared or virtual machine often run at different speeds, and which one is slower
    changes from run to run; with fixed halves the faster process waited for the slower.
    (`start_early` with the whole work done in the child.)"""
    early = start_early(work, items, weights)
    if early is None:
        return [work(item) for item in items]
    return early.finish(work, lambda _item, result: result)


class Early(Generic[Item]):
    """Items shared with a child forked early (`start_early`), before this process has
    imported what the rest of their work needs: the child does the first part of the work on
    the items it takes (`first`: what needs no more than is imported already), and this
    process, once ready, takes the items that are left and does the whole work on them, and
    the rest of the work on what the child sent (`finish`).

    So the imports overlap the child's work, instead of coming before all of it (a large
    plan: the child reads YAML while this process imports pydantic and builds the models)."""

    def __init__(self, queue: _Queue, child: _Streaming[Any], items: Sequence[Item]) -> None:
        self.items = items
        self._queue: _Queue | None = queue
        self._child: _Streaming[Any] | None = child

    def finish(
        self, work: Callable[[Item], Result], rest: Callable[[Item, Any], Result]
    ) -> list[Result]:
        """`[work(item) for item in items]`, in order: `work` on the items this process takes,
        `rest(item, first)` on those the child sent, each as it comes (between this process's
        own items, so that the two stay busy alike); an item the child took but never sent
        is done here whole."""
        queue, child = self._queue, self._child
        assert queue is not None and child is not None, "finished already"
        items = self.items
        done: dict[int, Result] = {}

        def finished(received: dict[int, Any]) -> None:
            for index, first in received.items():
                done[index] = rest(items[index], first)

        try:
            mine = queue.take(work, items, lambda _i, _r: finished(child.received()))
            child.finish()
            finished(child.received())
        finally:
            self.cancel()
        done.update(mine)
        return [done[i] if i in done else work(item) for i, item in enumerate(items)]

    def cancel(self) -> None:
        """Stop the child and let the items go (when they are not wanted after all)."""
        if self._child is not None:
            self._child.end()
            self._child = None
        if self._queue is not None:
            self._queue.close()
            self._queue = None


def start_early(
    first: Callable[[Item], Any], items: Sequence[Item], weights: Sequence[int]
) -> Early[Item] | None:
    """Start `first` on `items` in a forked child, to be finished by `Early.finish`; None when
    the items are not worth a second process (as `map_in_two`) or there is none to be had."""
    if len(items) < 2 or sum(weights) < MIN_BYTES or not can_fork():
        return None
    queue = _Queue(weights)
    try:
        child: _Streaming[Any] = _Streaming(lambda sent: queue.take(first, items, sent))
    except OSError:  # no process to be had (a limit on processes, or memory)
        queue.close()
        return None
    return Early(queue, child, items)


class _Queue:
    """The indexes of items to do, each to be taken by exactly one of the processes that
    share it: a pipe, filled before the fork and closed for writing, from which each process
    reads one entry at a time (a read of a few bytes from a pipe is whole: the kernel hands
    each entry to one reader). An empty pipe at its end says that nothing is left.

    Entries are ranges of items, at most MAX_ENTRIES of them, so that they all fit in the
    pipe at once (4 bytes each, well under the 64 KB a pipe holds) however many items there
    are; the heaviest come first, so that the last ones taken are short."""

    MAX_ENTRIES = 1024
    _SIZE = 4

    def __init__(self, weights: Sequence[int]) -> None:
        count = len(weights)
        per_entry = -(-count // self.MAX_ENTRIES)  # ceiling: one item an entry up to 1,024
        self.ranges = [
            (start, min(start + per_entry, count)) for start in range(0, count, per_entry)
        ]
        order = sorted(
            range(len(self.ranges)),
            key=lambda r: -sum(weights[i] for i in range(*self.ranges[r])),
        )
        read, write = os.pipe()
        self._read: int | None = read
        try:
            os.write(write, b"".join(r.to_bytes(self._SIZE, "little") for r in order))
        finally:
            os.close(write)

    def take(
        self,
        work: Callable[[Item], Result],
        items: Sequence[Item],
        then: Callable[[int, Result], object] | None = None,
    ) -> dict[int, Result]:
        """Do the items this process takes from the queue until it is empty: their results
        by index. `then` is called with each index and result as it is done."""
        done: dict[int, Result] = {}
        while self._read is not None:
            entry = os.read(self._read, self._SIZE)
            if len(entry) < self._SIZE:  # empty: the others took the rest
                break
            start, stop = self.ranges[int.from_bytes(entry, "little")]
            for index in range(start, stop):
                done[index] = result = work(items[index])
                if then is not None:
                    then(index, result)
        return done

    def close(self) -> None:
        if self._read is not None:
            os.close(self._read)
            self._read = None


class _Forked:
    """A process forked from this one that runs `run` with the write end of a pipe, whose
    read end this process holds (`_pipe`), and then ends (`_in_child`)."""

    def __init__(
        self,
        run: Callable[[BinaryIO], object],
        child_exit: Callable[[], None] | None,
        *,
        pipe_bytes: int = 0,
    ) -> None:
        import signal  # noqa: F401 - here, not at the top: most runs fork nothing (and the
        # child, which uses it, then finds it imported)

        read, write = os.pipe()
        if pipe_bytes:  # Linux lets anyone enlarge a pipe up to 1 MB; elsewhere it stays
            with contextlib.suppress(AttributeError, OSError):
                import fcntl

                fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, pipe_bytes)
        try:
            self._pid: int | None = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self._pid == 0:
            os.close(read)
            _in_child(write, run, child_exit)  # never returns
        os.close(write)
        self._pipe: int | None = read

    def end(self) -> None:
        """Stop the child if it is still at work (this process is stopping), and reap it."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            import signal  # here: most runs fork nothing

            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            self._pid = None


class _Streaming(_Forked, Generic[Result]):
    """A forked child that sends results one at a time, each as soon as it has it, through
    a pipe; `receive` reads what has come without waiting, `finish` the rest. Each result is
    a frame: its index (4 bytes), the length of its pickle (8 bytes), the pickle. A frame cut
    short (the child failed while writing it), or one that cannot be unpickled here, is
    dropped: its item is not among the results, and the caller does it."""

    _HEAD = 12
    #: A pipe this large holds the child's results while this process is busy with an item
    #: of its own.
    _PIPE_BYTES = 1 << 20

    def __init__(self, task: Callable[[Callable[[int, Result], None]], object]) -> None:
        self._buffer = bytearray()
        self._done: dict[int, Result] = {}
        super().__init__(lambda out: task(_sender(out)), None, pipe_bytes=self._PIPE_BYTES)
        assert self._pipe is not None
        os.set_blocking(self._pipe, False)

    def receive(self) -> None:
        """Read the results that have come, without waiting for more."""
        while self._pipe is not None:
            try:
                chunk = os.read(self._pipe, self._PIPE_BYTES)
            except BlockingIOError:
                break
            if not chunk:
                break
            self._buffer += chunk
        self._unpack()

    def received(self) -> dict[int, Result]:
        """What has come since this was last asked (read with `receive` or `finish`)."""
        self.receive()
        done, self._done = self._done, {}
        return done

    def finish(self) -> dict[int, Result]:
        """Every result the child sent, waiting until it is done; then reap it."""
        if self._pipe is not None:
            os.set_blocking(self._pipe, True)
            with contextlib.suppress(OSError):
                while chunk := os.read(self._pipe, self._PIPE_BYTES):
                    self._buffer += chunk
            os.close(self._pipe)
            self._pipe = None
            self._unpack()
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None
        return self._done

    def _unpack(self) -> None:
        import pickle

        buffer, start = self._buffer, 0
        while len(buffer) - start >= self._HEAD:
            index = int.from_bytes(buffer[start : start + 4], "little")
            size = int.from_bytes(buffer[start + 4 : start + self._HEAD], "little")
            end = start + self._HEAD + size
            if len(buffer) < end:
                break
            # Our own child's. A result that cannot be read back here is done here.
            with (
                memoryview(buffer)[start + self._HEAD : end] as frame,
                contextlib.suppress(Exception),
            ):
                self._done[index] = pickle.loads(frame)
            start = end
        del buffer[:start]


def _sender(out: BinaryIO) -> Callable[[int, object], None]:
    """In the child: write one result to the parent, as a frame (see `_Streaming`)."""
    import pickle

    def send(index: int, result: object) -> None:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(index.to_bytes(4, "little") + len(data).to_bytes(8, "little"))
        out.write(data)
        out.flush()

    return send


class _Child(_Forked, Generic[Result]):
    """A task run in a process forked from this one, which sends its result back pickled
    through a pipe between the two. If the child fails, `result` runs the task here."""

    def __init__(self, task: Callable[[], Result], child_exit: Callable[[], None] | None) -> None:
        self.task = task
        super().__init__(lambda out: _send_whole(out, task()), child_exit)

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


def _send_whole(out: BinaryIO, result: object) -> None:
    import pickle

    pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)  # written as it is made


def _in_child(
    pipe: int, task: Callable[[BinaryIO], object], child_exit: Callable[[], None] | None
) -> NoReturn:
    """In the child: run the task, which writes its results to `pipe`, and end the process
    without running anything of the parent's (exit handlers, buffered output). Ctrl-C is the
    parent's to handle: it ends the child."""
    import signal

    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with open(pipe, "wb") as out:
            task(out)
        code = 0
    except BaseException:  # the parent then does what is missing itself
        pass
    finally:
        if child_exit is not None:
            with contextlib.suppress(BaseException):
                child_exit()
        os._exit(code)
