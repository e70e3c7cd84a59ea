/**
 * WireWriter is a growable byte buffer that writes the protobuf wire format (varints,
 * zigzag, little-endian doubles, length-delimited fields) in one pass. A length-delimited
 * field is written with `begin`/`end`: one byte is reserved for its length and the content
 * is moved only when the length needs more than one byte.
 */
export class WireWriter {
  /** buf holds the bytes written, buf[0, pos). */
  buf: Uint8Array;
  /** pos is the number of bytes written. */
  pos = 0;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  /** ensure makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** byte writes one byte. */
  byte(value: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = value;
  }

  /** uint32 writes an unsigned varint of at most 32 bits. */
  uint32(value: number): void {
    this.ensure(5);
    this.pos = putVarint(this.buf, this.pos, value);
  }

  /** varint64 writes an unsigned varint of the 64 bits hi:lo (two's complement halves). */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** uint64 writes a bigint from 0 to 2^64 - 1 as a varint. */
  uint64(value: bigint): void {
    if (value < 0x8000_0000n) this.uint32(Number(value));
    else this.varint64(Number(value & 0xffff_ffffn), Number(value >> 32n));
  }

  /** sint64 writes a bigint from -2^63 to 2^63 - 1 zigzag encoded. */
  sint64(value: bigint): void {
    if (value >= -0x4000_0000n && value < 0x4000_0000n) {
      const n = Number(value);
      this.uint32(n >= 0 ? n * 2 : -n * 2 - 1);
      return;
    }
    const zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
    this.varint64(Number(zigzag & 0xffff_ffffn), Number(zigzag >> 32n));
  }

  /** double writes an IEEE 754 binary64, little-endian. */
  double(value: number): void {
    this.ensure(8);
    scratchView.setFloat64(0, value, true);
    this.buf.set(scratchBytes, this.pos);
    this.pos += 8;
  }

  /** bytes writes a length-delimited byte string. */
  bytes(value: Uint8Array): void {
    const n = value.byteLength;
    this.uint32(n);
    this.ensure(n);
    this.buf.set(value, this.pos);
    this.pos += n;
  }

  /** raw writes bytes as they are. */
  raw(value: Uint8Array): void {
    this.ensure(value.byteLength);
    this.buf.set(value, this.pos);
    this.pos += value.byteLength;
  }

  /**
   * string writes a length-delimited UTF-8 string, exactly as TextEncoder encodes it (a lone
   * surrogate becomes U+FFFD).
   */
  string(value: string): void {
    const length = value.length;
    if (length <= SHORT_STRING) {
      // At most 3 bytes per UTF-16 unit: the length fits the one byte reserved for it.
      this.ensure(1 + 3 * length);
      const buf = this.buf;
      const start = this.pos + 1;
      let pos = start;
      for (let i = 0; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          pos = start + encoder.encodeInto(value, buf.subarray(start)).written;
          break;
        }
        buf[pos++] = c;
      }
      buf[start - 1] = pos - start;
      this.pos = pos;
      return;
    }
    this.longString(value);
  }

  private longString(value: string): void {
    // The UTF-8 length is at least the UTF-16 length: reserve the varint for that, and move
    // the bytes in the rare case where the real length needs a longer varint.
    const guess = varintSize(value.length);
    this.ensure(5 + 3 * value.length);
    const start = this.pos + guess;
    const written = encoder.encodeInto(value, this.buf.subarray(start)).written;
    const size = varintSize(written);
    if (size !== guess) this.buf.copyWithin(this.pos + size, start, start + written);
    this.pos = putVarint(this.buf, this.pos, written) + written;
  }

  /** begin starts a length-delimited field's content and returns the mark to pass to end. */
  begin(): number {
    if (this.pos >= this.buf.length) this.grow(1);
    return this.pos++;
  }

  /** end writes the length of the content started at mark, moving it if needed. */
  end(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 0x80) {
      this.buf[mark] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    putVarint(this.buf, mark, length);
    this.pos += extra;
  }
}

/** putVarint writes an unsigned 32-bit varint at pos (room must exist) and returns the end. */
function putVarint(buf: Uint8Array, pos: number, value: number): number {
  while (value > 0x7f) {
    buf[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[pos++] = value;
  return pos;
}

/** varintSize is the number of bytes of the varint of an unsigned 32-bit number. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x20_0000) return 3;
  if (value < 0x1000_0000) return 4;
  return 5;
}

const SHORT_STRING = 42;
// TextEncoder is global in every runtime the package supports, but not in the ES library
// types this core compiles against (no DOM, no Node types).
interface Utf8Encoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
const encoder = new (globalThis as unknown as { TextEncoder: new () => Utf8Encoder }).TextEncoder();
const scratchBytes = new Uint8Array(8);
const scratchView = new DataView(scratchBytes.buffer);
