import { describe, expect, it } from "vitest";
import { EnvironmentError, readEnvironment } from "./environment.js";

const token = "ab".repeat(32);

describe("readEnvironment", () => {
  it("reads the three variables and removes every POLYPROC_* variable (§2.4.1)", () => {
    const env: NodeJS.ProcessEnv = { POLYPROC_ADDRESS: "unix:/tmp/p/host.sock", POLYPROC_TOKEN: token, POLYPROC_PROTOCOL: "1-3", POLYPROC_TLS_CA: "x", HOME: "/root" };
    expect(readEnvironment(env)).toEqual({ address: "unix:/tmp/p/host.sock", token, hostProtocol: { min: 1, max: 3 } });
    expect(env).toEqual({ HOME: "/root" });
  });

  it("returns undefined without POLYPROC_ADDRESS (run by hand, §2.4.2)", () => {
    expect(readEnvironment({ HOME: "/root" })).toBeUndefined();
  });

  it("reads a missing POLYPROC_PROTOCOL as 1 and accepts named pipes", () => {
    expect(readEnvironment({ POLYPROC_ADDRESS: "pipe:\\\\.\\pipe\\polyproc-ab12", POLYPROC_TOKEN: token })).toEqual({
      address: "pipe:\\\\.\\pipe\\polyproc-ab12",
      token,
      hostProtocol: { min: 1, max: 1 },
    });
  });

  it.each([
    [{ POLYPROC_ADDRESS: "unix:relative.sock", POLYPROC_TOKEN: token }, /POLYPROC_ADDRESS "unix:relative.sock" is malformed: a unix: address needs an absolute path/],
    [{ POLYPROC_ADDRESS: "pipe:polyproc", POLYPROC_TOKEN: token }, /POLYPROC_ADDRESS "pipe:polyproc" is malformed/],
    [{ POLYPROC_ADDRESS: "tcp://[::1]:7000", POLYPROC_TOKEN: token }, /tcp:\/\/ addresses .* are not supported/],
    [{ POLYPROC_ADDRESS: "http://x", POLYPROC_TOKEN: token }, /has an unknown scheme/],
    [{ POLYPROC_ADDRESS: "unix:/x" }, /POLYPROC_TOKEN is not set: it must be exactly 64 lowercase hex digits/],
    [{ POLYPROC_ADDRESS: "unix:/x", POLYPROC_TOKEN: token.toUpperCase() }, /POLYPROC_TOKEN is malformed/],
    [{ POLYPROC_ADDRESS: "unix:/x", POLYPROC_TOKEN: token, POLYPROC_PROTOCOL: "2-1" }, /POLYPROC_PROTOCOL "2-1" is malformed/],
    [{ POLYPROC_ADDRESS: "unix:/x", POLYPROC_TOKEN: token, POLYPROC_PROTOCOL: "0" }, /POLYPROC_PROTOCOL "0" is malformed/],
  ])("rejects a malformed variable, naming it (§2.4.3): %j", (env, message) => {
    const copy: NodeJS.ProcessEnv = { ...env };
    expect(() => readEnvironment(copy)).toThrow(EnvironmentError);
    expect(() => readEnvironment({ ...env })).toThrow(message);
    expect(Object.keys(copy)).toEqual([]);
  });

  it("never puts the token in a message", () => {
    const bad = "A".repeat(64);
    expect(() => readEnvironment({ POLYPROC_ADDRESS: "unix:/x", POLYPROC_TOKEN: bad })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(bad) }));
  });
});
