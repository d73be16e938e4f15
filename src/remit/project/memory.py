"""Keeping freed memory for reuse. A projection allocates numpy temporaries of a few
megabytes chunk after chunk; glibc hands blocks that size straight back to the kernel
(``mmap``/``munmap``) and every new one is page-faulted and zeroed again, which costs a
quarter of the run and scales badly across worker processes. Raising glibc's mmap and trim
thresholds keeps such blocks in the heap for the next chunk. A grid's worker, which runs
batch after batch, keeps more: a trim threshold well above a task's whole working set (a
deal task of 250 scenarios frees some 120 MB when it ends: with twice the mmap threshold,
64 MB, glibc gave it back to the kernel and the next task page-faulted it all in again,
some 30,000 faults a task); any other process (a notebook) keeps at most 64 MB freed. No
effect elsewhere (another C library, another platform)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
KEEP_BYTES = 32 * 1024 * 1024
#: the heap a process keeps free: twice the mmap threshold; a grid's task (one batch after
#: another in the same worker) keeps more (:data:`BATCH_TRIM_BYTES`)
TRIM_BYTES = 2 * KEEP_BYTES
BATCH_TRIM_BYTES = 256 * 1024 * 1024

_trim = 0  # the trim threshold set in this process (0: none yet)
_glibc = False


def keep_freed_memory(trim: int = TRIM_BYTES) -> bool:
    """Set the thresholds, once per process, and raise the trim threshold when a larger one
    is asked for (a grid's task asks for :data:`BATCH_TRIM_BYTES`, also in a process that
    projected before); True if glibc took them."""
    global _trim, _glibc
    if _trim and trim <= _trim:
        return _glibc
    first = not _trim
    _trim = trim
    if first:
        _glibc = _mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)
    _glibc = _glibc and _mallopt(M_TRIM_THRESHOLD, trim)
    return _glibc


def _mallopt(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(option, value) == 1)
    except (OSError, AttributeError):
        return False
