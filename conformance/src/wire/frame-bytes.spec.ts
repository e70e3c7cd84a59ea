import { describe, expect, it } from "vitest";
import { FrameReader, bytesFromSpec, frameBytes, hexBytes, hexOf } from "./frame-bytes.js";
import { frameFromSpec, readableFrame } from "./frame-spec.js";

const ping17 = "00 00 00 04 42 02 08 11";

describe("frameBytes", () => {
  it("encodes Ping seq 17 as its length prefix and body (§3.1)", () => {
    expect(hexOf(frameBytes(frameFromSpec({ ping: { seq: 17 } })))).toBe(ping17);
  });

  it("writes the length big-endian for frames past 64 KiB", () => {
    const bytes = frameBytes(frameFromSpec({ result: { id: 1, value: { $bytes: 70_000 } } }));
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    expect(length).toBe(bytes.length - 4);
    expect(length).toBeGreaterThan(70_000);
  });
});

describe("bytesFromSpec", () => {
  it("makes hex, header, garbage and body bytes", () => {
    expect(hexOf(bytesFromSpec({ hex: "00000004 4202 0811" }))).toBe(ping17);
    expect(hexOf(bytesFromSpec({ header: 16 * 1024 * 1024 + 1 }))).toBe("01 00 00 01");
    expect(hexOf(bytesFromSpec({ garbage: 3 }))).toBe("ff ff ff");
    expect(hexOf(bytesFromSpec({ body: "42 02 08 11" }))).toBe(ping17);
    expect(hexOf(bytesFromSpec({ body: "" }))).toBe("00 00 00 00");
  });

  it("encodes a frame, whole or truncated", () => {
    expect(hexOf(bytesFromSpec({ frame: { ping: { seq: 17 } } }))).toBe(ping17);
    expect(hexOf(bytesFromSpec({ frame: { ping: { seq: 17 } }, truncate: 6 }))).toBe("00 00 00 04 42 02");
  });

  it("throws naming the forms it accepts", () => {
    expect(() => bytesFromSpec("00")).toThrow('raw bytes must be an object such as {hex: "..."}; got "00"');
    expect(() => bytesFromSpec({ hexx: "00" })).toThrow("raw bytes must give one of hex, header, garbage, body or frame (with truncate)");
    expect(() => bytesFromSpec({ hex: "0" })).toThrow('"0" is not an even number of hex digits');
    expect(() => bytesFromSpec({ frame: { nope: {} } })).toThrow(/exactly one key/);
  });
});

describe("hexBytes and hexOf", () => {
  it("parse and render spaced hex", () => {
    expect(hexBytes("0a FF\n10")).toEqual(new Uint8Array([10, 255, 16]));
    expect(() => hexBytes("zz")).toThrow("not an even number of hex digits");
  });

  it("hexOf shows at most `max` bytes and the total", () => {
    expect(hexOf(new Uint8Array([1, 2, 3, 4]), 2)).toBe("01 02 … (4 bytes)");
    expect(hexOf(new Uint8Array(0))).toBe("");
  });
});

describe("FrameReader", () => {
  it("collects the frames of chunks split anywhere", () => {
    const bytes = new Uint8Array([...frameBytes(frameFromSpec({ ping: { seq: 1 } })), ...frameBytes(frameFromSpec({ call: { id: 2, function: "echo", args: { a: [1] } } }))]);
    for (let split = 0; split <= bytes.length; split++) {
      const reader = new FrameReader();
      const first = reader.push(bytes.subarray(0, split));
      const second = reader.push(bytes.subarray(split));
      expect(first.length + second.length).toBe(2);
      expect(reader.frames.map(readableFrame)).toMatchObject([{ ping: { seq: 1 } }, { call: { id: 2, args: { a: [1] } } }]);
      expect(reader.error).toBeUndefined();
    }
  });

  it("keeps the first decoding error and reads nothing after it", () => {
    const reader = new FrameReader();
    expect(reader.push(bytesFromSpec({ header: 16 * 1024 * 1024 + 1 }))).toEqual([]);
    expect(reader.error?.message).toMatch(/FRAME_TOO_LARGE/);
    const first = reader.error;
    expect(reader.push(hexBytes(ping17))).toEqual([]);
    expect(reader.error).toBe(first);
    expect(reader.frames).toEqual([]);
  });

  it("reports a body that is not a Frame", () => {
    const reader = new FrameReader();
    reader.push(bytesFromSpec({ body: "ff ff ff ff" }));
    expect(reader.error).toBeInstanceOf(Error);
  });
});
