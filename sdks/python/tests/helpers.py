"""Shared helpers of the tests: the spec's vectors, wire-format builders, value comparison."""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format

from polyproc import (
    Frame,
    FrameDecoder,
    PlainValue,
    ProtocolError,
    ProtocolErrorKind,
    encode_frames,
    fill_value,
    from_value,
)

__all__ = [
    "QUIET_NAN_BITS",
    "VECTORS",
    "InvalidVector",
    "ValidVector",
    "assert_same_native",
    "deep_body",
    "error_of",
    "frame_bytes",
    "length_delimited",
    "load_invalid",
    "load_valid",
    "normal_bytes",
    "parse_json_frame",
    "varint",
    "varint_field",
]

VECTORS = Path(__file__).resolve().parents[3] / "spec" / "vectors"
QUIET_NAN_BITS = 0x7FF8000000000000


@dataclass(frozen=True)
class ValidVector:
    """ValidVector is one file of spec/vectors/valid."""

    name: str
    description: str
    raw: bytes
    frame: dict[str, Any]
    canonical: bool


@dataclass(frozen=True)
class InvalidVector:
    """InvalidVector is one file of spec/vectors/invalid."""

    name: str
    description: str
    raw: bytes
    error: ProtocolErrorKind
    max_frame_bytes: int


def _load(kind: str) -> list[dict[str, Any]]:
    files = sorted((VECTORS / kind).glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


def load_valid() -> list[ValidVector]:
    """load_valid reads spec/vectors/valid/*.json, sorted by file name."""
    return [
        ValidVector(
            v["name"], v["description"], bytes.fromhex(v["hex"]), v["frame"], v["canonical"]
        )
        for v in _load("valid")
    ]


def load_invalid() -> list[InvalidVector]:
    """load_invalid reads spec/vectors/invalid/*.json, sorted by file name."""
    return [
        InvalidVector(
            v["name"], v["description"], bytes.fromhex(v["hex"]), v["error"], v["maxFrameBytes"]
        )
        for v in _load("invalid")
    ]


def parse_json_frame(frame: dict[str, Any]) -> Frame:
    """parse_json_frame is the protobuf runtime's own parse of a vector's JSON frame."""
    return json_format.ParseDict(frame, Frame(), max_recursion_depth=1000)


def normal_bytes(frame: Frame) -> bytes:
    """normal_bytes serializes a frame deterministically, without its unknown fields."""
    copy = Frame()
    copy.CopyFrom(frame)
    copy.DiscardUnknownFields()
    return copy.SerializeToString(deterministic=True)


def error_of(call: Any) -> ProtocolError:
    """error_of runs call() and returns the ProtocolError it raises; it fails if none is."""
    try:
        call()
    except ProtocolError as error:
        return error
    raise AssertionError("expected a ProtocolError, nothing was raised")


# ---- wire-format builders -------------------------------------------------------------------


def varint(n: int) -> bytes:
    """varint is n as a protobuf varint (n >= 0)."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def varint_field(field: int, n: int) -> bytes:
    """varint_field is a varint field."""
    return varint(field << 3) + varint(n)


def length_delimited(field: int, payload: bytes) -> bytes:
    """length_delimited is a length-delimited field (a message, a string, bytes)."""
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def frame_bytes(body: bytes) -> bytes:
    """frame_bytes is body with its 4-byte big-endian length."""
    return struct.pack(">I", len(body)) + body


def deep_body(levels: int, kind: str = "list", wrap: tuple[int, ...] = (1, 4)) -> bytes:
    """deep_body is a frame body whose Value nests `levels` levels, built in linear time.

    The Value sits at the path of field numbers `wrap` (default Frame.call, Call.args).
    Each list level is Value.list_value(7) > ListValue.items(1); each map level is
    Value.map_value(8) > MapValue.entries(1) > MapEntry(key "k", value(2)). The innermost
    Value is the int 1. Lengths are computed from the inside out, then the headers are
    written from the outside in, so no level is copied.
    """
    inner = varint_field(3, 2)  # int_value 1, zigzag 2
    if kind == "list":
        layer = [(1, b""), (7, b"")]  # innermost wrapping first: ListValue.items, Value.list
    elif kind == "map":
        layer = [(2, b""), (1, length_delimited(1, b"k")), (8, b"")]
    else:
        raise ValueError(kind)
    headers: list[bytes] = []
    size = len(inner)
    for _ in range(levels - 1):
        for field, prefix in layer:
            size += len(prefix)
            header = varint(field << 3 | 2) + varint(size) + prefix
            headers.append(header)
            size += len(header) - len(prefix)
    for field in reversed(wrap):
        header = varint(field << 3 | 2) + varint(size)
        headers.append(header)
        size += len(header)
    return b"".join(reversed(headers)) + inner


# ---- native values --------------------------------------------------------------------------


def _float_bits(x: float) -> int:
    bits: int = struct.unpack(">Q", struct.pack(">d", x))[0]
    return bits


def assert_same_native(expected: object, actual: object, path: str = "value") -> None:
    """assert_same_native compares what went into to_value with what came out of from_value.

    Types must match exactly after the mapping's normalisation (tuple -> list, bytearray and
    memoryview -> bytes, subclasses -> base), and floats bit for bit, NaN as the quiet NaN.
    """
    if isinstance(expected, bool):
        assert type(actual) is bool, f"{path}: {actual!r} is not a bool"
        assert actual is expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, int):
        assert type(actual) is int, f"{path}: {actual!r} is not an int"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, float):
        assert type(actual) is float, f"{path}: {actual!r} is not a float"
        want = QUIET_NAN_BITS if math.isnan(expected) else _float_bits(expected)
        assert _float_bits(actual) == want, f"{path}: {actual!r} != {expected!r} bitwise"
    elif isinstance(expected, str):
        assert type(actual) is str, f"{path}: {actual!r} is not a str"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, bytes | bytearray | memoryview):
        assert type(actual) is bytes, f"{path}: {actual!r} is not bytes"
        assert actual == bytes(expected), f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, list | tuple):
        assert type(actual) is list, f"{path}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{path}: lengths differ"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            assert_same_native(want, got, f"{path}[{index}]")
    elif isinstance(expected, dict):
        assert type(actual) is dict, f"{path}: {actual!r} is not a dict"
        assert sorted(actual) == sorted(expected), f"{path}: keys differ"
        for key, want in expected.items():
            assert_same_native(want, actual[key], f"{path}.{key}")
    else:
        assert expected is None, f"{path}: unexpected input {expected!r}"
        assert actual is None, f"{path}: {actual!r} is not None"


def round_trip(native: object) -> PlainValue:
    """round_trip sends native through to_value, the encoder, the decoder and from_value."""
    frame = Frame()
    frame.stream_item.id = 1
    fill_value(frame.stream_item.value, native, "item")
    (decoded,) = FrameDecoder().push(encode_frames([frame]))
    return from_value(decoded.stream_item.value)
