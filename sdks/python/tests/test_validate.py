"""Tests of Value validation: validate_value and validate_frame_values (§3.4 step 4, §9)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import error_of
from polyproc import (
    MAX_VALUE_DEPTH,
    Code,
    Frame,
    FrameDecoder,
    Value,
    encode_frames,
    fill_value,
    frame_value,
    frame_value_field,
    from_value,
    validate_frame_values,
    validate_value,
)


def no_kind_at(value: Value) -> Value:
    """no_kind_at puts a present Value without a kind inside value: value.b[1]."""
    fill_value(value, {"a": 1, "b": [1, 2]})
    entry = value.map_value.entries[1]
    entry.value.list_value.items[1].Clear()
    return value


CARRIERS: dict[str, Callable[[Frame], Value]] = {
    "call.args": lambda f: f.call.args,
    "result.value": lambda f: f.result.value,
    "result.error.details": lambda f: f.result.error.details,
    "streamItem.value": lambda f: f.stream_item.value,
    "streamEnd.error.details": lambda f: f.stream_end.error.details,
    "publish.value": lambda f: f.publish.value,
    "welcome.settings": lambda f: f.welcome.settings,
}


@pytest.mark.parametrize("root", list(CARRIERS))
def test_every_value_of_a_frame_is_validated_with_its_path(root: str) -> None:
    frame = Frame()
    no_kind_at(CARRIERS[root](frame))
    error = error_of(lambda: validate_frame_values(frame))
    assert error.kind == "INVALID_VALUE"
    assert error.path == f"{root}.b[1]"
    assert error.message.startswith(f"{root}.b[1]: the Value has no kind set;")
    # The decoder runs the same checks.
    wire = encode_frames([frame])
    assert error_of(lambda: FrameDecoder().push(wire)).path == f"{root}.b[1]"


def test_absent_values_are_null_and_valid() -> None:
    # Each carrier's message present, its Value absent.
    frames = [Frame() for _ in range(7)]
    frames[0].call.id = 1
    frames[1].result.id = 1
    frames[2].result.error.code = Code.INTERNAL.to_wire()
    frames[3].stream_item.id = 1
    frames[4].stream_end.error.code = Code.CANCELLED.to_wire()
    frames[5].publish.topic = "t"
    frames[6].welcome.protocol = 1
    for frame in frames:
        validate_frame_values(frame)
        assert len(FrameDecoder().push(encode_frames([frame]))) == 1


def test_a_present_value_without_kind_is_invalid() -> None:
    error = error_of(lambda: validate_value(Value(), "args"))
    assert (error.kind, error.path) == ("INVALID_VALUE", "args")


def test_duplicate_keys_are_invalid_in_any_order() -> None:
    value = Value()
    for key in ("b", "a", "c", "a"):
        entry = value.map_value.entries.add()
        entry.key = key
        entry.value.null_value.SetInParent()
    error = error_of(lambda: validate_value(value, "args"))
    assert (error.kind, error.path) == ("INVALID_VALUE", "args.a")
    assert "appears twice" in error.message


def test_unsorted_keys_are_valid() -> None:
    value = Value()
    for key in ("b", "a"):
        entry = value.map_value.entries.add()
        entry.key = key
        entry.value.int_value = 1
    validate_value(value)


def test_map_entries_without_value_are_null_and_count_for_depth() -> None:
    value = Value()
    value.map_value.entries.add().key = "a"
    validate_value(value)
    # A map at level 64 holding an entry without value: null at level 65, too deep.
    root = Value()
    inner = root
    for _ in range(MAX_VALUE_DEPTH - 1):
        inner = inner.list_value.items.add()
    inner.map_value.entries.add().key = "k"
    error = error_of(lambda: validate_value(root, "v"))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path == "v" + "[0]" * (MAX_VALUE_DEPTH - 1) + ".k"


def test_depth_is_counted_as_protocol_section_9_4_says() -> None:
    def chain(levels: int, leaf: Callable[[Value], None]) -> Value:
        root = Value()
        value = root
        for _ in range(levels - 1):
            value = value.list_value.items.add()
        leaf(value)
        return root

    # A scalar, an empty list and an empty map are one level.
    validate_value(chain(MAX_VALUE_DEPTH, lambda v: v.list_value.SetInParent()))
    validate_value(chain(MAX_VALUE_DEPTH, lambda v: v.map_value.SetInParent()))
    validate_value(chain(MAX_VALUE_DEPTH, lambda v: setattr(v, "string_value", "s")))
    too_deep = chain(MAX_VALUE_DEPTH + 1, lambda v: setattr(v, "bool_value", True))
    error = error_of(lambda: validate_value(too_deep, "x"))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path == "x" + "[0]" * MAX_VALUE_DEPTH
    assert "deeper than 64 levels" in error.message


def test_the_first_broken_rule_in_order_is_reported() -> None:
    value = Value()
    fill_value(value, [1, [2, 3], 4])
    value.list_value.items[1].list_value.items[0].Clear()
    value.list_value.items[2].Clear()
    assert error_of(lambda: validate_value(value, "v")).path == "v[1][0]"


# ---- the converting walker agrees with the validating one ---------------------------------


def corrupt(value: Value, how: int, at: int) -> None:
    """corrupt breaks one rule somewhere in a Value tree built by fill_value."""
    nodes: list[Value] = []

    def collect(node: Value) -> None:
        nodes.append(node)
        kind = node.WhichOneof("kind")
        if kind == "list_value":
            for item in node.list_value.items:
                collect(item)
        elif kind == "map_value":
            for entry in node.map_value.entries:
                collect(entry.value)

    collect(value)
    node = nodes[at % len(nodes)]
    if how == 0:
        node.Clear()
        node.SetInParent()
    elif how == 1:
        first = node.list_value.items.add()
        first.Clear()
    elif how == 2:
        entries = node.map_value.entries
        for key in ("dup", "dup"):
            entry = entries.add()
            entry.key = key
            entry.value.bool_value = True
    else:
        for _ in range(MAX_VALUE_DEPTH):
            node = node.list_value.items.add()
        node.null_value.SetInParent()


natives = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(natives, st.integers(0, 3), st.integers(0, 1000))
def test_from_value_and_push_values_report_what_validation_reports(
    native: object, how: int, at: int
) -> None:
    frame = Frame()
    frame.call.id = 1
    fill_value(frame.call.args, native)
    try:
        corrupt(frame.call.args, how, at)
    except (TypeError, AttributeError, ValueError):
        return  # that corruption does not apply to that node (a scalar turned list, ...)
    expected = error_of(lambda: validate_frame_values(frame))
    wire = encode_frames([frame])
    for error in (
        error_of(lambda: FrameDecoder().push(wire)),
        error_of(lambda: FrameDecoder().push_values(wire)),
        error_of(lambda: frame_value(frame)),
    ):
        assert (error.kind, error.path, error.message) == (
            expected.kind,
            expected.path,
            expected.message,
        )
    if expected.path != "call.args":  # from_value reads a kind-less root as an absent field
        converted = error_of(lambda: from_value(frame.call.args, "call.args"))
        assert (converted.kind, converted.path) == (expected.kind, expected.path)


def test_frame_value_field_locates_each_carrier() -> None:
    for root, get in CARRIERS.items():
        frame = Frame()
        fill_value(get(frame), [1])
        located = frame_value_field(frame)
        assert located is not None
        parent, name, path = located
        assert path == root
        assert getattr(parent, name) == get(frame)
        assert frame_value(frame) == [1]
    ping = Frame()
    ping.ping.seq = 1
    assert frame_value_field(ping) is None
    assert frame_value(ping) is None
    empty_result = Frame()
    empty_result.result.id = 1
    assert frame_value_field(empty_result) is None
    assert frame_value(empty_result) is None
