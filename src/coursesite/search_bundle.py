"""The same bytes from every Pagefind run: its filter files put into one order.

Pagefind writes the values of a filter (here each course's slug, with its pages) in the order
of a Rust hash map, which changes from run to run; the file is named by a hash of its bytes,
the language's metadata names that file, and pagefind-entry.json names the metadata and lists
the languages, again in hash-map order. Everything else Pagefind writes is the same every run.
So after a run the values of each filter are sorted, and the files that name each other are
renamed by a digest of their new bytes. Only these three kinds of file are touched; a bundle
whose filters are not laid out as Pagefind 1.x lays them out is left as it was.

A filter file (one per filter and language) is gzip of b"pagefind_dcd" and CBOR:
[filter name, [[value, [page numbers]], ...]].
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def make_deterministic(bundle: Path) -> None:
    """Rewrite `bundle`'s filter files, metadata and entry in one order (see the module's docstring)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry["languages"]
    for language, index in languages.items():
        meta_path = bundle / f"pagefind.{index['hash']}.pf_meta"
        meta = _open(meta_path)
        changed = False
        for old in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            sorted_filter = _sorted_filter(_open(old))
            if sorted_filter is None:
                continue
            new = f"{language}_{_digest(sorted_filter)[:7]}"
            before = old.name.removesuffix(".pf_filter").encode()
            if len(new) != len(before) or meta.count(before) != 1:
                continue  # not the layout this reads: leave it
            meta = meta.replace(before, new.encode())
            old.unlink()
            _write(bundle / "filter" / f"{new}.pf_filter", sorted_filter)
            changed = True
        if changed:
            index["hash"] = f"{language}_{_digest(meta)[:10]}"
            meta_path.unlink()
            _write(bundle / f"pagefind.{index['hash']}.pf_meta", meta)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _open(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _write(path: Path, data: bytes) -> None:
    # mtime=0: the same bytes whenever they are written.
    with open(path, "wb") as file:
        file.write(gzip.compress(data, compresslevel=9, mtime=0))
    os.chmod(path, 0o644)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _sorted_filter(data: bytes) -> bytes | None:
    """The filter file `data` with each filter's values in order; None when it is not laid out as expected."""
    if not data.startswith(SIGNATURE):
        return None
    try:
        pair, end = _array(data, len(SIGNATURE))
        if len(pair) != 2 or end != len(data):
            return None
        values_start = pair[1][0]
        values, _ = _array(data, values_start)
        return data[:values_start] + data[values_start:_items_start(data, values_start)] + b"".join(
            sorted(data[start:stop] for start, stop in values))
    except (IndexError, ValueError):
        return None


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """A CBOR item's major type, its argument, and where what follows the head starts."""
    major, info = data[at] >> 5, data[at] & 0x1F
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError("indefinite or reserved length")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _items_start(data: bytes, at: int) -> int:
    return _head(data, at)[2]


def _skip(data: bytes, at: int) -> int:
    """Where the CBOR item at `at` ends (integers, strings and arrays: all a filter file holds)."""
    major, argument, after = _head(data, at)
    if major in (0, 1):
        return after
    if major in (2, 3):
        if after + argument > len(data):
            raise ValueError("string beyond the end")
        return after + argument
    if major == 4:
        for _ in range(argument):
            after = _skip(data, after)
        return after
    raise ValueError(f"CBOR major type {major}")


def _array(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of each item of the CBOR array at `at`, and where the array ends."""
    major, count, after = _head(data, at)
    if major != 4:
        raise ValueError("not an array")
    items = []
    for _ in range(count):
        end = _skip(data, after)
        items.append((after, end))
        after = end
    return items, after
