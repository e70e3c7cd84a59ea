import { getTextEncoding } from "@bufbuild/protobuf/wire";
import { FAST_PATH_MISS } from "./fast-path-miss.js";

/**
 * WireReader reads protobuf wire format from buf[pos, end). Every read stays inside `end`;
 * anything the reflective parser might read differently (a varint past 5 bytes where 32
 * bits are expected, a tag longer than one byte, bytes past the end) throws FAST_PATH_MISS.
 * Its results equal those of protobuf-es's BinaryReader for the inputs it accepts.
 */
export class WireReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  // The halves of the last varint64 read.
  private lo = 0;
  private hi = 0;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /**
   * tag reads a one-byte tag, (field number << 3) | wire type, for field numbers 1 to 15.
   * Longer tags, field number 0 and the wire types 6 and 7 are a miss.
   */
  tag(): number {
    const pos = this.pos;
    if (pos >= this.end) throw FAST_PATH_MISS;
    const tag = this.buf[pos]!;
    if (tag >= 0x80 || tag < 8 || (tag & 7) > 5) throw FAST_PATH_MISS;
    this.pos = pos + 1;
    return tag;
  }

  /** uint32 reads a varint of up to 5 bytes as protobuf-es's uint32 does. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (this.end - pos < 5) return this.uint32Near();
    let b = buf[pos++]!;
    let result = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return result;
    }
    for (let shift = 7; shift < 28; shift += 7) {
      b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
    }
    b = buf[pos++]!;
    if (b >= 0x80) throw FAST_PATH_MISS;
    this.pos = pos;
    return (result | ((b & 0x0f) << 28)) >>> 0;
  }

  // uint32 within 5 bytes of the end, checking each byte.
  private uint32Near(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.end) throw FAST_PATH_MISS;
      const b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
    }
    if (pos >= this.end) throw FAST_PATH_MISS;
    const b = buf[pos++]!;
    if (b >= 0x80) throw FAST_PATH_MISS;
    this.pos = pos;
    return (result | ((b & 0x0f) << 28)) >>> 0;
  }

  // Reads a varint of up to 10 bytes into lo and hi, as protobuf-es's varint64read does.
  private varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw FAST_PATH_MISS;
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.settle(pos, lo, 0);
    }
    if (pos >= end) throw FAST_PATH_MISS;
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x70) >> 4;
    if (b < 0x80) return this.settle(pos, lo, hi);
    for (let shift = 3; shift <= 31; shift += 7) {
      if (pos >= end) throw FAST_PATH_MISS;
      b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.settle(pos, lo, hi);
    }
    throw FAST_PATH_MISS;
  }

  private settle(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  /** uint64 reads an unsigned 64-bit varint as a bigint. */
  uint64(): bigint {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return BigInt(b);
      }
    }
    this.varint64();
    const lo = this.lo >>> 0;
    const hi = this.hi >>> 0;
    if (hi < 0x20_0000) return BigInt(hi * 0x1_0000_0000 + lo);
    scratchView.setUint32(0, lo, true);
    scratchView.setUint32(4, hi, true);
    return scratchView.getBigUint64(0, true);
  }

  /** sint64 reads a zigzag-encoded signed 64-bit varint as a bigint. */
  sint64(): bigint {
    this.varint64();
    const s = -(this.lo & 1);
    const lo = (((this.lo >>> 1) | ((this.hi & 1) << 31)) ^ s) >>> 0;
    const hi = ((this.hi >>> 1) ^ s) | 0;
    if (hi >= -0x20_0000 && hi < 0x20_0000) return BigInt(hi * 0x1_0000_0000 + lo);
    scratchView.setUint32(0, lo, true);
    scratchView.setInt32(4, hi, true);
    return scratchView.getBigInt64(0, true);
  }

  /**
   * sint64Plain reads a zigzag-encoded signed 64-bit varint as fromValue maps an int: a
   * number when it is a safe integer, else a bigint.
   */
  sint64Plain(): number | bigint {
    this.varint64();
    const s = -(this.lo & 1);
    const lo = (((this.lo >>> 1) | ((this.hi & 1) << 31)) ^ s) >>> 0;
    const hi = ((this.hi >>> 1) ^ s) | 0;
    // hi:lo is within ±2^53; -2^53 itself (hi = -2^21, lo = 0) is not a safe integer.
    if (hi >= -0x20_0000 && hi < 0x20_0000 && (hi !== -0x20_0000 || lo !== 0)) return hi * 0x1_0000_0000 + lo;
    scratchView.setUint32(0, lo, true);
    scratchView.setInt32(4, hi, true);
    return scratchView.getBigInt64(0, true);
  }

  /** bool reads a varint; any bit set is true. */
  bool(): boolean {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** double reads a little-endian IEEE 754 binary64. */
  double(): number {
    const pos = this.pos;
    if (this.end - pos < 8) throw FAST_PATH_MISS;
    for (let i = 0; i < 8; i++) scratchBytes[i] = this.buf[pos + i]!;
    this.pos = pos + 8;
    return scratchView.getFloat64(0, true);
  }

  /** length reads the length of a length-delimited field and checks it fits. */
  length(): number {
    const length = this.uint32();
    if (length > this.end - this.pos) throw FAST_PATH_MISS;
    return length;
  }

  /** bytes reads a length-delimited byte string, as a view into buf. */
  bytes(): Uint8Array {
    const length = this.length();
    const start = this.pos;
    this.pos = start + length;
    return this.buf.subarray(start, start + length);
  }

  /** string reads a length-delimited UTF-8 string; invalid UTF-8 is a miss. */
  string(): string {
    const length = this.length();
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length <= SHORT_STRING) {
      let text = "";
      let i = start;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c >= 0x80) break;
        text += String.fromCharCode(c);
      }
      if (i === end) return text;
    }
    try {
      return utf8.decodeUtf8(buf.subarray(start, end), true);
    } catch {
      throw FAST_PATH_MISS;
    }
  }
}

const SHORT_STRING = 24;
const utf8 = getTextEncoding();
const scratchBytes = new Uint8Array(8);
const scratchView = new DataView(scratchBytes.buffer);
