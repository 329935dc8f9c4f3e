"""Work on a thread of this process while it does or waits on something else.

Contract: ``Background(work)`` starts WORK on a thread at once; ``join()`` waits for it and
raises what it raised, but an exception of LEAVE, which the caller meets again where it can say
what to fix. The trap: a thread running while the process forks would leave any lock it holds
locked in the child; a caller that forks starts its Background after the fork, and joins it
before it forks again (parsing/parallel.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Background:
    def __init__(
        self, work: Callable[[], None], leave: tuple[type[BaseException], ...] = ()
    ) -> None:
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(work, leave), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[[], None], leave: tuple[type[BaseException], ...]) -> None:
        try:
            work()
        except leave:
            pass  # the caller meets it again where it reports it
        except BaseException as exc:  # raised again on the caller's thread (join)
            self.failed.append(exc)

    def join(self) -> None:
        self.thread.join()
        if self.failed:
            raise self.failed[0]
