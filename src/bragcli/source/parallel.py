"""Read a large plan on two processor cores: the one place bragcli runs work in a second process.

Reading YAML is most of `brag check` on a large plan, and libyaml's events cost what they
cost: a plan of 10,000 actions spends half a second of one core in the parser alone. Where
the machine has a second core, the area files are split in two halves of about equal size;
a forked child reads and validates one half while this process reads the other, and the
child sends back its results (plain data and models, pickled) through a pipe.

Why this is safe:

* the pickle is made by our own child, from the results of reading the files, and read
  once from a pipe that only the two processes hold: nothing is ever read back from disk
  (a pickle cache on disk would let whoever can write the cache run code);
* the child writes nothing but that pipe and leaves with `os._exit`, so it flushes no
  output buffer and runs no exit handler of the parent's;
* whatever goes wrong in the child (an exception, a signal, a short pipe), the parent reads
  that half itself, so the result is the same as reading every file here;
* fork is used only where it is safe: on POSIX, with two usable cores, and while this
  process runs no other thread.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Below this many bytes of files, a second process costs more than it saves (forking, and
#: pickling the results, take a few milliseconds).
MIN_BYTES = 512 * 1024


def usable_cores() -> int:
    """The processor cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS


def can_fork() -> bool:
    """A second process can be forked safely and can run beside this one."""
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"  # fork without exec is unsafe in macOS's system libraries
        and threading.active_count() == 1
        and usable_cores() >= 2
    )


def map_in_two(
    work: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int]
) -> list[Result]:
    """`[work(item) for item in items]`, with the later items done in a forked child when the
    items weigh `MIN_BYTES` or more and `can_fork()`. `weights` (one per item, such as file
    sizes) balance the halves. The results are in the order of `items` either way."""
    if len(items) < 2 or sum(weights) < MIN_BYTES or not can_fork():
        return [work(item) for item in items]
    import pickle  # here: most runs read a small plan, and need none of it

    split = _halfway(weights)
    mine, theirs = items[:split], items[split:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, pickled into the pipe, and nothing else
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps([work(item) for item in theirs], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        results = [work(item) for item in mine]
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status == 0:
        try:
            returned = pickle.loads(data)  # made by our own child: see the module's note
        except Exception:  # a short or broken pipe: that half is read here
            returned = None
        if isinstance(returned, list) and len(returned) == len(theirs):
            return results + returned
    return results + [work(item) for item in theirs]


def _halfway(weights: Sequence[int]) -> int:
    """Where to split the items so that the halves weigh about the same (at least one each)."""
    half = sum(weights) / 2
    total = 0
    for index, weight in enumerate(weights):
        total += weight
        if total >= half:
            return min(max(index + 1, 1), len(weights) - 1)
    return len(weights) - 1  # pragma: no cover - the loop always reaches half
