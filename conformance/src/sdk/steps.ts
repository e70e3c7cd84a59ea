// The step vocabulary of sdk cases (conformance/docs/sdk-cases.md): each step is a map with
// one key, the step's name, whose value is its body.

import { isRecord } from "../load-cases.js";
import { callSteps } from "./call-steps.js";
import { hostSteps } from "./host-steps.js";
import { processSteps } from "./process-steps.js";
import { pubsubSteps } from "./pubsub-steps.js";
import type { Shape } from "./shape.js";
import type { StepBody, StepKind } from "./step-kind.js";
import { streamStep } from "./stream-step.js";

/** stepKinds returns the whole vocabulary; its checks record the labels of one case, so make one per case. */
export function stepKinds(): Record<string, StepKind> {
  return { ...callSteps(new Set()), stream: streamStep, ...processSteps, ...hostSteps, ...pubsubSteps(new Set()) };
}

/** ParsedStep is a step split into its name, body and kind. */
export interface ParsedStep {
  name: string;
  body: StepBody;
  kind: StepKind;
}

/** parseSteps checks every step of a case (in order, so labels are known) and returns them parsed. */
export function parseSteps(steps: Record<string, unknown>[], shape: Shape): ParsedStep[] {
  const kinds = stepKinds();
  const parsed: ParsedStep[] = [];
  steps.forEach((step, i) => {
    const where = `steps[${i}]`;
    const names = Object.keys(step);
    if (names.length !== 1) {
      shape.problem(`${where} must have exactly one key, the step's name (one of ${Object.keys(kinds).join(", ")}); got ${names.join(", ") || "none"}`);
      return;
    }
    const name = names[0]!;
    const kind = kinds[name];
    if (kind === undefined) {
      shape.problem(`${where}: unknown step ${name}; the steps are ${Object.keys(kinds).join(", ")}`);
      return;
    }
    const raw = step[name] ?? {};
    const body = shape.fields(raw, kind.fields, `${where}.${name}`);
    if (isRecord(raw)) kind.check?.(body, `${where}.${name}`, shape);
    parsed.push({ name, body, kind });
  });
  return parsed;
}
