import { type Frame, FrameEncoder, toValue } from "@polyproc/protocol";

/** ADD_ARGS are the arguments of every `add` call of the benchmark, in every scenario. */
export const ADD_ARGS = { a: 1, b: 2 };

/** FrameSizes are the sizes on the wire, 4-byte length prefix included, of one call. */
export interface FrameSizes {
  call: number;
  result: number;
}

/**
 * addFrameSizes computes, with polyproc's own encoder, the size of the Call the host sends
 * for add(ADD_ARGS) (an id in the thousands, the default 60 s deadline) and of its Result.
 */
export function addFrameSizes(): FrameSizes {
  const id = 5_000n;
  const call: Frame = {
    $typeName: "polyproc.v1.Frame",
    kind: {
      case: "call",
      value: { $typeName: "polyproc.v1.Call", id, function: "add", target: "", args: toValue(ADD_ARGS), deadlineMs: 60_000, metadata: {}, streaming: false, initialCredit: 0 },
    },
  };
  const result: Frame = {
    $typeName: "polyproc.v1.Frame",
    kind: { case: "result", value: { $typeName: "polyproc.v1.Result", id, outcome: { case: "value", value: toValue(ADD_ARGS.a + ADD_ARGS.b) } } },
  };
  const encoder = new FrameEncoder();
  encoder.add(call);
  const callSize = encoder.flush().length;
  encoder.add(result);
  return { call: callSize, result: encoder.flush().length };
}
