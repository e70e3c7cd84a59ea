"""Codec benchmark, Python: frames per second to encode and decode.

Two cases, as in codec-bench.ts: a small Call (function "add", three short arguments, an
id and a deadline) and a Result carrying 64 KiB of bytes. Each is measured through
polyproc's path (native -> Value -> FrameEncoder; FrameDecoder -> validation -> native,
with push_values) and against bare protobuf `SerializeToString` / `FromString` of the same
prebuilt Frame, in the same run. One line per measurement:

    codec python <case> <encode|decode> polyproc=<N>/s bare=<N>/s overhead=<P>%

where overhead = (bare_rate / polyproc_rate - 1) * 100. BENCH_SECONDS (default 0.5) sets
the time per measurement (each side, in 5 alternating rounds; the best round counts).
Run: .venv/bin/python bench/codec/bench_python.py

What bounds the overhead. The target of under 25% on the small Call is out of reach for
pure Python on upb, and the bound is upb's Python object model, not the codec. The bare
numbers are upb's C code alone (on the build machine: 0.34 us to serialize the prebuilt
frame, 0.64 us to parse it). polyproc's path has to cross into Python for every node of the
tree: building the frame costs ~12 attribute operations at 0.05-0.5 us each (entries.add()
alone is ~0.5 us), and reading it back creates a Python wrapper for every submessage
(~0.15-0.4 us each) and calls WhichOneof (~0.16 us) on every Value. Hand-written upb code
that does only that, with no polyproc logic at all, measures 3.9 us to build and serialize
this frame (+1050% over bare) and 4.1 us to parse it and read every node (+535%); polyproc
adds about 1.5-2.5 us on top (type dispatch, the limit and header checks, the depth lock,
validation while converting). Going lower needs a C extension or upb's C API. On the
64 KiB Result the copies dominate: the chunk slice, upb's own copy and the bytes object
returned (a memoryview would save the slice, but upb parses memoryviews ~10x slower).
Decoding uses FrameDecoder.push_values, which validates the Value while converting it;
push followed by from_value walks the tree twice and is about 1.6x slower here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdks" / "python" / "src"))

from polyproc import (
    Frame,
    FrameDecoder,
    FrameEncoder,
    PlainValue,
    fill_value,
    from_value,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "0.5"))
SMALL_ARGS: PlainValue = {"a": 1, "b": 2, "op": "sum"}
BIG_PAYLOAD: PlainValue = b"\xab" * (64 * 1024)


def small_frame(args: PlainValue) -> Frame:
    frame = Frame()
    call = frame.call
    call.id = 42
    call.function = "add"
    call.deadline_ms = 500
    fill_value(call.args, args, "args")
    return frame


def big_frame(payload: PlainValue) -> Frame:
    frame = Frame()
    result = frame.result
    result.id = 42
    fill_value(result.value, payload, "result")
    return frame


def rate(operation: Callable[[], object], seconds: float) -> float:
    """rate runs operation in batches for about `seconds` and returns operations per second."""
    ops = 0
    start = time.perf_counter()
    deadline = start + seconds
    now = start
    while now < deadline:
        for _ in range(100):
            operation()
        ops += 100
        now = time.perf_counter()
    return ops / (now - start)


def compare(polyproc: Callable[[], object], bare: Callable[[], object]) -> tuple[float, float]:
    """compare measures both in alternating rounds and keeps each one's best round.

    Alternating spreads the machine's other load over both sides; the best round is the
    one least disturbed by it.
    """
    for _ in range(2000):
        polyproc()
        bare()
    rounds = 5
    best = [0.0, 0.0]
    for _ in range(rounds):
        best[0] = max(best[0], rate(polyproc, SECONDS / rounds))
        best[1] = max(best[1], rate(bare, SECONDS / rounds))
    return best[0], best[1]


def payload_of(frame: Frame) -> PlainValue:
    kind = frame.WhichOneof("kind")
    if kind == "call":
        return from_value(frame.call.args)
    if kind == "result":
        return from_value(frame.result.value)
    raise AssertionError(f"unexpected frame kind {kind}")


def measure(name: str, native: PlainValue, build: Callable[[PlainValue], Frame]) -> None:
    prebuilt = build(native)
    body = prebuilt.SerializeToString()
    encoder = FrameEncoder()
    encoder.add(prebuilt)
    wire = encoder.flush()
    decoder = FrameDecoder()
    assert payload_of(decoder.push(wire)[0]) == native
    assert decoder.push_values(wire)[0][1] == native
    from_string = Frame.FromString
    serialize = prebuilt.SerializeToString

    def encode_polyproc() -> object:
        encoder.add(build(native))
        return encoder.flush()

    def decode_polyproc() -> object:
        # push_values validates the frame's Value while it converts it: one walk.
        ((_frame, value),) = decoder.push_values(wire)
        return value

    results = {
        "encode": compare(encode_polyproc, serialize),
        "decode": compare(decode_polyproc, lambda: from_string(body)),
    }
    for operation, (polyproc_rate, bare_rate) in results.items():
        overhead = (bare_rate / polyproc_rate - 1) * 100
        print(
            f"codec python {name} {operation} polyproc={polyproc_rate:.0f}/s "
            f"bare={bare_rate:.0f}/s overhead={overhead:.1f}%",
            flush=True,
        )


def main() -> None:
    measure("small-call", SMALL_ARGS, small_frame)
    measure("result-64k", BIG_PAYLOAD, big_frame)


if __name__ == "__main__":
    main()
