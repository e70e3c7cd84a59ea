"""Validation of decoded Values: the rules of PROTOCOL.md §9 that protobuf cannot check.

Every Value has a kind, no map has a key twice, no tree is deeper than MAX_VALUE_DEPTH.
One walker serves `validate_value` and `validate_frame_values`, which the frame decoder
runs on every frame (§3.4 step 4), and names the broken rule and its path whenever the
converting walker of values.py (`from_value`, `frame_value`) meets an invalid Value.
"""

from __future__ import annotations

from google.protobuf.internal.containers import RepeatedCompositeFieldContainer
from google.protobuf.message import Message

from polyproc._violation import Violation
from polyproc.errors import ProtocolError
from polyproc.limits import MAX_VALUE_DEPTH
from polyproc.v1.frame_pb2 import Frame
from polyproc.v1.value_pb2 import MapEntry, Value

__all__ = ["frame_value_field", "validate_frame_values", "validate_value"]

NO_KIND = (
    "the Value has no kind set; set exactly one of null, bool, int, double, string, bytes, "
    "list or map"
)
TOO_DEEP = (
    f"the value is nested deeper than {MAX_VALUE_DEPTH} levels; flatten it, or send the deep "
    "part as a JSON string or as bytes"
)
DUPLICATE_KEY = "the key appears twice in its map; each key of a map must appear once"


def validate_value(value: Value, path: str = "value") -> None:
    """validate_value checks one Value tree (§9).

    It raises ProtocolError INVALID_VALUE (a Value without a kind, a map key twice) or
    VALUE_TOO_DEEP (more than 64 levels), whose `path` names the place from the root `path`.
    """
    try:
        check(value, 1)
    except Violation as violation:
        raise violation.error(path) from None


def validate_frame_values(frame: Frame) -> None:
    """validate_frame_values validates every Value a frame carries (§3.4 step 4).

    A frame carries at most one (see `frame_value_field`); absent, it means null. Paths
    start at the frame's kind: ``call.args.items[2]``.
    """
    field = frame_value_field(frame)
    if field is None:
        return
    parent, name, path = field
    value: Value = getattr(parent, name)
    kind = value.WhichOneof("kind")
    if kind == "map_value" or kind == "list_value":
        validate_value(value, path)
    # A present Value without a kind is invalid; reading the kind first spares the HasField
    # call on the usual path.
    elif kind is None and parent.HasField(name):
        raise ProtocolError("INVALID_VALUE", f"{path}: {NO_KIND}", path)


def frame_value_field(frame: Frame) -> tuple[Message, str, str] | None:
    """frame_value_field locates the one Value a frame carries, if its kind carries one.

    It returns the message holding the Value field, the field's name and the path root of
    §9.8: Call.args ("call.args"), Result.value or Result.error.details, StreamItem.value
    ("streamItem.value"), StreamEnd.error.details, Publish.value, Welcome.settings. The
    field itself may be absent (null). Other kinds, and a Result without outcome, give None.
    """
    kind = frame.WhichOneof("kind")
    if kind == "call":
        return frame.call, "args", "call.args"
    if kind == "result":
        result = frame.result
        outcome = result.WhichOneof("outcome")
        if outcome == "value":
            return result, "value", "result.value"
        if outcome == "error":
            return result.error, "details", "result.error.details"
        return None
    if kind == "stream_item":
        return frame.stream_item, "value", "streamItem.value"
    if kind == "stream_end":
        return frame.stream_end.error, "details", "streamEnd.error.details"
    if kind == "publish":
        return frame.publish, "value", "publish.value"
    if kind == "welcome":
        return frame.welcome, "settings", "welcome.settings"
    return None


def check(value: Value, depth: int) -> None:
    """check validates a Value at depth `depth` (1 for a root); it raises Violation."""
    kind = value.WhichOneof("kind")
    if kind == "list_value":
        _check_list(value.list_value.items, depth)
    elif kind == "map_value":
        _check_map(value.map_value.entries, depth)
    elif kind is None:
        raise Violation("INVALID_VALUE", NO_KIND)


def _check_list(items: RepeatedCompositeFieldContainer[Value], depth: int) -> None:
    if not items:
        return
    if depth >= MAX_VALUE_DEPTH:
        violation = Violation("VALUE_TOO_DEEP", TOO_DEEP)
        violation.segments.append(0)
        raise violation
    index = 0
    try:
        for index in range(len(items)):
            item = items[index]
            kind = item.WhichOneof("kind")
            if kind == "list_value":
                _check_list(item.list_value.items, depth + 1)
            elif kind == "map_value":
                _check_map(item.map_value.entries, depth + 1)
            elif kind is None:
                raise Violation("INVALID_VALUE", NO_KIND)
    except Violation as violation:
        violation.segments.append(index)
        raise


def _check_map(entries: RepeatedCompositeFieldContainer[MapEntry], depth: int) -> None:
    if not entries:
        return
    if depth >= MAX_VALUE_DEPTH:
        violation = Violation("VALUE_TOO_DEEP", TOO_DEEP)
        violation.segments.append(entries[0].key)
        raise violation
    # Keys are only collected when there are several.
    seen: set[str] | None = set() if len(entries) > 1 else None
    key = ""
    try:
        for index in range(len(entries)):
            entry = entries[index]
            key = entry.key
            if seen is not None:
                if key in seen:
                    raise Violation("INVALID_VALUE", DUPLICATE_KEY)
                seen.add(key)
            item = entry.value
            kind = item.WhichOneof("kind")
            if kind == "list_value":
                _check_list(item.list_value.items, depth + 1)
            elif kind == "map_value":
                _check_map(item.map_value.entries, depth + 1)
            # An entry without a value holds null, like every absent Value field (§9.1).
            elif kind is None and entry.HasField("value"):
                raise Violation("INVALID_VALUE", NO_KIND)
    except Violation as violation:
        violation.segments.append(key)
        raise
