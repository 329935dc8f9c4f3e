"""A forked child that takes the core a run leaves idle, writing its answer to a pipe.

Contract: ``start_child(work)`` forks; the child runs ``work(fd)`` (FD: the pipe's write end) at
a lower priority (NICE: it takes an idle core and yields a busy one) and leaves by ``os._exit``
with WORK's code, 1 when WORK raises anything; the parent gets (pid, the pipe's read end), or
OSError when no pipe or process can be had; ``stop_child`` kills and reaps one. guards/runner.py
runs the other guards beside skip-set so; collect/python/sources/lookahead.py analyzes a
change's class bases ahead so; parsing/parallel.py's workers analyze so, at the run's priority.
A child that sends several answers frames each (``framed``: a head, the payload's length, the
payload), and the parent reads the whole ones as they come (``unframed``).

The trap: the child is a copy of the parent, exit handlers and buffered output included, so it
must never return into the parent's code or exit normally: ``os._exit`` runs none of them.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator

NICE = 10  # a tenth of a core's share while both want one
LENGTH = 4  # bytes of a framed payload's length, big-endian, after its head


def start_child(work: Callable[[int], int], nice: int = NICE) -> tuple[int, int]:
    """Fork a child running WORK on a pipe's write end at NICE (0: this process's priority, as
    parsing/parallel.py's workers take); (its pid, the read end)."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:  # the child: no exit handler of the parent's may run here
        os.close(read)
        os._exit(_run(work, write, nice))
    os.close(write)
    return pid, read


def _run(work: Callable[[int], int], write: int, nice: int) -> int:
    try:
        with contextlib.suppress(OSError):  # a priority it may not take: it runs all the same
            os.nice(nice)
        return work(write)
    except BaseException:  # anything: the parent sees a child that sent nothing more
        return 1


def stop_child(pid: int) -> None:
    """Kill the child PID and reap it (reaped already: nothing more)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def framed(head: bytes, payload: bytes) -> bytes:
    """One answer for a child's pipe: HEAD, PAYLOAD's length, PAYLOAD."""
    return head + len(payload).to_bytes(LENGTH, "big") + payload


def unframed(buffer: bytearray, head: int) -> Iterator[tuple[bytes, bytes]]:
    """The whole answers at the start of BUFFER (HEAD bytes of head each), as (head, payload),
    removed from BUFFER as they are read; a cut one stays for more bytes to come."""
    while len(buffer) >= head + LENGTH:
        end = head + LENGTH + int.from_bytes(buffer[head : head + LENGTH], "big")
        if len(buffer) < end:
            return
        found = bytes(buffer[:head]), bytes(buffer[head + LENGTH : end])
        del buffer[:end]
        yield found
