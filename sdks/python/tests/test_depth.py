"""Tests of deep frames: upb's depth limit of 100, the depth scan and the oversize lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from google.protobuf.message import DecodeError

from helpers import deep_body, error_of, frame_bytes, length_delimited, varint, varint_field
from polyproc import (
    MAX_VALUE_DEPTH,
    Frame,
    FrameDecoder,
    PlainValue,
    Value,
    decode_body,
    frame_body,
    from_value,
)
from polyproc._depth_scan import check_nesting

# How upb and the pure-Python backend say that the nesting exceeds their limit of 100.
DEPTH_FAILURE = "MaxDepth|too many levels of nesting"


def nested(levels: int, kind: str) -> PlainValue:
    value: PlainValue = 1
    for _ in range(levels - 1):
        value = [value] if kind == "list" else {"k": value}
    return value


@pytest.mark.parametrize("kind", ["list", "map"])
def test_64_levels_decode(kind: str) -> None:
    # 64 map levels are about 195 protobuf levels, past upb's fixed 100.
    body = deep_body(MAX_VALUE_DEPTH, kind)
    with pytest.raises(DecodeError, match=DEPTH_FAILURE):
        Frame.FromString(body)
    (frame,) = FrameDecoder().push(frame_bytes(body))
    assert from_value(frame.call.args) == nested(MAX_VALUE_DEPTH, kind)


@pytest.mark.parametrize("kind", ["list", "map"])
def test_64_levels_decode_in_every_carrier(kind: str) -> None:
    carriers: dict[tuple[int, ...], Callable[[Frame], Value]] = {
        (2, 2): lambda f: f.result.value,  # Result.value
        (2, 3, 3): lambda f: f.result.error.details,  # Result.error.details
        (3, 2): lambda f: f.stream_item.value,
        (4, 2, 3): lambda f: f.stream_end.error.details,
        (7, 2): lambda f: f.publish.value,
        (11, 5): lambda f: f.welcome.settings,
    }
    for wrap, get in carriers.items():
        frame = decode_body(deep_body(MAX_VALUE_DEPTH, kind, wrap))
        assert from_value(get(frame)) == nested(MAX_VALUE_DEPTH, kind), wrap


@pytest.mark.parametrize("kind", ["list", "map"])
@pytest.mark.parametrize("levels", [65, 66])
def test_deeper_than_64_levels_is_value_too_deep_with_its_path(kind: str, levels: int) -> None:
    # Within the 200 message levels every runtime parses: parsed, then validated with a path.
    error = error_of(lambda: decode_body(deep_body(levels, kind)))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path == "call.args" + ("[0]" if kind == "list" else ".k") * MAX_VALUE_DEPTH


@pytest.mark.parametrize("kind", ["list", "map"])
@pytest.mark.parametrize("levels", [100, 200, 5000])
def test_past_200_message_levels_is_value_too_deep_without_parsing(kind: str, levels: int) -> None:
    error = error_of(lambda: decode_body(deep_body(levels, kind)))
    assert error.kind == "VALUE_TOO_DEEP"
    assert error.path is None
    assert "deeper than 200 levels" in error.message


@pytest.mark.parametrize("kind", ["list", "map"])
def test_a_hostile_100000_level_frame_is_refused_quickly(kind: str) -> None:
    wire = frame_bytes(deep_body(100_000, kind))
    decoder = FrameDecoder()
    started = time.perf_counter()
    error = error_of(lambda: decoder.push(wire))
    elapsed = time.perf_counter() - started
    assert error.kind == "VALUE_TOO_DEEP"
    assert elapsed < 1.0
    # Fed in pieces, too.
    decoder = FrameDecoder()
    chunks = [wire[i : i + 65536] for i in range(0, len(wire), 65536)]
    error = error_of(lambda: [decoder.push(c) for c in chunks])
    assert error.kind == "VALUE_TOO_DEEP"


def test_the_depth_limit_is_switched_back_on() -> None:
    decode_body(deep_body(MAX_VALUE_DEPTH, "map"))
    # A plain upb parse still refuses past 100 levels: the oversize switch is off again.
    with pytest.raises(DecodeError, match=DEPTH_FAILURE):
        Frame.FromString(deep_body(60, "list"))
    # Also after a deep frame that fails after the scan.
    body = deep_body(60, "map")
    at = body.rindex(b"\x0a\x01k")  # the innermost key, made invalid UTF-8: the scan
    malformed = body[: at + 2] + b"\xff" + body[at + 3 :]  # passes, the unlimited parse fails
    error = error_of(lambda: decode_body(malformed))
    assert error.kind == "MALFORMED_FRAME"
    assert "UTF-8" in error.message or "utf-8" in error.message
    with pytest.raises(DecodeError, match=DEPTH_FAILURE):
        Frame.FromString(deep_body(60, "list"))


def test_deep_unknown_groups_behind_a_deep_value_do_not_crash() -> None:
    # The first parse fails for the Value's depth; the groups after it would make an
    # unlimited upb recurse 100,000 levels. The scan follows groups and refuses them.
    groups = varint(99 << 3 | 3) * 100_000 + varint(99 << 3 | 4) * 100_000
    body = deep_body(60, "list") + groups
    assert error_of(lambda: decode_body(body)).kind == "VALUE_TOO_DEEP"
    # Groups within the 200 levels every runtime parses are skipped like any unknown field.
    groups = varint(99 << 3 | 3) * 120 + varint(99 << 3 | 4) * 120
    frame = decode_body(deep_body(60, "list") + groups)
    assert from_value(frame.call.args) == nested(60, "list")


def test_scan_bounds_message_nesting_at_200() -> None:
    check_nesting(deep_body(MAX_VALUE_DEPTH, "map"))
    check_nesting(deep_body(MAX_VALUE_DEPTH, "map", (2, 3, 3)))  # the deepest valid frame
    check_nesting(b"")
    # A list level is 2 messages, a map level 3; Frame and Call come first.
    check_nesting(deep_body(99, "list"))  # the innermost Value at level 199
    assert error_of(lambda: check_nesting(deep_body(100, "list"))).kind == "VALUE_TOO_DEEP"
    check_nesting(deep_body(66, "map"))  # level 198
    assert error_of(lambda: check_nesting(deep_body(67, "map"))).kind == "VALUE_TOO_DEEP"
    # Unknown length-delimited fields are skipped whole, whatever they contain.
    check_nesting(length_delimited(99, deep_body(500, "list")))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\x08", "cut off"),  # a tag without its varint
        (b"\x08\x80", "cut off"),
        (b"\x08" + b"\xff" * 10 + b"\x01", "longer than 10 bytes"),
        (b"\x0a\x05\x08", "past the end"),
        (b"\x00", "field number is 0"),
        (b"\x0e", "wire type 6"),
        (b"\x0f", "wire type 7"),
        (b"\x1c", "end of group 3 without its start"),
        (b"\x1b", "group 3 is not closed"),
        (b"\x1b\x24", "end of group 4 without its start"),
        (b"\x09\x00\x00", "past the end"),  # fixed64 cut short
        (b"\x0d\x00", "past the end"),  # fixed32 cut short
    ],
)
def test_scan_reports_broken_wire_format(body: bytes, reason: str) -> None:
    error = error_of(lambda: check_nesting(body))
    assert error.kind == "MALFORMED_FRAME"
    assert reason in error.message


def test_scan_reads_every_wire_type() -> None:
    body = (
        varint_field(99, 1)
        + varint(98 << 3 | 1)
        + bytes(8)
        + varint(97 << 3 | 5)
        + bytes(4)
        + varint(96 << 3 | 3)
        + varint_field(1, 1)
        + varint(96 << 3 | 4)
        + length_delimited(8, varint_field(1, 7))
    )
    check_nesting(body)
    assert decode_body(body).ping.seq == 7


def test_deep_frames_decode_correctly_from_many_threads() -> None:
    # Every parse holds one lock, so one thread's oversize parse can neither be cut short by
    # another switching the limit back on, nor let another parse a hostile frame unlimited.
    deep = frame_bytes(deep_body(MAX_VALUE_DEPTH, "map"))
    hostile = frame_bytes(deep_body(20_000, "list"))
    expected = nested(MAX_VALUE_DEPTH, "map")
    failures: list[str] = []

    def work(index: int) -> None:
        for _ in range(30):
            decoder = FrameDecoder()
            if index % 2:
                (frame,) = decoder.push(deep)
                if from_value(frame.call.args) != expected:
                    failures.append("wrong value")
            elif error_of(lambda d=decoder: d.push(hostile)).kind != "VALUE_TOO_DEEP":
                failures.append("hostile frame not refused")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_backend_without_a_depth_switch_reports_value_too_deep(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(frame_body, "_switch", None)
    error = error_of(lambda: decode_body(deep_body(MAX_VALUE_DEPTH, "map")))
    assert error.kind == "VALUE_TOO_DEEP"
    assert "protobuf backend" in error.message
    decode_body(deep_body(10, "map"))  # within the usual limit: unaffected


def test_a_recursion_error_while_parsing_is_value_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    def recurse(body: bytes) -> Frame:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(frame_body, "_from_string", recurse)
    error = error_of(lambda: decode_body(deep_body(MAX_VALUE_DEPTH, "list")))
    assert error.kind == "VALUE_TOO_DEEP"
    assert "recursion limit" in error.message
    monkeypatch.undo()
    with pytest.raises(DecodeError, match=DEPTH_FAILURE):  # the limit was restored
        Frame.FromString(deep_body(60, "list"))
