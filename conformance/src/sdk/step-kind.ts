// The shape every step of an sdk case has: the keys it takes, extra checks, and how it runs.

import type { Fields, Shape } from "./shape.js";
import type { Session } from "./session.js";

/** StepBody is the map under a step's name: `- call: {fn: echo}` has the body `{fn: echo}`. */
export type StepBody = Record<string, unknown>;

/** StepKind is one step of the sdk vocabulary (conformance/docs/sdk-cases.md). */
export interface StepKind {
  /** The keys of the body and their kinds; `name!` is required. */
  fields: Fields;
  /** check adds the problems that the kinds of the fields do not show. */
  check?(body: StepBody, where: string, shape: Shape): void;
  /** run performs the step; it rejects with a CaseFailure when an expectation does not hold. */
  run(body: StepBody, session: Session): Promise<void>;
}
