// Demo, step 1 of 3 (TypeScript): writes a batch of Call frames to stdout as one buffer,
// in polyproc's wire format (PROTOCOL.md §3), for the Python step to read.
import { writeSync } from "node:fs";
import { FrameEncoder, create, FrameSchema, toValue } from "../../packages/protocol/src/index.js";

const calls: [string, unknown][] = [
  ["add", { a: 1, b: 2 }],
  ["add", { a: 2n ** 62n, b: 1 }],
  ["reverse", { text: "polyproc 😀" }],
  ["checksum", { data: new Uint8Array(64 * 1024).map((_, i) => i & 0xff) }],
  ["describe", { nested: { list: [null, true, -0, Number.NaN, "é"], empty: {} } }],
];

const encoder = new FrameEncoder();
calls.forEach(([fn, args], i) => {
  encoder.add(create(FrameSchema, { kind: { case: "call", value: { id: BigInt(i + 1), function: fn, args: toValue(args, "args"), deadlineMs: 1000 } } }));
  console.error(`ts     -> call #${i + 1} ${fn}`);
});
const batch = encoder.flush();
console.error(`ts     -> wrote ${calls.length} frames, ${batch.length} bytes, in one write`);
writeSync(1, batch);
