import { describe, expect, it } from "vitest";
import { formatTraceparent, parseTraceparent } from "./trace-context.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("traceparent (W3C Trace Context, PROTOCOL.md §5.5.2)", () => {
  it("reads a version-00 header", () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 0 });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-ff`)?.traceFlags).toBe(255);
  });

  it("reads the first four fields of a later version, followed by its end or a dash", () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    expect(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-brings`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    expect(parseTraceparent(`cc-${TRACE}-${SPAN}-01x`)).toBeUndefined();
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["version ff", `ff-${TRACE}-${SPAN}-01`],
    ["version 00 with more after it", `00-${TRACE}-${SPAN}-01-extra`],
    ["uppercase hex", `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${SPAN}-01`],
    ["an all-zero span id", `00-${TRACE}-${"0".repeat(16)}-01`],
    ["a short trace id", `00-${TRACE.slice(1)}-${SPAN}-01`],
    ["a short span id", `00-${TRACE}-${SPAN.slice(1)}-01`],
    ["one-digit flags", `00-${TRACE}-${SPAN}-1`],
    ["other separators", `00_${TRACE}_${SPAN}_01`],
    ["not hex", `00-${TRACE.replace("a", "g")}-${SPAN}-01`],
    ["an old made-up value", "00-abc-def-01"],
  ])("refuses a header that is %s", (_what, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("writes version 00 with two-digit flags, and reads back what it wrote", () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 1 })).toBe(`00-${TRACE}-${SPAN}-01`);
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 })).toBe(`00-${TRACE}-${SPAN}-00`);
    const written = formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0x1ab });
    expect(written).toBe(`00-${TRACE}-${SPAN}-ab`);
    expect(parseTraceparent(written)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 0xab });
  });
});
