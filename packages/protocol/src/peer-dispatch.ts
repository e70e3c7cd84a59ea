// Routes each frame of an open connection to the transition that handles it.
import type { PlainFrame } from "./frames.js";
import { receiveCall, receiveCancel, receiveCredit } from "./peer-answers.js";
import { receiveResult, receiveStreamEnd, receiveStreamItem } from "./peer-calls.js";
import { receiveGoodbye, receivePing, receivePong, receivePublish, receiveShutdown, receiveSubscription } from "./peer-control.js";
import { type PeerCore, violation } from "./peer-core.js";
import type { PeerEvent } from "./peer-types.js";

/** dispatchFrame applies one frame received after the handshake; violations throw (§15). */
export function dispatchFrame(core: PeerCore, frame: PlainFrame, now: number, events: PeerEvent[]): void {
  const kind = frame.kind;
  switch (kind.case) {
    case "call":
      return receiveCall(core, kind.value, frame.plain, now, events);
    case "result":
      return receiveResult(core, kind.value, frame.plain, events);
    case "streamItem":
      return receiveStreamItem(core, kind.value, frame.plain, events);
    case "streamEnd":
      return receiveStreamEnd(core, kind.value, events);
    case "cancel":
      return receiveCancel(core, kind.value, events);
    case "credit":
      return receiveCredit(core, kind.value, events);
    case "ping":
      return receivePing(core, kind.value);
    case "pong":
      return receivePong(core, kind.value, now, events);
    case "publish":
      return receivePublish(core, kind.value, events);
    case "subscribe":
    case "unsubscribe":
      return receiveSubscription(core, kind.case, kind.value.patterns, events);
    case "shutdown":
      return receiveShutdown(core, kind.value, events);
    case "goodbye":
      return receiveGoodbye(core, kind.value, events);
    case "hello":
      throw core.role === "host"
        ? violation("the plugin sent a second Hello; a plugin sends exactly one (§4.4 rule 4, §15 #9)")
        : violation("the host sent a Hello, which only a plugin sends (§15 #10)");
    case "welcome":
    case "reject": {
      const name = kind.case === "welcome" ? "Welcome" : "Reject";
      throw core.role === "host"
        ? violation(`the plugin sent ${name}, which only the host sends (§15 #10)`)
        : violation(`the host sent ${name} after the handshake; it answers the Hello once (§4.4 rule 4, §15 #9)`);
    }
    default:
      // The decoder reports frames without a known kind as EMPTY_FRAME (§3.4).
      throw violation("a frame without a known kind reached the peer (§15 #4)");
  }
}
