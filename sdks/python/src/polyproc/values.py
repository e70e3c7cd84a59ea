"""Mapping between Python values and protobuf Values (PROTOCOL.md §9).

| Python                                   | Value  | back to Python |
| ---------------------------------------- | ------ | -------------- |
| None                                     | null   | None           |
| bool (checked before int)                | bool   | bool           |
| int within int64                         | int    | int            |
| float (NaN as the quiet NaN, -0.0 kept)  | double | float          |
| str without lone surrogates              | string | str            |
| bytes, bytearray, memoryview             | bytes  | bytes          |
| list, tuple                              | list   | list           |
| dict with str keys (written sorted)      | map    | dict           |

Subclasses map as their base (an IntEnum member is an int). Anything else, a cycle or a
tree deeper than 64 levels raises ProtocolError naming the path, e.g. ``args.items[3].price``.

Values are built top-down, in place (`fill_value(frame.call.args, native)`): upb copies a
message passed to a constructor, `append` or `MergeFrom` through its parser, which refuses
nesting past about 50 Value levels; `CopyFrom` and in-place building do not.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any, TypeAlias

from polyproc._native_hints import (
    LONE_SURROGATE,
    LONE_SURROGATE_KEY,
    key_type_violation,
    outside_int64,
    unsupported,
)
from polyproc._violation import Violation
from polyproc.errors import ProtocolError
from polyproc.limits import MAX_VALUE_DEPTH
from polyproc.v1.frame_pb2 import Frame
from polyproc.v1.value_pb2 import Value
from polyproc.validate import NO_KIND, TOO_DEEP, frame_value_field, validate_value
from polyproc.value_path import join_path

__all__ = [
    "PlainValue",
    "fill_value",
    "frame_value",
    "from_value",
    "sort_map_keys",
    "to_value",
]

PlainValue: TypeAlias = (
    bool | int | float | str | bytes | list["PlainValue"] | dict[str, "PlainValue"] | None
)
"""PlainValue is what a Value is in Python: what `from_value` returns."""

# The one NaN on the wire: 0x7FF8000000000000 (§9.3). float("nan") is usually this one, but
# NaNs with another sign or payload (struct.unpack, numpy, arithmetic) must be replaced.
_QUIET_NAN: float = struct.unpack(">d", bytes.fromhex("7ff8000000000000"))[0]

_SCALARS = frozenset({"bool_value", "int_value", "double_value", "string_value", "bytes_value"})


def to_value(native: object, path: str = "value") -> Value:
    """to_value maps a Python value to a new Value (see the module's table).

    It raises ProtocolError INVALID_VALUE (a type with no mapping, an int outside int64, a
    lone surrogate, a dict key that is not a str, a cycle) or VALUE_TOO_DEEP (more than 64
    levels), whose `path` names the place from the root `path`: ``args.items[3].price``.
    """
    value = Value()
    try:
        _fill(value, native, 1)
    except Violation as violation:
        raise _native_error(violation, path) from None
    return value


def fill_value(target: Value, native: object, path: str = "value") -> None:
    """fill_value is to_value writing into an existing Value, e.g. ``frame.call.args``.

    It clears target first. It is the way to put a value into a frame: it builds the tree in
    place, top-down, without a copy. On error target is left partly filled; discard it.
    """
    target.Clear()
    try:
        _fill(target, native, 1)
    except Violation as violation:
        raise _native_error(violation, path) from None


def from_value(value: Value, path: str = "value") -> PlainValue:
    """from_value maps a Value to Python (see the module's table).

    A Value with no kind at the root is None: it is what protobuf returns for an absent field
    (``frame.call.args`` of a Call without arguments), and absent means null (§9.1). Values
    from FrameDecoder are valid; an invalid one raises ProtocolError like `validate_value`.
    """
    kind = value.WhichOneof("kind")
    if kind is None:
        return None
    try:
        return _convert(value, kind, 1)
    except _Invalid:
        raise _invalid_error(value, path) from None


def frame_value(frame: Frame) -> PlainValue:
    """frame_value gives the one Value a frame carries as Python, validating it on the way.

    That is Call.args, Result.value or Result.error.details, StreamItem.value,
    StreamEnd.error.details, Publish.value or Welcome.settings (`frame_value_field`); None
    when it is absent or the kind carries none. An invalid Value raises ProtocolError with
    the decoder's path root (``call.args[2]``). It is `validate_frame_values` and
    `from_value` in one walk; `FrameDecoder.push_values` uses it.
    """
    field = frame_value_field(frame)
    if field is None:
        return None
    parent, name, path = field
    value: Value = getattr(parent, name)
    kind = value.WhichOneof("kind")
    if kind is None:
        if parent.HasField(name):
            raise ProtocolError("INVALID_VALUE", f"{path}: {NO_KIND}", path)
        return None
    try:
        return _convert(value, kind, 1)
    except _Invalid:
        raise _invalid_error(value, path) from None


def sort_map_keys(keys: Iterable[str]) -> list[str]:
    """sort_map_keys orders map keys as encoders write them: by Unicode code point (§9.6).

    That is UTF-8 byte order, and Python's own str order (unlike JavaScript's UTF-16 order).
    """
    return sorted(keys)


# ---- Python -> Value ------------------------------------------------------------------------


def _fill(target: Value, native: Any, depth: int) -> None:
    # The most frequent types first; subclasses fall through to the isinstance checks.
    cls = type(native)
    if cls is str:
        try:
            target.string_value = native
        except ValueError:  # UnicodeEncodeError from upb, ValueError from pure Python
            raise Violation("INVALID_VALUE", LONE_SURROGATE) from None
    elif cls is int:
        try:
            target.int_value = native
        except ValueError:
            raise Violation("INVALID_VALUE", outside_int64(native)) from None
    elif cls is dict:
        _fill_map(target, native, depth)
    elif cls is list or cls is tuple:
        _fill_list(target, native, depth)
    elif cls is float:
        target.double_value = native if native == native else _QUIET_NAN
    elif native is None:
        target.null_value.SetInParent()
    elif cls is bool:
        target.bool_value = native
    elif cls is bytes:
        target.bytes_value = native
    else:
        _fill_other(target, native, depth)


def _fill_other(target: Value, native: object, depth: int) -> None:
    # Subclasses of the supported types (bool has none), the other bytes-like types, errors.
    if isinstance(native, int):
        _fill(target, int(native), depth)
    elif isinstance(native, float):
        _fill(target, float(native), depth)
    elif isinstance(native, str):
        _fill(target, str(native), depth)
    elif isinstance(native, bytes | bytearray):
        target.bytes_value = bytes(native)
    elif isinstance(native, memoryview):
        target.bytes_value = native.tobytes()
    elif isinstance(native, dict):
        _fill_map(target, native, depth)
    elif isinstance(native, list | tuple):
        _fill_list(target, native, depth)
    else:
        raise Violation("INVALID_VALUE", unsupported(native))


def _fill_list(target: Value, native: list[object] | tuple[object, ...], depth: int) -> None:
    if not native:
        target.list_value.SetInParent()
        return
    if depth >= MAX_VALUE_DEPTH:
        violation = Violation("VALUE_TOO_DEEP", TOO_DEEP)
        violation.segments.append(0)
        violation.containers.append(native)
        raise violation
    add = target.list_value.items.add
    index = 0
    try:
        for index, item in enumerate(native):  # noqa: B007 (read in the handler)
            _fill(add(), item, depth + 1)
    except Violation as violation:
        violation.segments.append(index)
        violation.containers.append(native)
        raise


def _fill_map(target: Value, native: dict[object, object], depth: int) -> None:
    if not native:
        target.map_value.SetInParent()
        return
    try:
        keys: list[object] = sorted(native)  # type: ignore[type-var]
    except TypeError:
        keys = list(native)  # keys of several types: the loop reports the first non-str one
    if depth >= MAX_VALUE_DEPTH:
        first = keys[0]
        if not isinstance(first, str):
            raise key_type_violation(first)
        violation = Violation("VALUE_TOO_DEEP", TOO_DEEP)
        violation.segments.append(first)
        violation.containers.append(native)
        raise violation
    add = target.map_value.entries.add
    for key in keys:
        if type(key) is not str and not isinstance(key, str):
            raise key_type_violation(key)
        entry = add()
        try:
            entry.key = key
        except ValueError:  # UnicodeEncodeError from upb, ValueError from pure Python
            violation = Violation("INVALID_VALUE", LONE_SURROGATE_KEY)
            violation.segments.append(key)
            raise violation from None
        try:
            _fill(entry.value, native[key], depth + 1)
        except Violation as violation:
            violation.segments.append(key)
            violation.containers.append(native)
            raise


def _native_error(violation: Violation, root: str) -> ProtocolError:
    # Every cycle ends as VALUE_TOO_DEEP: tell it apart by a container that is its own ancestor.
    if violation.kind == "VALUE_TOO_DEEP":
        # Outermost first; the container at index i is reached through segments[:i].
        containers = violation.containers[::-1]
        segments = violation.segments[::-1]
        seen: set[int] = set()
        for level, container in enumerate(containers):
            if id(container) in seen:
                path = join_path(root, segments[:level])
                return ProtocolError(
                    "INVALID_VALUE",
                    f"{path}: the value contains itself (a cycle); send a tree, e.g. a copy "
                    "without the back reference",
                    path,
                )
            seen.add(id(container))
    return violation.error(root)


# ---- Value -> Python ------------------------------------------------------------------------


class _Invalid(Exception):
    """_Invalid says that a Value breaks a rule; validate_value then names which, and where."""


def _invalid_error(value: Value, path: str) -> ProtocolError:
    # The converting walker only notices that a rule is broken; the validating walker says
    # which one, and where, in the order of §3.4.
    try:
        validate_value(value, path)
    except ProtocolError as error:
        return error
    return ProtocolError("INVALID_VALUE", f"{path}: the value breaks a rule of §9", path)


def _convert(value: Value, kind: str, depth: int) -> PlainValue:
    if kind in _SCALARS:
        scalar: PlainValue = getattr(value, kind)
        return scalar
    if kind == "map_value":
        entries = value.map_value.entries
        if depth >= MAX_VALUE_DEPTH and entries:
            raise _Invalid
        out: dict[str, PlainValue] = {}
        for entry in entries:
            item = entry.value
            item_kind = item.WhichOneof("kind")
            if item_kind in _SCALARS:
                out[entry.key] = getattr(item, item_kind)
            elif item_kind is None:
                # An entry without a value holds null (§9.1); one with an empty Value is invalid.
                if entry.HasField("value"):
                    raise _Invalid
                out[entry.key] = None
            else:
                out[entry.key] = _convert(item, item_kind, depth + 1)
        if len(out) != len(entries):
            raise _Invalid  # a key appears twice
        return out
    if kind == "list_value":
        items = value.list_value.items
        if depth >= MAX_VALUE_DEPTH and items:
            raise _Invalid
        result: list[PlainValue] = []
        append = result.append
        for item in items:
            item_kind = item.WhichOneof("kind")
            if item_kind in _SCALARS:
                append(getattr(item, item_kind))
            elif item_kind is None:
                raise _Invalid  # a list item cannot be absent (§9.1)
            else:
                append(_convert(item, item_kind, depth + 1))
        return result
    if kind == "null_value":
        return None
    raise _Invalid
