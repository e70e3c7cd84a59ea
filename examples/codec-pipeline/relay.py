"""Demo, step 2 of 3 (Python): reads the TypeScript step's Call frames from stdin, runs each
call, and writes a Result frame per call to stdout, in one write, for the Go step to read."""

from __future__ import annotations

import hashlib
import sys

from polyproc import (
    FrameDecoder,
    FrameEncoder,
    PlainValue,
    ProtocolError,
    fill_value,
    from_value,
)
from polyproc.v1.frame_pb2 import Frame


def run(function: str, args: PlainValue) -> PlainValue:
    """Runs one demo function on already-mapped Python values."""
    if not isinstance(args, dict):
        raise ProtocolError(
            "INVALID_VALUE", f"{function}: args must be a map", path="args"
        )
    if function == "add":
        a, b = args["a"], args["b"]
        assert isinstance(a, int) and isinstance(b, int)
        return a + b
    if function == "reverse":
        text = args["text"]
        assert isinstance(text, str)
        return text[::-1]
    if function == "checksum":
        data = args["data"]
        assert isinstance(data, bytes)
        return {"sha256": hashlib.sha256(data).digest(), "length": len(data)}
    return {"function": function, "args": args}


def main() -> int:
    decoder = FrameDecoder()
    frames = decoder.push(sys.stdin.buffer.read())
    decoder.end()
    encoder = FrameEncoder()
    for frame in frames:
        call = frame.call
        args = frame_args(frame)
        print(
            f"python <- call #{call.id} {call.function}({summary(args)})",
            file=sys.stderr,
        )
        out = Frame()
        out.result.id = call.id
        fill_value(out.result.value, run(call.function, args), "result")
        encoder.add(out)
    batch = encoder.flush()
    print(
        f"python -> wrote {len(frames)} results, {len(batch)} bytes, in one write",
        file=sys.stderr,
    )
    sys.stdout.buffer.write(batch)
    return 0


def frame_args(frame: Frame) -> PlainValue:
    """Maps a Call's arguments to Python; absent arguments are None (PROTOCOL.md §5.1)."""
    return from_value(frame.call.args, "args") if frame.call.HasField("args") else None


def summary(value: PlainValue) -> str:
    text = repr(value)
    return text if len(text) <= 70 else f"{text[:67]}..."


if __name__ == "__main__":
    sys.exit(main())
