import { createConnection } from "node:net";
import { describe, expect, it } from "vitest";
import { listenPipe, pipeName } from "./pipe.js";

describe("pipeName (§2.2.1)", () => {
  it("is \\\\.\\pipe\\polyproc- and 128 random bits in lowercase hex, new each time", () => {
    const name = pipeName();
    expect(name).toMatch(/^\\\\\.\\pipe\\polyproc-[0-9a-f]{32}$/);
    expect(pipeName()).not.toBe(name);
  });
});

describe.runIf(process.platform === "win32")("listenPipe (§2.2)", () => {
  it("accepts connections on its pipe", async () => {
    let accepted!: () => void;
    const acceptedOne = new Promise<void>((resolve) => (accepted = resolve));
    const listener = await listenPipe((socket) => {
      socket.destroy();
      accepted();
    });
    expect(listener.address).toMatch(/^pipe:\\\\\.\\pipe\\polyproc-/);
    const client = createConnection(listener.address.slice("pipe:".length));
    await acceptedOne;
    client.destroy();
    await listener.close();
  });
});
