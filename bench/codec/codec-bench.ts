// Codec benchmark, TypeScript: frames per second to encode and decode a small Call and a
// Result carrying 64 KiB of bytes, through polyproc's path (plain value -> Value -> frame
// encoder; frame decoder -> validation -> plain value) against bare protobuf-es
// toBinary/fromBinary of the same prebuilt Frame, in the same run. Not part of the tests.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { FrameDecoder, FrameEncoder, FrameSchema, fromValue, toValue, type Frame } from "../../packages/protocol/src/index.js";

const seconds = Number(process.env.BENCH_SECONDS ?? "1");
const smallArgs = { a: 1, b: 2, op: "sum" };
const bigPayload = new Uint8Array(64 * 1024).fill(0xab);

// Frames are built as the RPC peer builds them: complete message literals, no create().
function smallFrame(args: unknown): Frame {
  return {
    $typeName: "polyproc.v1.Frame",
    kind: { case: "call", value: { $typeName: "polyproc.v1.Call", id: 42n, function: "add", target: "", args: toValue(args, "args"), deadlineMs: 500, metadata: {}, streaming: false, initialCredit: 0 } },
  };
}
function bigFrame(payload: unknown): Frame {
  return {
    $typeName: "polyproc.v1.Frame",
    kind: { case: "result", value: { $typeName: "polyproc.v1.Result", id: 42n, outcome: { case: "value", value: toValue(payload, "result") } } },
  };
}

/** rate runs fn in batches for about `seconds` and returns operations per second. */
function rate(fn: () => void): number {
  for (let i = 0; i < 2000; i++) fn(); // warm up the JIT
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 100; i++) fn();
    ops += 100;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

let sink = 0;
function measure(name: string, native: unknown, build: (v: unknown) => Frame): void {
  const prebuilt = build(native);
  const body = toBinary(FrameSchema, prebuilt);
  const encoder = new FrameEncoder();
  const wire = (() => { encoder.add(prebuilt); return encoder.flush(); })();
  const decoder = new FrameDecoder();

  const encode = {
    polyproc: rate(() => { encoder.add(build(native)); sink += encoder.flush().length; }),
    bare: rate(() => { sink += toBinary(FrameSchema, prebuilt).length; }),
  };
  const decode = {
    polyproc: rate(() => {
      const [frame] = decoder.push(wire);
      const kind = frame!.kind;
      const value = kind.case === "call" ? kind.value.args : kind.case === "result" && kind.value.outcome.case === "value" ? kind.value.outcome.value : undefined;
      sink += fromValue(value) === null ? 0 : 1;
    }),
    bare: rate(() => { sink += fromBinary(FrameSchema, body).kind.case === undefined ? 0 : 1; }),
  };
  for (const [op, r] of [["encode", encode], ["decode", decode]] as const) {
    const overhead = (r.bare / r.polyproc - 1) * 100;
    console.log(`codec ts ${name} ${op} polyproc=${Math.round(r.polyproc)}/s bare=${Math.round(r.bare)}/s overhead=${overhead.toFixed(1)}%`);
  }
}

measure("small-call", smallArgs, smallFrame);
measure("result-64k", bigPayload, bigFrame);
if (sink === -1) console.log("unreachable");
