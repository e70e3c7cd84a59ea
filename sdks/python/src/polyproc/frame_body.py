"""Decoding one frame body: protobuf parse, kind, Values, in the order of PROTOCOL.md §3.4.

Every runtime must parse 200 levels of message nesting (§3.4); Python's protobuf stops at
100, in both its backends. A parse that fails for depth is followed by
`check_nesting`, a scan of the bytes; a frame within 200 levels is parsed again with the
limit lifted:

- upb (the default backend): `SetAllowOversizeProtos(True)`, which lifts the limit to
  65,535 levels, deep enough for a hostile frame to overflow the C stack;
- the pure-Python backend (PyPy, platforms without upb wheels):
  `decoder.SetRecursionLimit(200)`, restored afterwards.

Both switches are global to the process, so a switch is only ever on while one scanned
frame is parsed, and every parse of this module holds the same lock: no other thread's
parse through this module can start while it is on. Protobuf parses elsewhere in the
process are not covered; they run with the default limit unless they start in that window.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf.internal import api_implementation
from google.protobuf.message import DecodeError
from google.protobuf.unknown_fields import UnknownFieldSet

from polyproc._depth_scan import check_nesting
from polyproc.errors import ProtocolError
from polyproc.limits import PROTOBUF_RECURSION_LIMIT
from polyproc.v1.frame_pb2 import Frame
from polyproc.validate import validate_frame_values
from polyproc.values import PlainValue, frame_value

__all__ = ["as_bytes", "decode_body", "decode_body_values"]

# How each backend says that the nesting exceeded its limit.
_DEPTH_FAILURES = ("MaxDepth", "too many levels of nesting")


def _depth_switch() -> tuple[Callable[[], None], Callable[[], None]] | None:
    """_depth_switch returns (lift, restore) for the backend in use, or None if unknown."""
    backend = api_implementation.Type()
    if backend == "upb":
        upb: Any = importlib.import_module("google._upb._message")
        return lambda: upb.SetAllowOversizeProtos(True), lambda: upb.SetAllowOversizeProtos(False)
    if backend == "python":
        decoder: Any = importlib.import_module("google.protobuf.internal.decoder")
        saved: list[int] = []

        def lift() -> None:
            saved.append(decoder._recursion_limit)
            decoder.SetRecursionLimit(PROTOBUF_RECURSION_LIMIT)

        def restore() -> None:
            decoder.SetRecursionLimit(saved.pop())

        return lift, restore
    return None


_switch = _depth_switch()
_lock = threading.Lock()
_from_string = Frame.FromString


def decode_body(body: bytes | bytearray | memoryview) -> Frame:
    """decode_body parses and checks one frame body, in the order of §3.4.

    It raises ProtocolError MALFORMED_FRAME (not a Frame), VALUE_TOO_DEEP (nested too
    deep), EMPTY_FRAME (no kind this version knows) or INVALID_VALUE (a broken Value).
    """
    frame = _parse(body if type(body) is bytes else as_bytes(body))
    if frame.WhichOneof("kind") is None:
        raise _no_kind_error(frame)
    validate_frame_values(frame)
    return frame


def decode_body_values(body: bytes | bytearray | memoryview) -> tuple[Frame, PlainValue]:
    """decode_body_values is decode_body that also gives the frame's Value as Python.

    The Value (`values.frame_value`) is validated while it is converted: one walk instead
    of decode_body's validation and from_value's conversion, with the same errors.
    """
    frame = _parse(body if type(body) is bytes else as_bytes(body))
    if frame.WhichOneof("kind") is None:
        raise _no_kind_error(frame)
    return frame, frame_value(frame)


def as_bytes(data: bytes | bytearray | memoryview) -> bytes:
    """as_bytes copies any buffer, whatever its format, shape or strides, into bytes.

    upb parses bytes many times faster than a memoryview or a bytearray.
    """
    with memoryview(data) as view:
        return view.tobytes()


_FRAME_KINDS = {field.number: field.name for field in Frame.DESCRIPTOR.fields}


def _no_kind_error(frame: Frame) -> ProtocolError:
    # upb keeps a field whose wire type does not match the schema as an unknown field, as
    # protobuf's rules say; PROTOCOL.md §3.4 prefers MALFORMED_FRAME for a wrong wire type.
    # Checked for the kinds themselves, where it decides between MALFORMED_FRAME and
    # EMPTY_FRAME.
    unknown = UnknownFieldSet(frame)
    for index in range(len(unknown)):
        field = unknown[index]
        number: int = field.field_number
        if number in _FRAME_KINDS:
            return ProtocolError(
                "MALFORMED_FRAME",
                f"the frame body is not a valid polyproc.v1.Frame (field {number}, "
                f"{_FRAME_KINDS[number]}, has wire type {field.wire_type} instead of a "
                "length-delimited message)",
            )
    return ProtocolError(
        "EMPTY_FRAME",
        "the frame carries no message kind known to protocol v1; the peer may speak a "
        "newer version without having negotiated it",
    )


def _parse(body: bytes) -> Frame:
    # Raises ProtocolError MALFORMED_FRAME for bytes that are not a Frame and VALUE_TOO_DEEP
    # for nesting past the protocol's limits.
    with _lock:
        try:
            return _from_string(body)
        except DecodeError as error:
            message = str(error)
            if not any(failure in message for failure in _DEPTH_FAILURES):
                raise _malformed(error) from None
        except UnicodeDecodeError as error:  # the pure-Python backend's invalid UTF-8
            raise _malformed(error) from None
        except RecursionError:  # a backend that recurses in Python without a limit
            pass
    check_nesting(body)
    return _parse_scanned(body)


def _parse_scanned(body: bytes) -> Frame:
    # body nests within PROTOBUF_RECURSION_LIMIT: safe to parse without the usual limit.
    if _switch is None:
        raise ProtocolError(
            "VALUE_TOO_DEEP",
            f"the frame nests deeper than the {api_implementation.Type()} protobuf backend "
            "parses; use the upb backend (the protobuf package's default) or flatter values",
        )
    lift, restore = _switch
    with _lock:
        lift()
        try:
            return _from_string(body)
        except (DecodeError, UnicodeDecodeError) as error:
            raise _malformed(error) from None
        except RecursionError:
            raise ProtocolError(
                "VALUE_TOO_DEEP",
                "the frame nests deeper than the interpreter's recursion limit allows",
            ) from None
        finally:
            restore()


def _malformed(error: Exception) -> ProtocolError:
    return ProtocolError(
        "MALFORMED_FRAME",
        f"the frame body is not a valid polyproc.v1.Frame ({error}); the peer sent bytes "
        "that are not protocol v1, or corrupted them",
    )
