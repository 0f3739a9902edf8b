"""Children that stop when their parent dies, even by SIGKILL (Linux: a parent-death signal).

`newswire up` runs the broker, the worker and the connectors as children, and the worker runs
its process pool; a parent killed with SIGKILL cannot stop them, so each child asks the kernel
for SIGTERM when its parent goes (prctl PR_SET_PDEATHSIG). The signal survives exec, so it works
for the broker binary too. On other systems this is a no-op.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, signum: int = signal.SIGTERM) -> bool:
    """In a child: get `signum` when the parent dies. If the parent is already gone (it died
    before the call), exit now. Returns whether the signal could be set up."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)
    return True


def child_setup() -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen that ties the child's life to this process."""
    parent = os.getpid()

    def setup() -> None:
        die_with_parent(parent)

    return setup
