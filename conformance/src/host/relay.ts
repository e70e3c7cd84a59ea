// The fake plugin's process: the host spawns it as the plugin of `host` cases. It reports what
// it found in its environment to the executor (CONFORMANCE_RELAY names the executor's control
// socket), connects to the host at POLYPROC_ADDRESS, and then relays raw bytes both ways: what
// the host sends goes to the executor, what the executor sends goes to the host. So the case
// script, in the executor's process, plays the plugin frame by frame while the host sees a real
// process on a real connection. Messages are framed as relay-wire.ts says.
//
// It exits when the host's connection ends (status 1, or the one the executor chose), when the
// executor says `X`, or at once with status 1 when the control connection ends (the executor
// is gone), so that it never outlives its case.

import { statSync } from "node:fs";
import { type Socket, createConnection } from "node:net";
import { dirname } from "node:path";
import { RelayMessageReader, relayJson, relayMessage, type RelayMessage } from "./relay-wire.js";

const controlPath = process.env["CONFORMANCE_RELAY"];
if (controlPath === undefined || controlPath === "") {
  process.stderr.write("relay: CONFORMANCE_RELAY is not set; this program is run by the conformance suite's host executor\n");
  process.exit(2);
}

let exitCode: number | null = 1;
let host: Socket | undefined;
let hostEnded = false;
const pending: Uint8Array[] = [];
const control = createConnection({ path: controlPath });
const reader = new RelayMessageReader();

control.on("connect", () => {
  control.write(relayMessage("R", JSON.stringify(report())));
  connectHost();
});
control.on("data", (chunk: Buffer) => {
  for (const message of reader.push(chunk)) onControl(message);
});
control.on("error", () => process.exit(1));
control.on("close", () => process.exit(1));

function connectHost(): void {
  const address = process.env["POLYPROC_ADDRESS"] ?? "";
  const path = address.replace(/^(unix|pipe):/, "");
  const socket = createConnection({ path });
  socket.on("connect", () => {
    host = socket;
    control.write(relayMessage("O"));
    for (const bytes of pending.splice(0)) socket.write(bytes);
  });
  socket.on("data", (chunk: Buffer) => control.write(relayMessage("D", chunk)));
  socket.on("error", (error) => hostGone(error.message));
  socket.on("close", () => hostGone(undefined));
}

function onControl(message: RelayMessage): void {
  switch (message.tag) {
    case "D":
      if (host === undefined) pending.push(message.payload);
      else host.write(message.payload);
      return;
    case "E": {
      const code = relayJson(message).exitCode;
      exitCode = typeof code === "number" ? code : null;
      if (host === undefined) hostGone(undefined);
      else host.end();
      return;
    }
    case "C": {
      const code = relayJson(message).exitCode;
      exitCode = typeof code === "number" ? code : null;
      return;
    }
    case "X": {
      const code = relayJson(message).code;
      process.exit(typeof code === "number" ? code : 1);
      return;
    }
    default:
      process.stderr.write(`relay: unexpected control message ${message.tag}\n`);
  }
}

// The connection to the host is over: tell the executor, then exit unless told to stay.
function hostGone(error: string | undefined): void {
  if (hostEnded) return;
  hostEnded = true;
  const end = relayMessage("E", JSON.stringify(error === undefined ? {} : { error }));
  if (exitCode === null) {
    control.write(end);
    return;
  }
  const code = exitCode;
  control.end(end, () => process.exit(code));
}

function report(): Record<string, unknown> {
  const token = process.env["POLYPROC_TOKEN"] ?? null;
  const address = process.env["POLYPROC_ADDRESS"] ?? null;
  return {
    token,
    address,
    protocol: process.env["POLYPROC_PROTOCOL"] ?? null,
    pid: process.pid,
    polyprocEnv: Object.keys(process.env).filter((name) => name.startsWith("POLYPROC_")).sort(),
    argvHasToken: token !== null && process.argv.some((arg) => arg.includes(token)),
    ...addressFacts(address),
  };
}

// §2.1.2, §2.2.1, §17.1: only the host's user can reach the address.
function addressFacts(address: string | null): Record<string, unknown> {
  if (address?.startsWith("unix:") === true) {
    try {
      const mode = statSync(dirname(address.slice("unix:".length))).mode & 0o777;
      return { addressDirMode: mode.toString(8).padStart(3, "0"), addressPrivate: mode === 0o700 };
    } catch (error) {
      return { addressDirMode: null, addressPrivate: false, addressError: (error as Error).message };
    }
  }
  if (address?.startsWith("pipe:") === true) {
    return { addressDirMode: null, addressPrivate: /^pipe:\\\\\.\\pipe\\polyproc-[0-9a-f]{32,}$/.test(address) };
  }
  return { addressDirMode: null, addressPrivate: false };
}
