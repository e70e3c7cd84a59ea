"""Errors of the polyproc wire protocol: ProtocolError and the Code enum (PROTOCOL.md §3.4, §8)."""

from __future__ import annotations

import enum
from typing import Literal, cast, get_args

from polyproc.v1 import error_pb2

__all__ = ["PROTOCOL_ERROR_KINDS", "Code", "ProtocolError", "ProtocolErrorKind"]

ProtocolErrorKind = Literal[
    "FRAME_TOO_LARGE",
    "TRUNCATED_FRAME",
    "MALFORMED_FRAME",
    "EMPTY_FRAME",
    "VALUE_TOO_DEEP",
    "INVALID_VALUE",
]
"""ProtocolErrorKind names one rule of the codec; the same strings in every language's SDK."""

PROTOCOL_ERROR_KINDS: tuple[ProtocolErrorKind, ...] = get_args(ProtocolErrorKind)
"""PROTOCOL_ERROR_KINDS lists every ProtocolErrorKind, in the order of PROTOCOL.md §3.4."""


class ProtocolError(Exception):
    """ProtocolError is a local failure of the wire protocol.

    It is raised for a frame that cannot be decoded, a frame too large to send, or a native
    value that cannot be mapped to a Value; it is never an error the peer sent (those travel
    as `Error` messages). A connection whose decoder raises one must be closed (§3.4).

    Attributes:
        kind: which rule was broken, one of PROTOCOL_ERROR_KINDS.
        message: what was wrong and how to fix it, without the kind.
        path: for value errors, where in the value, e.g. ``args.items[3].price``; else None.
    """

    kind: ProtocolErrorKind
    message: str
    path: str | None

    def __init__(self, kind: ProtocolErrorKind, message: str, path: str | None = None) -> None:
        if kind not in PROTOCOL_ERROR_KINDS:
            raise ValueError(
                f"ProtocolError kind must be one of {', '.join(PROTOCOL_ERROR_KINDS)}, got {kind!r}"
            )
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.path = path

    def __reduce__(self) -> tuple[type[ProtocolError], tuple[str, str, str | None]]:
        # Keeps the error intact through pickle (multiprocessing, concurrent.futures).
        return (type(self), (self.kind, self.message, self.path))

    def __repr__(self) -> str:
        path = "" if self.path is None else f", path={self.path!r}"
        return f"ProtocolError({self.kind!r}, {self.message!r}{path})"


_RETRYABLE_BY_DEFAULT = frozenset(
    {"DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED", "UNAVAILABLE"}
)


class Code(enum.IntEnum):
    """Code classifies an `Error`; the numbers are gRPC's status codes (error.proto `Code`).

    UNSPECIFIED (gRPC's OK) never describes a failure: an Error carrying it, or a number this
    version does not know, reads as UNKNOWN (see `Code.from_wire`). Members are ints; give
    `code.to_wire()` to the generated messages' `code` fields, which their stubs type as the
    generated enum.
    """

    UNSPECIFIED = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, number: int) -> Code:
        """from_wire reads an Error's code number: UNSPECIFIED and unknown numbers are UNKNOWN."""
        if number <= 0 or number > cls.UNAUTHENTICATED:
            return cls.UNKNOWN
        return cls(number)

    def to_wire(self) -> error_pb2.Code:
        """to_wire gives the code as the generated enum type, for `Error.code` and `Reject.code`.

        At run time it is the same int; the conversion satisfies the generated type stubs.
        """
        return cast("error_pb2.Code", self.value)

    @property
    def retryable_by_default(self) -> bool:
        """retryable_by_default tells whether gRPC practice retries this code unless told not to.

        True for DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED and UNAVAILABLE: the same call
        may succeed later. An Error's own `retryable` flag decides for one error.
        """
        return self.name in _RETRYABLE_BY_DEFAULT
