import { describe, expect, it } from "vitest";
import { CallSignal } from "./call-signal.js";

describe("CallSignal", () => {
  it("runs each listener once, in order, with the reason set", () => {
    const signal = new CallSignal();
    const heard: string[] = [];
    signal.addEventListener("abort", () => heard.push(`first ${String(signal.reason)}`));
    signal.addEventListener("abort", () => heard.push(`second ${String(signal.aborted)}`));
    signal.abort("gone");
    signal.abort("again");
    expect(heard).toEqual(["first gone", "second true"]);
    expect(signal.reason).toBe("gone");
  });

  it("does not run a removed listener, nor one added after the abort", () => {
    const signal = new CallSignal();
    const heard: string[] = [];
    const removed = () => heard.push("removed");
    signal.addEventListener("abort", removed);
    signal.addEventListener("abort", () => heard.push("kept"));
    signal.removeEventListener("abort", removed);
    signal.abort(new Error("cancelled"));
    signal.addEventListener("abort", () => heard.push("late"));
    expect(heard).toEqual(["kept"]);
  });

  it("is not aborted and has no reason until it aborts", () => {
    const signal = new CallSignal();
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
    signal.abort(undefined);
    expect(signal.aborted).toBe(true);
  });
});
