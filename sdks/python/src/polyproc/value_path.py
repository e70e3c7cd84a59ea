"""Paths that name a place inside a value in error messages: ``args.items[3].price`` (§9.8)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["index_path", "join_path", "key_path"]

# The same rule as the TypeScript and Go SDKs, so that a path reads the same in every language.
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def key_path(parent: str, key: str) -> str:
    """key_path names a map member: ``args.price``, or ``args["not an identifier"]``."""
    if _IDENTIFIER.fullmatch(key):
        return f"{parent}.{key}"
    quoted = json.dumps(key, ensure_ascii=False)
    # A lone surrogate cannot be printed or encoded; write it escaped, as JSON.stringify does.
    quoted = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
    return f"{parent}[{quoted}]"


def index_path(parent: str, index: int) -> str:
    """index_path names a list item: ``args.items[3]``."""
    return f"{parent}[{index}]"


def join_path(root: str, segments: Iterable[str | int]) -> str:
    """join_path names the place reached from root through map keys (str) and list indexes (int)."""
    path = root
    for segment in segments:
        path = index_path(path, segment) if isinstance(segment, int) else key_path(path, segment)
    return path
