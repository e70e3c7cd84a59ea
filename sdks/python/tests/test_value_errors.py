"""Tests of the values that cannot be mapped and the paths their errors name (PROTOCOL.md §9.8)."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
from typing import Any

import pytest

from helpers import error_of, round_trip
from polyproc import (
    MAX_VALUE_DEPTH,
    Value,
    fill_value,
    from_value,
    to_value,
)

# ---- errors name the path -------------------------------------------------------------------


class Point:
    def __init__(self) -> None:
        self.x = 1


@dataclasses.dataclass
class Item:
    price: int


def generator() -> object:
    yield 1


@pytest.mark.parametrize(
    ("bad", "hint"),
    [
        ({1, 2}, "send a list instead, e.g. sorted(the_set)"),
        (frozenset(), "send a list instead"),
        (decimal.Decimal("1.10"), "send str(x) to keep every digit, or float(x)"),
        (datetime.datetime(2026, 1, 2), "x.isoformat()"),
        (datetime.date(2026, 1, 2), "x.isoformat()"),
        (1 + 2j, "send [x.real, x.imag]"),
        (Point(), "send None, bool, int, float, str, bytes, or a list or str-keyed dict"),
        (Item(3), "send dataclasses.asdict(x)"),
        (generator(), "send list(x)"),
        (range(3), "send list(x)"),
        (collections.ChainMap({"a": 1}), "send dict(x)"),
        (len, "a builtin_function_or_method cannot be sent"),
        (object, "a type cannot be sent"),
        (Ellipsis, "an ellipsis cannot be sent"),
    ],
)
def test_unmappable_values_name_the_path_and_the_fix(bad: object, hint: str) -> None:
    native = {"items": [0, 1, 2, {"price": bad}]}
    error = error_of(lambda: to_value(native, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args.items[3].price"
    assert error.message.startswith("args.items[3].price: a")
    assert " cannot be sent; " in error.message
    assert hint in error.message
    assert str(error) == f"INVALID_VALUE: {error.message}"


def test_array_like_objects_are_told_to_use_tolist() -> None:
    class Array:
        def tolist(self) -> list[int]:
            return [1]

    error = error_of(lambda: to_value([Array()], "args"))
    assert error.path == "args[0]"
    assert "x.tolist()" in error.message
    assert "test_value_errors." in error.message  # the type is named with its module


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30])
def test_ints_outside_int64_are_invalid(number: int) -> None:
    error = error_of(lambda: to_value({"n": [number]}, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args.n[0]"
    assert "outside int64" in error.message
    assert "send it as a str" in error.message


def test_a_lone_surrogate_in_a_string_is_invalid() -> None:
    error = error_of(lambda: to_value({"text": "ab\udcff"}, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args.text"
    assert "lone surrogate" in error.message


def test_a_lone_surrogate_in_a_key_is_invalid_and_printed_escaped() -> None:
    error = error_of(lambda: to_value({"ok": 1, "b\ud800": 2}, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == 'args["b\\ud800"]'
    assert "map key has a lone surrogate" in error.message
    error.message.encode("utf-8")  # printable


@pytest.mark.parametrize("key", [1, b"bytes", None, (1, 2), 1.5])
def test_keys_that_are_not_str_are_invalid(key: object) -> None:
    error = error_of(lambda: to_value({"outer": {key: 1}}, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args.outer"
    assert f"a dict key is {type(key).__name__}" in error.message
    assert "map keys must be str" in error.message


def test_keys_of_mixed_types_are_invalid() -> None:
    error = error_of(lambda: to_value({"a": 1, 2: 3}, "args"))
    assert error.path == "args"
    assert "a dict key is int 2" in error.message


def test_paths_quote_keys_that_are_not_identifiers() -> None:
    error = error_of(lambda: to_value({"not an identifier": {'q"uote': [{1}]}}, "args"))
    assert error.path == 'args["not an identifier"]["q\\"uote"][0]'
    error = error_of(lambda: to_value({"$ok_1": {"1st": {"": {"日本": {1}}}}}, "args"))
    assert error.path == 'args.$ok_1["1st"][""]["日本"]'


def test_the_root_of_a_path_is_the_callers() -> None:
    assert error_of(lambda: to_value({1})).path == "value"
    assert error_of(lambda: to_value([{1}], "result")).path == "result[0]"
    target = Value()
    assert error_of(lambda: fill_value(target, [[{1}]], "call.args")).path == "call.args[0][0]"


def test_cycles_are_invalid_and_named_where_they_close() -> None:
    loop: list[object] = [1]
    loop.append(loop)
    error = error_of(lambda: to_value(loop, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args[1]"
    assert "contains itself (a cycle)" in error.message

    parent: dict[str, Any] = {"child": {}}
    parent["child"]["back"] = [parent]
    error = error_of(lambda: to_value({"root": parent}, "args"))
    assert error.kind == "INVALID_VALUE"
    assert error.path == "args.root.child.back[0]"

    holder: list[object] = []
    tup = (holder,)
    holder.append(tup)
    assert error_of(lambda: to_value(tup)).path == "value[0][0]"


def test_a_shared_value_is_not_a_cycle() -> None:
    shared = {"a": [1, 2]}
    assert round_trip([shared, shared, {"again": shared}]) == [
        {"a": [1, 2]},
        {"a": [1, 2]},
        {"again": {"a": [1, 2]}},
    ]


def test_a_deep_chain_without_cycle_is_too_deep_not_a_cycle() -> None:
    value: object = 0
    for _ in range(200):
        value = [value]
    assert error_of(lambda: to_value(value)).kind == "VALUE_TOO_DEEP"


# ---- from_value on invalid Values -----------------------------------------------------------


def test_from_value_rejects_invalid_values_with_their_path() -> None:
    value = Value()
    items = value.list_value.items
    items.add().int_value = 1
    entry = items.add().map_value.entries.add()
    entry.key = "x"
    entry.value.SetInParent()  # present but without a kind
    error = error_of(lambda: from_value(value, "args"))
    assert (error.kind, error.path) == ("INVALID_VALUE", "args[1].x")

    value = Value()
    value.list_value.items.add()
    assert error_of(lambda: from_value(value, "args")).path == "args[0]"

    value = Value()
    for key in ("a", "b", "a"):
        e = value.map_value.entries.add()
        e.key = key
        e.value.int_value = 1
    error = error_of(lambda: from_value(value, "args"))
    assert (error.kind, error.path) == ("INVALID_VALUE", "args.a")
    assert "appears twice" in error.message


def test_from_value_refuses_a_tree_deeper_than_64() -> None:
    # Built top-down in place, like any deep Value: 1,000 levels, far past the limit.
    root = Value()
    value = root
    for _ in range(1000):
        value = value.list_value.items.add()
    value.int_value = 1
    error = error_of(lambda: from_value(root, "args"))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path == "args" + "[0]" * MAX_VALUE_DEPTH
