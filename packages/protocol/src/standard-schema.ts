// The Standard Schema v1 and Standard JSON Schema v1 interfaces (https://standardschema.dev),
// written out here so that this package depends on no schema library: zod, valibot, arktype and
// others implement them.

/**
 * StandardSchemaV1 is a validator that any Standard Schema library produces (zod, valibot,
 * arktype, ...): `~standard.validate` checks a value and returns it (possibly transformed)
 * or the issues found.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/** StandardSchemaProps are the `~standard` members of a StandardSchemaV1. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  /** Present when the library also implements Standard JSON Schema. */
  readonly jsonSchema?: StandardJsonSchemaConverter;
}

/** StandardResult is what `validate` returns: the value, or the issues. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };

/** StandardIssue is one validation failure, with the path to the offending member. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/**
 * StandardJsonSchemaConverter is the Standard JSON Schema interface: it turns a schema into a
 * JSON Schema of its input or output type, throwing when the schema has no JSON Schema form.
 */
export interface StandardJsonSchemaConverter {
  readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>;
  readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>;
}

/** InferOutput is the type a StandardSchemaV1 validates into. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

/** InferInput is the type a StandardSchemaV1 accepts. */
export type InferInput<S> = S extends StandardSchemaV1<infer I, unknown> ? I : never;

/** isStandardSchema tells whether a value implements Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof props === "object" &&
    props !== null &&
    (props as { version?: unknown }).version === 1 &&
    typeof (props as { validate?: unknown }).validate === "function"
  );
}
