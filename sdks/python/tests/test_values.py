"""Tests of the value mapping: to_value, fill_value, from_value (PROTOCOL.md §9)."""

from __future__ import annotations

import array
import collections
import enum
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import QUIET_NAN_BITS, assert_same_native, error_of, round_trip
from polyproc import (
    MAX_VALUE_DEPTH,
    Frame,
    Value,
    fill_value,
    from_value,
    sort_map_keys,
    to_value,
    values,
)


def bits(x: float) -> int:
    result: int = struct.unpack(">Q", struct.pack(">d", x))[0]
    return result


# ---- the mapping table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("native", "kind"),
    [
        (None, "null_value"),
        (True, "bool_value"),
        (False, "bool_value"),
        (0, "int_value"),
        (-(2**63), "int_value"),
        (2**63 - 1, "int_value"),
        (0.0, "double_value"),
        (1.0, "double_value"),
        ("", "string_value"),
        ("grüße 日本 😀 \x00", "string_value"),
        (b"", "bytes_value"),
        (bytearray(b"ab"), "bytes_value"),
        (memoryview(b"ab"), "bytes_value"),
        ([], "list_value"),
        ((), "list_value"),
        ({}, "map_value"),
    ],
)
def test_each_python_type_has_its_kind(native: object, kind: str) -> None:
    assert to_value(native).WhichOneof("kind") == kind
    assert_same_native(native, round_trip(native))


def test_bool_is_checked_before_int() -> None:
    assert to_value(True).bool_value is True
    assert to_value(1).WhichOneof("kind") == "int_value"
    assert round_trip([True, 1, False, 0]) == [True, 1, False, 0]
    assert [type(x) for x in round_trip([True, 1])] == [bool, int]  # type: ignore[union-attr]


def test_floats_stay_floats_and_ints_stay_ints() -> None:
    assert type(round_trip(2.0)) is float
    assert type(round_trip(2**60)) is int
    assert type(round_trip(float(2**60))) is float


@pytest.mark.parametrize(
    "x", [-0.0, math.inf, -math.inf, 5e-324, 1.7976931348623157e308, 0.1, float(2**60)]
)
def test_doubles_keep_every_bit(x: float) -> None:
    out = round_trip(x)
    assert isinstance(out, float)
    assert bits(out) == bits(x)


@pytest.mark.parametrize(
    "nan_bits", [0x7FF8000000000000, 0xFFF8000000000000, 0x7FF0000000000001, 0x7FF8DEADBEEF0001]
)
def test_every_nan_is_written_as_the_quiet_nan(nan_bits: int) -> None:
    nan: float = struct.unpack(">d", struct.pack(">Q", nan_bits))[0]
    assert math.isnan(nan)
    wire = to_value(nan).SerializeToString()
    assert wire == b"\x21" + struct.pack("<Q", QUIET_NAN_BITS)
    out = round_trip(nan)
    assert isinstance(out, float)
    assert bits(out) == QUIET_NAN_BITS


def test_subclasses_map_as_their_base() -> None:
    class Color(enum.IntEnum):
        RED = 1

    class Name(str):
        __slots__ = ()

    class Ratio(float):
        __slots__ = ()

    class Blob(bytes):
        __slots__ = ()

    class Flag(enum.Enum):
        ON = "on"

    native = {
        "color": Color.RED,
        "name": Name("ada"),
        "ratio": Ratio(0.5),
        "blob": Blob(b"\x01"),
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
        "default": collections.defaultdict(int, {"x": 1}),
        "flag": Flag.ON.value,
    }
    out = round_trip(native)
    assert out == {
        "color": 1,
        "name": "ada",
        "ratio": 0.5,
        "blob": b"\x01",
        "ordered": {"a": 2, "b": 1},
        "default": {"x": 1},
        "flag": "on",
    }
    assert isinstance(out, dict)
    assert [type(out[k]) for k in ("color", "name", "ratio", "blob")] == [int, str, float, bytes]


def test_bytes_like_values_become_bytes() -> None:
    ints = array.array("i", [1, 2])
    assert round_trip(memoryview(ints)) == ints.tobytes()
    strided = memoryview(b"abcdef")[::2]
    assert round_trip(strided) == b"ace"
    assert round_trip(bytearray(b"\x00\xff")) == b"\x00\xff"


def test_tuples_become_lists() -> None:
    assert round_trip((1, ("a", ()))) == [1, ["a", []]]


def test_map_entries_are_written_in_code_point_order() -> None:
    value = to_value({"😀": 1, "\uff61": 2, "b": 3, "a": 4, "": 5, "é": 6})
    keys = [entry.key for entry in value.map_value.entries]
    assert keys == ["", "a", "b", "é", "\uff61", "😀"]
    # UTF-16 order would put the emoji (a surrogate pair) before U+FF61; UTF-8 byte order
    # is code point order.
    assert keys == sorted(keys, key=lambda k: k.encode("utf-8"))
    assert sort_map_keys(["😀", "\uff61"]) == ["\uff61", "😀"]


def test_equal_dicts_encode_to_equal_bytes_whatever_their_order() -> None:
    a = to_value({"x": 1, "y": {"b": 2, "a": 3}})
    b = to_value({"y": {"a": 3, "b": 2}, "x": 1})
    assert a.SerializeToString() == b.SerializeToString()


def test_from_value_gives_none_for_an_absent_value() -> None:
    frame = Frame()
    frame.call.id = 1
    assert not frame.call.HasField("args")
    assert from_value(frame.call.args) is None
    assert from_value(Value()) is None


def test_from_value_reads_a_map_entry_without_value_as_null() -> None:
    value = Value()
    value.map_value.entries.add().key = "a"
    assert from_value(value) == {"a": None}


def test_fill_value_builds_in_place_and_clears_first() -> None:
    frame = Frame()
    fill_value(frame.result.value, [1, 2, 3])
    fill_value(frame.result.value, [4])
    assert from_value(frame.result.value) == [4]
    fill_value(frame.result.value, None)
    assert frame.result.value.WhichOneof("kind") == "null_value"


@pytest.mark.parametrize("kind", ["list", "map", "mixed"])
def test_64_levels_map_and_65_do_not(kind: str) -> None:
    def nest(levels: int) -> object:
        value: object = "leaf"
        for level in range(levels - 1):
            wrap_list = kind == "list" or (kind == "mixed" and level % 2 == 0)
            value = [value] if wrap_list else {"k": value}
        return value

    assert round_trip(nest(MAX_VALUE_DEPTH)) == nest(MAX_VALUE_DEPTH)
    error = error_of(lambda: to_value(nest(MAX_VALUE_DEPTH + 1), "args"))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path is not None
    assert error.path.count("[0]") + error.path.count(".k") == MAX_VALUE_DEPTH


def test_empty_containers_at_level_64_are_fine() -> None:
    value: object = []
    for _ in range(MAX_VALUE_DEPTH - 1):
        value = [value]
    assert round_trip(value) == value
    value = {}
    for _ in range(MAX_VALUE_DEPTH - 1):
        value = {"k": value}
    assert round_trip(value) == value


# ---- properties -----------------------------------------------------------------------------

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.text()
    | st.binary()
)
natives = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=40,
)
# The same, with the types that map to the same kinds: tuples, bytearray, memoryview.
loose_leaves: st.SearchStrategy[object] = (
    leaves | st.binary().map(bytearray) | st.binary().map(lambda b: memoryview(b))
)
loose_natives = st.recursive(
    loose_leaves,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=5).map(tuple)
        | st.dictionaries(st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=500, deadline=None)
@given(natives)
def test_every_value_survives_the_wire(native: object) -> None:
    assert_same_native(native, round_trip(native))


@settings(max_examples=200, deadline=None)
@given(loose_natives)
def test_related_types_survive_the_wire_normalised(native: object) -> None:
    assert_same_native(native, round_trip(native))


@settings(max_examples=200, deadline=None)
@given(natives)
def test_encoding_is_canonical(native: object) -> None:
    # Decoding and encoding again gives the same bytes: map keys sorted, NaN canonical.
    value = to_value(native)
    again = to_value(from_value(value))
    assert again.SerializeToString() == value.SerializeToString()


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_VALUE_DEPTH), st.booleans())
def test_any_depth_up_to_64_survives_the_wire(levels: int, maps: bool) -> None:
    value: object = "x"
    for _ in range(levels - 1):
        value = {"k": value} if maps else [value]
    assert_same_native(value, round_trip(value))


def test_named_tuples_and_list_subclasses_become_lists() -> None:
    point = collections.namedtuple("point", "x y")

    class Path(list[int]):
        pass

    assert round_trip({"p": point(1, 2), "path": Path([3, 4])}) == {"p": [1, 2], "path": [3, 4]}


def test_a_non_str_key_at_the_depth_limit_is_reported_as_such() -> None:
    value: object = {1: "x"}
    for _ in range(MAX_VALUE_DEPTH - 1):
        value = [value]
    error = error_of(lambda: to_value(value, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args" + "[0]" * (MAX_VALUE_DEPTH - 1)
    assert "a dict key is int 1" in error.message


def test_a_kind_this_version_cannot_map_is_an_invalid_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A kind that the converting walker does not know (as a newer schema could add) but the
    # validating walker accepts still ends in a ProtocolError, never in a wrong value.
    monkeypatch.setattr(values, "_SCALARS", frozenset({"bool_value"}))
    error = error_of(lambda: from_value(to_value([1]), "args"))
    assert (error.kind, error.path) == ("INVALID_VALUE", "args")
    assert "breaks a rule" in error.message
