"""A schema-aware, non-recursive scan of a frame body's nesting (PROTOCOL.md §3.4, note Python).

Python's upb parser refuses messages nested deeper than 100 levels; a 64-level Value of maps
needs about 195, and every runtime must parse 200 (§3.4). When a parse fails for depth,
`check_nesting` reads the raw bytes with an explicit stack, guided by the Frame's
descriptors, and finds how deep the messages nest without building anything and without
recursion: a hostile frame nested 100,000 levels deep costs microseconds and no stack. A
frame within 200 levels may then be parsed again with upb's limit lifted (frame_body.py);
the validation that follows reports a Value deeper than 64 levels with its path, as the
other languages' decoders do. Deeper than 200 is VALUE_TOO_DEEP at once, without a path,
like their parsers' recursion-limit failure.

The scan visits every field of every known message (unknown length-delimited fields are
skipped whole, as upb keeps them as bytes) and follows unknown groups too, since upb
descends into those as well.
"""

from __future__ import annotations

from typing import cast

from google.protobuf.descriptor import Descriptor

from polyproc.errors import ProtocolError
from polyproc.limits import MAX_VALUE_DEPTH, PROTOBUF_RECURSION_LIMIT
from polyproc.v1.frame_pb2 import Frame

__all__ = ["check_nesting"]

_UNKNOWN = -1  # a group, or a message of a type the schema does not name: no known fields
_VARINT, _FIXED64, _LENGTH_DELIMITED, _START_GROUP, _END_GROUP, _FIXED32 = range(6)


def _message_table(root: Descriptor) -> list[dict[int, int]]:
    """For every message type reachable from root, its message fields.

    Types are numbered from 0 (root); children[t] maps a field number of type t to the type
    number of that field's message.
    """
    numbers: dict[str, int] = {root.full_name: 0}
    descriptors = [root]
    children: list[dict[int, int]] = []
    for descriptor in descriptors:  # grows while it is walked: a breadth-first traversal
        fields: dict[int, int] = {}
        for field in descriptor.fields:
            child = field.message_type
            if child is None:
                continue
            if child.full_name not in numbers:
                numbers[child.full_name] = len(descriptors)
                descriptors.append(child)
            fields[field.number] = numbers[child.full_name]
        children.append(fields)
    return children


_CHILDREN = _message_table(cast(Descriptor, Frame.DESCRIPTOR))


def check_nesting(body: bytes | memoryview) -> None:
    """check_nesting raises ProtocolError unless body nests within the protocol's limits.

    VALUE_TOO_DEEP when messages (or unknown groups) nest deeper than
    PROTOBUF_RECURSION_LIMIT; MALFORMED_FRAME when the wire format is broken before that is
    found. Returning means that upb may parse body without its depth limit: the recursion
    is bounded by PROTOBUF_RECURSION_LIMIT.
    """
    data = body
    pos = 0
    end = len(data)
    message = 0  # the Frame
    group = 0  # the field number of the group being read at this level, 0 in a message
    # The enclosing levels: (end, message, group) of each.
    stack: list[tuple[int, int, int]] = []
    while True:
        if pos >= end:
            if pos > end:
                raise _malformed("a field runs past the end of its message")
            if group:
                raise _malformed(f"group {group} is not closed")
            if not stack:
                return
            end, message, group = stack.pop()
            continue
        tag, pos = _varint(data, pos, end)
        field = tag >> 3
        wire_type = tag & 7
        if field == 0:
            raise _malformed("a field number is 0")
        if wire_type == _VARINT:
            _, pos = _varint(data, pos, end)
        elif wire_type == _LENGTH_DELIMITED:
            length, pos = _varint(data, pos, end)
            child_end = pos + length
            if child_end > end:
                raise _malformed("a length-delimited field runs past the end of its message")
            child = _CHILDREN[message].get(field, _UNKNOWN) if message != _UNKNOWN else _UNKNOWN
            if child == _UNKNOWN:
                pos = child_end
                continue
            stack.append((end, message, group))
            if len(stack) >= PROTOBUF_RECURSION_LIMIT:
                raise _too_deep()
            end = child_end
            message = child
            group = 0
        elif wire_type == _FIXED64:
            pos += 8
        elif wire_type == _FIXED32:
            pos += 4
        elif wire_type == _START_GROUP:
            stack.append((end, message, group))
            if len(stack) >= PROTOBUF_RECURSION_LIMIT:
                raise _too_deep()
            message = _UNKNOWN
            group = field
        elif wire_type == _END_GROUP:
            if group != field:
                raise _malformed(f"an end of group {field} without its start")
            end, message, group = stack.pop()
        else:
            raise _malformed(f"wire type {wire_type} does not exist")


def _varint(data: bytes | memoryview, pos: int, end: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while pos < end:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise _malformed("a varint is longer than 10 bytes")
    raise _malformed("a varint is cut off by the end of its message")


def _too_deep() -> ProtocolError:
    return ProtocolError(
        "VALUE_TOO_DEEP",
        f"the frame nests messages deeper than {PROTOBUF_RECURSION_LIMIT} levels, so it carries "
        f"a Value deeper than {MAX_VALUE_DEPTH} levels; the peer must flatten its data",
    )


def _malformed(reason: str) -> ProtocolError:
    return ProtocolError(
        "MALFORMED_FRAME", f"the frame body is not a valid polyproc.v1.Frame ({reason})"
    )
