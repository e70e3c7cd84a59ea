// Checks of the expectations steps carry: `expect: {value}` or `expect: {error}` of a call,
// and plain match() expectations, validated before the case runs.

import { isErrorCode } from "@polyproc/protocol";
import { isRecord } from "../load-cases.js";
import { CaseFailure } from "../case-types.js";
import type { Shape } from "./shape.js";
import { checkValueSpec } from "./value-spec.js";

const errorFields = ["code", "message", "details", "retryable", "originPlugin", "originInstance", "remote", "protocolError", "path"];

/** checkOutcomeExpectation checks the `expect` of call and await: {value} or {error}, not both. */
export function checkOutcomeExpectation(expect: unknown, where: string, shape: Shape): void {
  if (expect === undefined) return;
  const body = shape.fields(expect, { value: "any", error: "any" }, where);
  if (body.value !== undefined && body.error !== undefined) shape.problem(`${where}: expect either a value or an error, not both`);
  if (body.value !== undefined) checkValueSpec(body.value, `${where}.value`, shape, true);
  if (body.error === undefined) return;
  checkValueSpec(body.error, `${where}.error`, shape, true);
  if (!isRecord(body.error)) return;
  for (const key of Object.keys(body.error)) {
    if (!key.startsWith("$") && !errorFields.includes(key)) shape.problem(`${where}.error: unknown key ${key}; an error has ${errorFields.join(", ")}`);
  }
  const code = body.error.code;
  if (typeof code === "string" && !isErrorCode(code)) shape.problem(`${where}.error.code: ${code} is not a code of PROTOCOL.md §8.2 (write it without CODE_, such as NOT_FOUND)`);
}

/** checkExpectation checks a plain match() expectation. */
export function checkExpectation(expect: unknown, where: string, shape: Shape): void {
  checkValueSpec(expect, where, shape, true);
}

/** failIf rejects the step with a CaseFailure listing the problems, when there are any. */
export function failIf(problems: string[], what: string, observed: string): void {
  if (problems.length === 0) return;
  throw new CaseFailure(`${what}: ${problems.join("; ")} (observed: ${observed})`);
}
