// Checking a call's arguments against the function's `params` before its handler runs
// (PROTOCOL.md §5.8 check 8): invalid arguments get INVALID_ARGUMENT naming the path (§9.8).

import { PluginError } from "./plugin-error.js";
import { isPromiseLike } from "./is-promise-like.js";
import { checkJsonSchema, type SchemaIssue } from "./json-schema-check.js";
import type { SchemaOption } from "./schema-json.js";
import { isStandardSchema, type StandardIssue, type StandardResult, type StandardSchemaV1 } from "./standard-schema.js";
import { formatPath } from "./value-path.js";

/**
 * ArgsValidator checks a call's arguments and returns the value to give the handler (a
 * Standard Schema may transform it), or a promise of it for an asynchronous schema. It throws
 * (or rejects with) a PluginError INVALID_ARGUMENT.
 */
export type ArgsValidator = (args: unknown) => unknown;

const ROOT = "args";

/**
 * argsValidator makes the validator of a `params` option: a Standard Schema's own `validate`,
 * or the structural check of a plain JSON Schema (json-schema-check.ts). undefined when
 * there is no schema, so that calls without one do no schema work at all.
 */
export function argsValidator(schema: SchemaOption | undefined): ArgsValidator | undefined {
  if (schema === undefined) return undefined;
  if (isStandardSchema(schema)) return standardValidator(schema);
  return (args) => {
    const issues = checkJsonSchema(schema, args, ROOT);
    if (issues.length > 0) throw invalidArguments(issues);
    return args;
  };
}

function standardValidator(schema: StandardSchemaV1): ArgsValidator {
  const props = schema["~standard"];
  return (args) => {
    const result = props.validate(args);
    return isPromiseLike(result) ? result.then(outcome) : outcome(result);
  };
}

function outcome(result: StandardResult<unknown>): unknown {
  if (result.issues === undefined) return result.value;
  throw invalidArguments(result.issues.map(toSchemaIssue));
}

function toSchemaIssue(issue: StandardIssue): SchemaIssue {
  // arktype's message repeats the path; its `problem` is the message without it.
  const problem = (issue as { problem?: unknown }).problem;
  return { path: formatPath(ROOT, issue.path), message: typeof problem === "string" ? problem : issue.message };
}

/**
 * invalidArguments makes the INVALID_ARGUMENT error for a list of issues: the message lists
 * them (`args.items[2].price: expected number, got string`), `details.issues` holds them as
 * data.
 */
export function invalidArguments(issues: readonly SchemaIssue[]): PluginError {
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  return new PluginError("INVALID_ARGUMENT", `invalid arguments: ${message}`, {
    details: { issues: issues.map((issue) => ({ path: issue.path, message: issue.message })) },
  });
}
