"""Limits and sizes of the polyproc wire protocol v1 (PROTOCOL.md §3.2, §9.4)."""

from __future__ import annotations

__all__ = [
    "DEFAULT_MAX_FRAME_BYTES",
    "FRAME_HEADER_BYTES",
    "MAX_FRAME_BYTES_LIMIT",
    "MAX_VALUE_DEPTH",
    "PROTOBUF_RECURSION_LIMIT",
    "PROTOCOL_VERSION",
    "check_max_frame_bytes",
]

PROTOCOL_VERSION = 1
"""PROTOCOL_VERSION is the protocol version this package speaks (§4.3)."""

DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
"""DEFAULT_MAX_FRAME_BYTES is the frame-size limit used until Welcome says otherwise (§3.2)."""

MAX_FRAME_BYTES_LIMIT = 0xFFFF_FFFF
"""MAX_FRAME_BYTES_LIMIT is the largest length the 4-byte frame header can carry."""

MAX_VALUE_DEPTH = 64
"""MAX_VALUE_DEPTH is the deepest Value tree that is valid (§9.4)."""

FRAME_HEADER_BYTES = 4
"""FRAME_HEADER_BYTES is the size of the big-endian length that precedes every frame (§3.1)."""

PROTOBUF_RECURSION_LIMIT = 200
"""PROTOBUF_RECURSION_LIMIT is the message nesting every runtime must parse (§3.4).

A map costs three protobuf levels per Value level, so a 64-level Value needs about 195.
"""


def check_max_frame_bytes(value: int) -> int:
    """check_max_frame_bytes validates a frame-size limit and returns it.

    Raises ValueError unless it is an int from 1 to 4294967295 (what a frame header holds).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"max_frame_bytes must be an int from 1 to {MAX_FRAME_BYTES_LIMIT}, "
            f"got {type(value).__name__} {value!r}"
        )
    if value < 1 or value > MAX_FRAME_BYTES_LIMIT:
        raise ValueError(f"max_frame_bytes must be from 1 to {MAX_FRAME_BYTES_LIMIT}, got {value}")
    return value
