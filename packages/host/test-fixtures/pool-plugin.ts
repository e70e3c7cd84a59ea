// A fixture plugin for the pool tests of PluginHost, written with the Node SDK: it reports its
// pid, holds calls, crashes on request, and crashes at start while a switch file exists.
import { existsSync } from "node:fs";
import { PluginError, definePlugin } from "@polyproc/sdk";

const crashSwitch = process.env["POOL_CRASH_SWITCH"];
if (crashSwitch !== undefined && existsSync(crashSwitch)) {
  process.stderr.write(`pool-plugin: the crash switch ${crashSwitch} is on; exiting at start\n`);
  process.exit(5);
}

const plugin = definePlugin({ name: "pool", version: "1.0.0" });

plugin.fn("pid", () => process.pid, { idempotent: true });

plugin.fn("hold", async ({ ms }: { ms: number }, ctx) => {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new PluginError("CANCELLED", "hold was cancelled"));
    });
  });
  return process.pid;
});

plugin.fn("crash", () => {
  process.stderr.write(`pool-plugin ${process.pid}: crashing on request\n`);
  process.exit(3);
});

// Crashes every instance but `survivor`: with idempotent set, the host retries the call on
// another instance, which is the survivor when it is the only other one.
plugin.fn(
  "crashUnless",
  ({ survivor }: { survivor: number }) => {
    if (process.pid === survivor) return process.pid;
    process.stderr.write(`pool-plugin ${process.pid}: crashing under a call\n`);
    process.exit(3);
  },
  { idempotent: true },
);

await plugin.serve();
