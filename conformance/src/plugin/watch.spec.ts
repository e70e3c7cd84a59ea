import { describe, expect, it } from "vitest";
import { Watch } from "./watch.js";

describe("Watch", () => {
  it("resolves when a notified change makes the condition true", async () => {
    const watch = new Watch();
    const state: { value?: number } = {};
    const waited = watch.until(() => state.value, { signal: new AbortController().signal });
    state.value = 7;
    watch.notify();
    await expect(waited).resolves.toEqual({ ok: true, value: 7 });
  });

  it("resolves {ok: false} when withinMs passes first", async () => {
    const watch = new Watch();
    await expect(watch.until(() => undefined, { signal: new AbortController().signal, withinMs: 20 })).resolves.toEqual({ ok: false });
  });

  it("rejects when the signal aborts, naming the reason", async () => {
    const watch = new Watch();
    const controller = new AbortController();
    const waited = watch.until(() => undefined, { signal: controller.signal });
    controller.abort(new Error("time is up"));
    await expect(waited).rejects.toThrow("time is up");
  });

  it("rejects with the condition's own error", async () => {
    const watch = new Watch();
    await expect(watch.until(() => { throw new Error("bad check"); }, { signal: new AbortController().signal })).rejects.toThrow("bad check");
  });
});
