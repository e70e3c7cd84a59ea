"""Tests of the frame codec: FrameEncoder, FrameDecoder and decode_body (PROTOCOL.md §3)."""

from __future__ import annotations

import struct
import time

import pytest

from helpers import (
    deep_body,
    error_of,
    frame_bytes,
    length_delimited,
    varint_field,
)
from polyproc import (
    DEFAULT_MAX_FRAME_BYTES,
    Frame,
    FrameDecoder,
    FrameEncoder,
    PlainValue,
    decode_body,
    encode_frames,
    fill_value,
    from_value,
)


def item(call_id: int, value: PlainValue) -> Frame:
    frame = Frame()
    frame.stream_item.id = call_id
    fill_value(frame.stream_item.value, value, "item")
    return frame


def item_value(frame: Frame) -> PlainValue:
    assert frame.WhichOneof("kind") == "stream_item"
    return from_value(frame.stream_item.value)


# ---- FrameEncoder ---------------------------------------------------------------------------


def test_encoder_writes_a_batch_as_one_buffer_of_length_prefixed_frames() -> None:
    encoder = FrameEncoder()
    encoder.add(item(1, "a"))
    encoder.add(item(2, "b"))
    size = encoder.pending_bytes
    wire = encoder.flush()
    assert len(wire) == size
    assert encoder.pending_bytes == 0
    assert encoder.flush() == b""
    (first,) = struct.unpack_from(">I", wire, 0)
    (second,) = struct.unpack_from(">I", wire, 4 + first)
    assert 4 + first + 4 + second == len(wire)
    frames = FrameDecoder().push(wire)
    assert [f.stream_item.id for f in frames] == [1, 2]


def test_encoder_header_is_the_body_length_big_endian() -> None:
    frame = item(7, b"x" * 300)
    wire = encode_frames([frame])
    body = frame.SerializeToString()
    assert wire[:4] == len(body).to_bytes(4, "big")
    assert wire[4:] == body


def test_encode_is_apart_from_the_batch() -> None:
    encoder = FrameEncoder()
    encoder.add(item(1, 1))
    wire = encoder.encode([item(2, 2), item(3, 3)])
    assert [f.stream_item.id for f in FrameDecoder().push(wire)] == [2, 3]
    assert [f.stream_item.id for f in FrameDecoder().push(encoder.flush())] == [1]
    assert encoder.encode([]) == b""


def test_encoder_refuses_a_frame_over_the_limit_and_keeps_the_batch() -> None:
    encoder = FrameEncoder(max_frame_bytes=64)
    encoder.add(item(1, "small"))
    before = encoder.pending_bytes
    error = error_of(lambda: encoder.add(item(2, bytes(100))))
    assert error.kind == "FRAME_TOO_LARGE"
    assert "stream_item frame of" in error.message
    assert "over the limit of 64 bytes" in error.message
    assert encoder.pending_bytes == before
    assert len(FrameDecoder().push(encoder.flush())) == 1


def test_encode_writes_nothing_when_one_frame_is_too_large() -> None:
    error = error_of(lambda: encode_frames([item(1, 1), item(2, bytes(100))], max_frame_bytes=64))
    assert error.kind == "FRAME_TOO_LARGE"


def test_a_body_of_exactly_the_limit_is_accepted_both_ways() -> None:
    frame = item(1, b"abc")
    size = frame.ByteSize()
    wire = encode_frames([frame], max_frame_bytes=size)
    assert len(FrameDecoder(max_frame_bytes=size).push(wire)) == 1
    error = error_of(lambda: encode_frames([frame], max_frame_bytes=size - 1))
    assert error.kind == "FRAME_TOO_LARGE"
    error = error_of(lambda: FrameDecoder(max_frame_bytes=size - 1).push(wire))
    assert error.kind == "FRAME_TOO_LARGE"


@pytest.mark.parametrize("limit", [0, -1, 2**32, 1.5, True, "16"])
def test_limits_are_validated(limit: object) -> None:
    with pytest.raises(ValueError, match="max_frame_bytes"):
        FrameEncoder(limit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_frame_bytes"):
        FrameDecoder(limit)  # type: ignore[arg-type]


def test_default_limit_is_16_mib() -> None:
    assert DEFAULT_MAX_FRAME_BYTES == 16 * 1024 * 1024
    assert FrameDecoder().max_frame_bytes == DEFAULT_MAX_FRAME_BYTES
    assert FrameEncoder().max_frame_bytes == DEFAULT_MAX_FRAME_BYTES


# ---- FrameDecoder: chunking -----------------------------------------------------------------


def test_decoder_returns_nothing_until_a_frame_is_complete() -> None:
    wire = encode_frames([item(1, "x")])
    decoder = FrameDecoder()
    assert decoder.push(wire[:3]) == []
    assert decoder.buffered_bytes == 3
    assert decoder.push(wire[3:-1]) == []
    assert decoder.buffered_bytes == len(wire) - 1
    frames = decoder.push(wire[-1:])
    assert [item_value(f) for f in frames] == ["x"]
    assert decoder.buffered_bytes == 0
    decoder.end()


def test_decoder_accepts_empty_chunks_and_every_buffer_type() -> None:
    wire = encode_frames([item(1, "a"), item(2, "b")])
    for chunk in (wire, bytearray(wire), memoryview(wire), memoryview(bytearray(wire))):
        decoder = FrameDecoder()
        assert decoder.push(b"") == []
        assert [item_value(f) for f in decoder.push(chunk)] == ["a", "b"]
        assert decoder.push(b"") == []
        decoder.end()


def test_decoder_accepts_a_memoryview_of_another_format() -> None:
    wire = encode_frames([item(1, "abcdefg")])
    words = len(wire) // 4
    decoder = FrameDecoder()
    # The whole 4-byte words of the frame as a memoryview of unsigned ints: a partial frame.
    assert decoder.push(memoryview(wire[: words * 4]).cast("I")) == []
    assert decoder.buffered_bytes == words * 4
    assert [item_value(f) for f in decoder.push(wire[words * 4 :])] == ["abcdefg"]


def test_decoder_decodes_many_frames_split_everywhere() -> None:
    payloads = [bytes([i % 256]) * (37 + i % 50) for i in range(300)]
    wire = encode_frames([item(i + 1, p) for i, p in enumerate(payloads)])
    for step in (1, 3, 13, 4096):
        decoder = FrameDecoder()
        frames: list[Frame] = []
        for offset in range(0, len(wire), step):
            frames += decoder.push(wire[offset : offset + step])
        decoder.end()
        assert [item_value(f) for f in frames] == payloads, f"chunks of {step}"


def test_decoder_frames_survive_later_pushes_into_a_reused_buffer() -> None:
    # The caller reads into one bytearray and pushes views of it; decoded frames own their
    # data, so overwriting the buffer afterwards changes nothing.
    payloads = [bytes([i]) * 50 for i in range(1, 40)]
    wire = encode_frames([item(i, p) for i, p in enumerate(payloads, 1)])
    buffer = bytearray(17)
    decoder = FrameDecoder()
    frames: list[Frame] = []
    for offset in range(0, len(wire), 17):
        chunk = wire[offset : offset + 17]
        buffer[: len(chunk)] = chunk
        frames += decoder.push(memoryview(buffer)[: len(chunk)])
        buffer[:] = bytes(17)
    assert [item_value(f) for f in frames] == payloads


def test_decoder_keeps_its_buffer_small_while_streaming() -> None:
    # The consumed prefix is dropped once it is large: the buffer never holds much more than
    # the compaction threshold plus the frame in progress.
    wire = encode_frames([item(i, bytes(100)) for i in range(1, 5001)])
    decoder = FrameDecoder()
    largest = 0
    count = 0
    for offset in range(0, len(wire), 1000):
        count += len(decoder.push(wire[offset : offset + 1000]))
        largest = max(largest, len(decoder._buffer))
    assert count == 5000
    assert largest < 3 * 64 * 1024


def test_decoder_takes_a_large_frame_in_small_chunks_in_linear_time() -> None:
    # 16 MiB in 4 KiB chunks: 4096 pushes. Copying the buffered bytes on every push would
    # move 32 GiB; a linear decoder moves each byte about twice.
    big = bytes(range(256)) * (16 * 1024 * 1024 // 256 - 1)
    wire = encode_frames([item(1, big)])
    decoder = FrameDecoder()
    started = time.perf_counter()
    frames: list[Frame] = []
    for offset in range(0, len(wire), 4096):
        frames += decoder.push(wire[offset : offset + 4096])
    elapsed = time.perf_counter() - started
    assert len(frames) == 1
    assert item_value(frames[0]) == big
    assert elapsed < 10, f"{elapsed:.1f} s for 16 MiB"


def test_decoder_parses_a_large_whole_frame_from_a_bytes_chunk() -> None:
    big = bytes(200_000)
    (frame,) = FrameDecoder().push(encode_frames([item(1, big)]))
    assert item_value(frame) == big


# ---- FrameDecoder: errors -------------------------------------------------------------------


def test_decoder_reports_a_length_over_the_limit_from_the_header_alone() -> None:
    decoder = FrameDecoder(max_frame_bytes=1024)
    assert decoder.push(b"\x00\x00\x04") == []
    error = error_of(lambda: decoder.push(b"\x01"))
    assert error.kind == "FRAME_TOO_LARGE"
    assert "1025 bytes" in error.message
    assert "limit of 1024 bytes" in error.message


def test_decoder_repeats_its_first_error_on_every_later_push_and_end() -> None:
    decoder = FrameDecoder()
    first = error_of(lambda: decoder.push(b"\x00\x00\x00\x00"))
    assert first.kind == "EMPTY_FRAME"
    assert error_of(lambda: decoder.push(encode_frames([item(1, 1)]))) is first
    assert error_of(decoder.end) is first
    assert error_of(lambda: decoder.push(b"")) is first


def test_end_reports_a_truncated_frame() -> None:
    wire = encode_frames([item(1, "hello")])
    for cut in range(1, len(wire)):
        decoder = FrameDecoder()
        decoder.push(wire[:cut])
        error = error_of(decoder.end)
        assert error.kind == "TRUNCATED_FRAME"
        assert ("length bytes" if cut < 4 else "body bytes") in error.message


def test_end_after_whole_frames_is_fine_and_repeatable() -> None:
    decoder = FrameDecoder()
    decoder.end()
    decoder.push(encode_frames([item(1, 1)]))
    decoder.end()
    decoder.end()


def test_a_failed_push_does_not_pin_the_callers_bytearray() -> None:
    # A bytearray cannot be resized while a view of it is alive; the error must not keep one.
    buffer = bytearray(frame_bytes(b"\xff\xff\xff"))
    decoder = FrameDecoder()
    with memoryview(buffer) as view:
        error = error_of(lambda: decoder.push(view))
    assert error.kind == "MALFORMED_FRAME"
    buffer += b"more"  # raises BufferError if a view of the decoder's survived
    deep = bytearray(frame_bytes(deep_body(70, "map")))  # fails in the depth scan
    decoder = FrameDecoder()
    with memoryview(deep) as view:
        assert error_of(lambda: decoder.push(view)).kind == "VALUE_TOO_DEEP"
    deep += b"more"


# ---- decode_body: the checks of §3.4 ------------------------------------------------------


def test_decode_body_reports_each_rule() -> None:
    assert error_of(lambda: decode_body(b"")).kind == "EMPTY_FRAME"
    assert error_of(lambda: decode_body(length_delimited(100, b"x"))).kind == "EMPTY_FRAME"
    assert error_of(lambda: decode_body(b"\xff\xff")).kind == "MALFORMED_FRAME"
    ping = decode_body(length_delimited(8, varint_field(1, 3)))
    assert ping.ping.seq == 3


def test_a_frame_kind_with_the_wrong_wire_type_is_malformed_not_empty() -> None:
    # protobuf keeps a field with a mismatched wire type as an unknown field; PROTOCOL.md §3.4
    # calls it MALFORMED_FRAME.
    for number in (1, 8, 16):
        error = error_of(lambda number=number: decode_body(varint_field(number, 5)))
        assert error.kind == "MALFORMED_FRAME", number
        assert f"field {number}" in error.message
