import { describe, expect, it } from "vitest";
import { frameBytes } from "./frame-bytes.js";
import { frameFromSpec } from "./frame-spec.js";
import { frameTracer } from "./frame-trace.js";

describe("frameTracer", () => {
  it("traces each frame once it is whole, per connection and direction", () => {
    const lines: string[] = [];
    const tap = frameTracer((line) => lines.push(line));
    const welcome = frameBytes(frameFromSpec({ welcome: { protocol: 1, instanceId: "i-1" } }));
    tap(1, "out", welcome.subarray(0, 5));
    expect(lines).toEqual([]);
    tap(2, "in", frameBytes(frameFromSpec({ ping: { seq: 3 } })));
    tap(1, "out", welcome.subarray(5));
    expect(lines).toEqual(["← #2 ping {\"seq\":3}", expect.stringMatching(/^→ #1 welcome \{"protocol":1,"instanceId":"i-1",/)]);
  });

  it("traces bytes that do not decode once, in hex, and nothing after them", () => {
    const lines: string[] = [];
    const tap = frameTracer((line) => lines.push(line));
    tap(1, "in", new Uint8Array([0, 0, 0, 2, 0xff, 0xff]));
    tap(1, "in", frameBytes(frameFromSpec({ ping: { seq: 1 } })));
    expect(lines).toEqual([expect.stringMatching(/^← #1 undecodable bytes \(.+\): 00 00 00 02 ff ff$/)]);
  });
});
