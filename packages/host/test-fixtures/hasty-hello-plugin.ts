// A fixture plugin that sends a Ping right behind its Hello, in the same write, before the
// host has answered (§4.4 rule 3, §15 #7). With the argument "wrong-token" its Hello also
// presents a token the host never issued.
import { Peer } from "@polyproc/protocol";
import { connect } from "@polyproc/protocol/node";

const address = process.env["POLYPROC_ADDRESS"] ?? "";
const token = process.argv[2] === "wrong-token" ? "0".repeat(64) : (process.env["POLYPROC_TOKEN"] ?? "");
const socket = await connect(address);
const peer = new Peer({ role: "plugin" });
peer.hello({ token, sdkLanguage: "node", sdkVersion: "0.0.0", pluginName: "fixture", pid: process.pid, functions: [] });
const hello = peer.takeOutput() ?? new Uint8Array(0);
const ping = Uint8Array.of(0, 0, 0, 4, 0x42, 0x02, 0x08, 0x11);
socket.write(Buffer.concat([hello, ping]));
socket.on("data", () => process.stderr.write("the host answered a Hello that had bytes behind it\n"));
socket.on("close", () => process.exit(1));
