import { describe, expect, it } from "vitest";
import { abortAfter } from "./abort-after.js";

describe("abortAfter", () => {
  it("aborts with a TimeoutError once the time passes", async () => {
    const { signal, dispose } = abortAfter(new AbortController().signal, 20);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
    dispose();
  });

  it("aborts with the parent's reason when the parent aborts first, also when it already has", () => {
    const parent = new AbortController();
    const { signal, dispose } = abortAfter(parent.signal, 60_000);
    parent.abort("case timed out");
    expect(signal.reason).toBe("case timed out");
    dispose();
    expect(abortAfter(parent.signal, 60_000).signal.reason).toBe("case timed out");
  });

  it("stops following the parent after dispose", () => {
    const parent = new AbortController();
    const { signal, dispose } = abortAfter(parent.signal, 60_000);
    dispose();
    parent.abort("late");
    expect(signal.aborted).toBe(false);
  });
});
