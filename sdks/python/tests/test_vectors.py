"""The shared vectors of spec/vectors through the Python codec (PROTOCOL.md Appendix A)."""

from __future__ import annotations

import random

import pytest

from helpers import (
    InvalidVector,
    ValidVector,
    assert_same_native,
    error_of,
    load_invalid,
    load_valid,
    normal_bytes,
    parse_json_frame,
)
from polyproc import Frame, FrameDecoder, Value, encode_frames, fill_value, from_value

VALID = load_valid()
INVALID = load_invalid()
CANONICAL = [v for v in VALID if v.canonical]


def by_name(vectors: list[ValidVector] | list[InvalidVector]) -> dict[str, object]:
    return {"argvalues": vectors, "ids": [v.name for v in vectors]}


def decode_chunks(chunks: list[bytes], max_frame_bytes: int = 16 * 1024 * 1024) -> list[Frame]:
    decoder = FrameDecoder(max_frame_bytes)
    frames: list[Frame] = []
    for chunk in chunks:
        frames += decoder.push(chunk)
    decoder.end()
    return frames


def split_offsets(length: int) -> list[int]:
    """split_offsets is every offset for up to 4 KiB; else the first and last 64 and 256 more."""
    if length <= 4096:
        return list(range(length + 1))
    offsets = set(range(65)) | {length - i for i in range(65)}
    offsets |= {length * i // 255 for i in range(256)}
    return sorted(offsets)


def present_values(frame: Frame) -> list[Value]:
    """present_values lists the Values a frame carries (§3.4 step 4)."""
    values: list[Value] = []
    kind = frame.WhichOneof("kind")
    if kind == "call" and frame.call.HasField("args"):
        values.append(frame.call.args)
    elif kind == "result":
        if frame.result.HasField("value"):
            values.append(frame.result.value)
        elif frame.result.HasField("error") and frame.result.error.HasField("details"):
            values.append(frame.result.error.details)
    elif kind == "stream_item" and frame.stream_item.HasField("value"):
        values.append(frame.stream_item.value)
    elif kind == "stream_end" and frame.stream_end.error.HasField("details"):
        values.append(frame.stream_end.error.details)
    elif kind == "publish" and frame.publish.HasField("value"):
        values.append(frame.publish.value)
    elif kind == "welcome" and frame.welcome.HasField("settings"):
        values.append(frame.welcome.settings)
    return values


def test_there_are_vectors() -> None:
    assert len(VALID) >= 40, f"only {len(VALID)} valid vectors in spec/vectors/valid"
    assert len(INVALID) >= 15, f"only {len(INVALID)} invalid vectors in spec/vectors/invalid"
    assert len(CANONICAL) >= 20
    names = [v.name for v in VALID] + [v.name for v in INVALID]
    assert len(set(names)) == len(names)


# ---- valid vectors --------------------------------------------------------------------------


@pytest.mark.parametrize("vector", **by_name(VALID))  # type: ignore[arg-type]
def test_valid_vector_decodes_to_the_frame_of_its_json(vector: ValidVector) -> None:
    frames = decode_chunks([vector.raw])
    assert len(frames) == 1
    assert normal_bytes(frames[0]) == normal_bytes(parse_json_frame(vector.frame))


@pytest.mark.parametrize("vector", **by_name(VALID))  # type: ignore[arg-type]
def test_valid_vector_push_values_gives_the_frame_and_its_value(vector: ValidVector) -> None:
    ((frame, value),) = FrameDecoder().push_values(vector.raw)
    expected = parse_json_frame(vector.frame)
    assert normal_bytes(frame) == normal_bytes(expected)
    values = present_values(expected)
    assert_same_native(from_value(values[0]) if values else None, value)


@pytest.mark.parametrize("vector", **by_name(CANONICAL))  # type: ignore[arg-type]
def test_canonical_vector_encodes_its_json_frame_to_its_bytes(vector: ValidVector) -> None:
    assert encode_frames([parse_json_frame(vector.frame)]).hex() == vector.raw.hex()


@pytest.mark.parametrize("vector", **by_name(CANONICAL))  # type: ignore[arg-type]
def test_canonical_vector_survives_the_python_value_mapping(vector: ValidVector) -> None:
    # Every Value of the frame, read into Python and written back, gives the same bytes:
    # the mapping loses nothing and writes maps in canonical order.
    (frame,) = decode_chunks([vector.raw])
    for value in present_values(frame):
        fill_value(value, from_value(value))
    assert encode_frames([frame]).hex() == vector.raw.hex()


@pytest.mark.parametrize("vector", **by_name(VALID))  # type: ignore[arg-type]
def test_valid_vector_decodes_the_same_split_at_any_offset(vector: ValidVector) -> None:
    expected = [normal_bytes(parse_json_frame(vector.frame))]
    raw = vector.raw
    for at in split_offsets(len(raw)):
        frames = decode_chunks([raw[:at], raw[at:]])
        assert [normal_bytes(f) for f in frames] == expected, f"split at {at}"


@pytest.mark.parametrize("vector", **by_name(VALID))  # type: ignore[arg-type]
def test_valid_vector_decodes_the_same_one_byte_at_a_time(vector: ValidVector) -> None:
    raw = vector.raw
    frames = decode_chunks([raw[i : i + 1] for i in range(len(raw))])
    assert [normal_bytes(f) for f in frames] == [normal_bytes(parse_json_frame(vector.frame))]


def test_all_valid_vectors_decode_as_one_stream() -> None:
    stream = b"".join(v.raw for v in VALID)
    expected = [normal_bytes(parse_json_frame(v.frame)) for v in VALID]
    assert [normal_bytes(f) for f in decode_chunks([stream])] == expected
    sevens = [stream[i : i + 7] for i in range(0, len(stream), 7)]
    assert [normal_bytes(f) for f in decode_chunks(sevens)] == expected
    # Random chunk sizes, seeded so that a failure repeats.
    rng = random.Random(20261123)
    chunks: list[bytes] = []
    at = 0
    while at < len(stream):
        size = rng.choice([1, 2, 3, 5, 64, 4096, 100_000])
        chunks.append(stream[at : at + size])
        at += size
    assert [normal_bytes(f) for f in decode_chunks(chunks)] == expected


# ---- invalid vectors ------------------------------------------------------------------------


@pytest.mark.parametrize("vector", **by_name(INVALID))  # type: ignore[arg-type]
def test_invalid_vector_fails_with_its_error(vector: InvalidVector) -> None:
    error = error_of(lambda: decode_chunks([vector.raw], vector.max_frame_bytes))
    assert error.kind == vector.error, error.message


@pytest.mark.parametrize("vector", **by_name(INVALID))  # type: ignore[arg-type]
def test_invalid_vector_fails_with_its_error_one_byte_at_a_time(vector: InvalidVector) -> None:
    raw = vector.raw
    chunks = [raw[i : i + 1] for i in range(len(raw))]
    error = error_of(lambda: decode_chunks(chunks, vector.max_frame_bytes))
    assert error.kind == vector.error, error.message


@pytest.mark.parametrize("vector", **by_name(INVALID))  # type: ignore[arg-type]
def test_invalid_vector_fails_the_same_in_push_values(vector: InvalidVector) -> None:
    expected = error_of(lambda: decode_chunks([vector.raw], vector.max_frame_bytes))

    def decode() -> None:
        decoder = FrameDecoder(vector.max_frame_bytes)
        decoder.push_values(vector.raw)
        decoder.end()

    error = error_of(decode)
    assert (error.kind, error.path, error.message) == (
        expected.kind,
        expected.path,
        expected.message,
    )


@pytest.mark.parametrize("vector", **by_name(INVALID))  # type: ignore[arg-type]
def test_invalid_vector_leaves_the_decoder_dead(vector: InvalidVector) -> None:
    decoder = FrameDecoder(vector.max_frame_bytes)

    def feed() -> None:
        decoder.push(vector.raw)
        decoder.end()

    first = error_of(feed)
    assert error_of(lambda: decoder.push(b"\x00\x00\x00\x02\x42\x00")) is first
    assert error_of(decoder.end) is first


TOO_LARGE_AT_ONCE = [
    v
    for v in INVALID
    if v.error == "FRAME_TOO_LARGE" and int.from_bytes(v.raw[:4], "big") > v.max_frame_bytes
]


@pytest.mark.parametrize("vector", **by_name(TOO_LARGE_AT_ONCE))  # type: ignore[arg-type]
def test_a_length_over_the_limit_fails_at_its_fourth_byte(vector: InvalidVector) -> None:
    decoder = FrameDecoder(vector.max_frame_bytes)
    for i in range(3):
        assert decoder.push(vector.raw[i : i + 1]) == []
    assert error_of(lambda: decoder.push(vector.raw[3:4])).kind == "FRAME_TOO_LARGE"
