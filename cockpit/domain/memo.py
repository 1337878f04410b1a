"""In-process memo for pure computations on query results (and for chart specs).

The named queries are cached by (name, parameters, data version); what the pages compute from their
results (the 亩均 evaluation, the hazard register, chart specs) is pure too, but was recomputed on every
rerun. `call(fn, *args)` keys a result by the function and the *content* of its arguments (a frame's
values, not its identity), so a new data version or a new filter gives a new key and nothing stale is
served. Hits are copied (`copy.deepcopy` unless the caller passes `copy=`), so callers may mutate them.
"""

from __future__ import annotations

import copy as _copy
import dataclasses
import hashlib
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np
import pandas as pd

MAX_ENTRIES = 512
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
_running: dict = {}  # key → Event set when the computation of that key ends


def fingerprint(df: pd.DataFrame | pd.Series) -> str:
    """Content hash of a frame or series: names, dtypes, length and every value (row order matters).

    Arrow-backed columns (pandas' default strings) are hashed from their Arrow buffers, numeric and
    date columns from their bytes, anything else with pandas' value hashing: ~1 ms for a few hundred
    rows, where `pd.util.hash_pandas_object` takes ~4 ms on string columns. Equal content read twice
    gives the same hash; two slices of one frame hash their shared buffers plus offset and length.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    h = hashlib.sha1(repr((list(df.columns), [str(t) for t in df.dtypes], len(df))).encode())
    for _, column in df.items():
        values = column.array
        chunked = getattr(values, "_pa_array", None)
        if chunked is not None:
            for chunk in chunked.chunks:
                h.update(f"{chunk.offset}:{len(chunk)};".encode())
                for buffer in chunk.buffers():
                    if buffer is not None:
                        h.update(buffer)
            continue
        array = np.asarray(values)
        if array.dtype.kind in "biufmM":
            h.update(np.ascontiguousarray(array).view(np.uint8).tobytes())
        else:
            h.update(pd.util.hash_array(array.astype(object)).tobytes())
    return h.hexdigest()


def key_of(value) -> object:
    """A hashable stand-in for an argument: frames by content, functions by name, the rest by repr."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return ("frame", fingerprint(value))
    if callable(value) and hasattr(value, "__qualname__"):
        return ("fn", value.__module__, value.__qualname__)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(key_of(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, key_of(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__qualname__,
            tuple((f.name, key_of(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    return repr(value)


def _key(fn: Callable, args: tuple, kwargs: dict) -> tuple:
    return (key_of(fn), tuple(key_of(a) for a in args), tuple(sorted((k, key_of(v)) for k, v in kwargs.items())))


def call(fn: Callable, *args, copy: Callable = _copy.deepcopy, **kwargs):
    """`fn(*args, **kwargs)`, memoised by function and argument content (LRU, MAX_ENTRIES).

    One computation per key at a time: a caller that finds the same key being computed (another session, or the
    page's prefetch, cockpit.app.prefetch) waits for that result instead of computing it again; if that
    computation fails, the waiter computes it itself (and sees the error itself)."""
    key = _key(fn, args, kwargs)
    while True:
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return copy(_cache[key])
            running = _running.get(key)
            if running is None:
                running = _running[key] = threading.Event()
                break
        running.wait()
    try:
        result = fn(*args, **kwargs)
        with _lock:
            _cache[key] = result
            while len(_cache) > MAX_ENTRIES:
                _cache.popitem(last=False)
    finally:
        with _lock:
            _running.pop(key, None)
        running.set()
    return copy(result)


def cached(fn: Callable, *args, **kwargs) -> bool:
    """Whether `call(fn, *args, **kwargs)` would be answered without computing (cached or being computed)."""
    key = _key(fn, args, kwargs)
    with _lock:
        return key in _cache or key in _running


def clear() -> None:
    with _lock:
        _cache.clear()
