import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessInstance } from "./instance.js";
import { type TestHost, startTestHost } from "./test-support.test-fixture.js";

let host: TestHost;
let instance: ProcessInstance;

beforeAll(async () => {
  host = await startTestHost();
  instance = host.start("misbehaving-plugin.ts");
  await instance.ready;
});

afterAll(async () => {
  await host.close();
});

/** nextCapacity resolves with inFlight at the instance's next "capacity" event. */
function nextCapacity(): Promise<number> {
  return new Promise((resolve) => {
    let first = true;
    instance.on("capacity", () => {
      if (first) resolve(instance.inFlight);
      first = false;
    });
  });
}

describe("ProcessInstance: the capacity event", () => {
  it("is emitted when an answer arrives, after the call settled", async () => {
    const capacity = nextCapacity();
    await expect(instance.call("add", { a: 1, b: 2 })).resolves.toBe(3);
    expect(await capacity).toBe(0);
  });

  it("is emitted when the late answer of a cancelled call arrives, which counted until then (§7.4)", async () => {
    const controller = new AbortController();
    const call = instance.call("slow", { ms: 60_000 }, { signal: controller.signal });
    const capacity = nextCapacity();
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "CANCELLED", remote: false });
    expect(instance.inFlight).toBe(1);
    expect(await capacity).toBe(0);
  });
});
