import { describe, expect, it } from "vitest";
import { killPlan } from "./kill-plan.js";

describe("killPlan (§13.3)", () => {
  it("signals the whole process group on Linux and macOS", () => {
    expect(killPlan("linux", 4242, "SIGTERM")).toEqual({ kind: "group", pid: 4242, signal: "SIGTERM" });
    expect(killPlan("darwin", 4242, "SIGKILL")).toEqual({ kind: "group", pid: 4242, signal: "SIGKILL" });
  });

  it("terminates the process tree with taskkill on Windows, whatever the signal", () => {
    const tree = { kind: "tree", command: "taskkill", args: ["/pid", "4242", "/T", "/F"] };
    expect(killPlan("win32", 4242, "SIGTERM")).toEqual(tree);
    expect(killPlan("win32", 4242, "SIGKILL")).toEqual(tree);
  });

  it("signals the child alone when it has no pid (it never started)", () => {
    expect(killPlan("linux", undefined, "SIGKILL")).toEqual({ kind: "process", signal: "SIGKILL" });
    expect(killPlan("win32", undefined, "SIGTERM")).toEqual({ kind: "process", signal: "SIGTERM" });
  });
});
