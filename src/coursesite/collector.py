"""Python's cyclic garbage collector, paused while a build imports its modules.

Importing makes hundreds of thousands of objects that live as long as the process (modules,
classes, functions, compiled models), and the collector walked them again and again: with it
paused while a cold build of the reference courses imports, and those objects then frozen (left
out of later collections) until the build ends, the build runs 4% fewer instructions (issue 16).
Imports make next to no garbage, and the collector runs as before once the modules are in: a
large build's memory is what it was. A build taken whole from the build cache (build.replay_build)
runs paused to its end: it is short, and what it leaves is freed by reference counting; if the
cache cannot serve it, what the attempt left is frozen with the modules (a few kilobytes).
"""

from __future__ import annotations

import gc

_state = ""  # "paused", "frozen" or ""


def pause() -> None:
    """Stop collecting until `resume` or `end`; a no-op if the collector is off already."""
    global _state
    if gc.isenabled() and not _state:
        gc.disable()
        _state = "paused"


def resume() -> None:
    """If `pause` stopped the collector: freeze what exists now, and collect again."""
    global _state
    if _state == "paused":
        gc.freeze()
        gc.enable()
        _state = "frozen"


def end() -> None:
    """Undo `pause` and `resume`: the collector as it was (a process that builds again, such as
    the tests', has every object collected as before)."""
    global _state
    if _state == "paused":
        gc.enable()
    elif _state == "frozen":
        gc.unfreeze()
    _state = ""
