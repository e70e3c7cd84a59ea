// The fake host's answers to Hello (PROTOCOL.md §4.4), as frame specs: a valid Welcome or
// Reject by default, with whatever fields a case overrides.

/** HOST_CAPABILITIES are the capabilities the fake host offers: all of v1's, as the host must (§16.2.4). */
export const HOST_CAPABILITIES = ["streaming", "host-calls", "plugin-calls", "pubsub"];

/** DEFAULT_INSTANCE_ID is the instance id of the default Welcome. */
export const DEFAULT_INSTANCE_ID = "conformance-1";

/**
 * welcomeSpec is the frame spec of a valid Welcome (§4.4): protocol 1, instance id
 * `conformance-1`, no heartbeat, the 16 MiB frame limit, settings `{suite: "plugin"}`, the
 * capabilities the Hello announced that the host offers, plugin name `conformance`, no
 * limits; `overrides` replace any of its proto-JSON fields.
 */
export function welcomeSpec(overrides: Record<string, unknown>, helloCapabilities: readonly string[]): { welcome: Record<string, unknown> } {
  return {
    welcome: {
      protocol: 1,
      instanceId: DEFAULT_INSTANCE_ID,
      heartbeatIntervalMs: 0,
      maxFrameBytes: 0,
      settings: { suite: "plugin" },
      capabilities: HOST_CAPABILITIES.filter((c) => helloCapabilities.includes(c)),
      maxCallsInFlight: 0,
      pluginName: "conformance",
      maxOpenStreams: 0,
      ...overrides,
    },
  };
}

/** rejectSpec is the frame spec of a Reject (§4.4): FAILED_PRECONDITION and the range 1..1 unless `fields` say otherwise. */
export function rejectSpec(fields: Record<string, unknown>): { reject: Record<string, unknown> } {
  return {
    reject: {
      code: "FAILED_PRECONDITION",
      message: "the conformance suite's fake host rejects this Hello",
      minProtocol: 1,
      maxProtocol: 1,
      ...fields,
    },
  };
}
