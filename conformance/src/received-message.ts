// What a case's host subscription received, as the host and sdk executors record it.

import type { MessageInfo, PlainValue } from "@polyproc/host";

/** ReceivedMessage is one message a host subscription of a case received: its topic, metadata and value. */
export interface ReceivedMessage extends MessageInfo {
  value: PlainValue;
}
