// The demo's host: starts the math plugin (math-plugin.ts) as two processes, calls its
// functions, shows a failing call, a timeout and a crash the host survives, prints the
// statistics and closes. Run it with run.sh.

import { fileURLToPath } from "node:url";
import { PluginError, PluginHost, type InstanceEvent, type LogFields, type Logger } from "@polyproc/host";

const pluginFile = fileURLToPath(new URL("./math-plugin.ts", import.meta.url));
// The plugin runs from its TypeScript source, as this script does.
const command = [process.execPath, "--conditions=@polyproc/source", "--import", "tsx", pluginFile];

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`   ${label.padEnd(34)} -> ${JSON.stringify(value)}`);
}

function showError(label: string, error: unknown): PluginError {
  const e = PluginError.from(error);
  console.log(`   ${label.padEnd(34)} -> ${e.code}${e.retryable ? " (retryable)" : ""}: ${e.message.split("\n")[0]}`);
  return e;
}

async function expectFailure(label: string, call: Promise<unknown>, code: string): Promise<PluginError> {
  try {
    show(label, await call);
  } catch (error) {
    const e = showError(label, error);
    if (e.code === code) return e;
  }
  throw new Error(`${label}: expected the call to fail with ${code}`);
}

/** paramsOf writes a JSON Schema's properties as `a: number, b: number`. */
function paramsOf(schema: unknown): string {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (properties === undefined) return "";
  return Object.entries(properties)
    .map(([name, property]) => `${name}: ${String(property.type ?? "any")}`)
    .join(", ");
}

/** A logger that prints the host's warnings and errors, plugin lines included, readably. */
function demoLogger(fields: LogFields = {}): Logger {
  const print = (level: string) => (msg: string, more?: LogFields) => {
    const all = { ...fields, ...more };
    const where = typeof all.instance === "string" ? all.instance : typeof all.plugin === "string" ? all.plugin : "host";
    console.log(`   [log ${level} ${where}] ${msg.split("\n")[0]}`);
  };
  const quiet = (): void => undefined;
  return { debug: quiet, info: quiet, warn: print("warn"), error: print("error"), child: (more) => demoLogger({ ...fields, ...more }) };
}

step("start the host with the math plugin, 2 instances");
const host = await PluginHost.start({ plugins: [{ name: "math", command, instances: 2 }], logger: demoLogger() });
host.on("exit", (e) => console.log(`   [event exit] ${e.instance}: ${e.clean ? "stopped cleanly" : e.reason}, exit code ${e.exitCode ?? "-"}, signal ${e.signal ?? "-"}`));
host.on("restart", (e) => console.log(`   [event restart] ${e.instance} restarts in ${Math.round(e.delayMs)} ms (attempt ${e.attempt})`));
console.log(`   ready: ${host.stats().plugins.math?.instances.map((i) => `${i.id} (pid ${i.pid})`).join(", ")}`);

step("functions the plugin declared in its Hello");
for (const fn of host.functions()) {
  console.log(`   ${`${fn.plugin}.${fn.name}(${paramsOf(fn.params)})`.padEnd(34)} ${fn.description}${fn.idempotent ? " [idempotent]" : ""}`);
}

step("calls");
show("add(2, 3)", await host.call("math", "add", { a: 2, b: 3 }));
show("divide(10, 4)", await host.call("math", "divide", { a: 10, b: 4 }));
show("slow(200 ms)", await host.call("math", "slow", { ms: 200 }));
// Two calls at once go to the two instances (the one with fewer calls in flight wins).
show("slow(100 ms) and whoami() at once", await Promise.all([host.call("math", "slow", { ms: 100 }), host.call("math", "whoami")]));

step("failures come back as errors with a code; the plugin keeps serving");
await expectFailure("divide(1, 0)", host.call("math", "divide", { a: 1, b: 0 }), "INVALID_ARGUMENT");
await expectFailure('add(2, "three")', host.call("math", "add", { a: 2, b: "three" }), "INVALID_ARGUMENT");
await expectFailure("sqrt(4)", host.call("math", "sqrt", { x: 4 }), "NOT_FOUND");
await expectFailure("slow(5000 ms), timeoutMs 300", host.call("math", "slow", { ms: 5000 }, { timeoutMs: 300 }), "DEADLINE_EXCEEDED");

step("a crash: the call in flight fails, the host restarts the instance");
const restarted = new Promise<InstanceEvent>((resolve) => {
  const off = host.on("instance", (e) => {
    if (e.state === "ready" && e.previous === "starting") {
      off();
      resolve(e);
    }
  });
});
const crash = await expectFailure("crash()", host.call("math", "crash"), "UNAVAILABLE");
const details = crash.details as { exit_code?: unknown; stderr_tail?: string } | null;
console.log(`   details: exit_code ${String(details?.exit_code)}, stderr_tail ${JSON.stringify(details?.stderr_tail?.split("\n").at(-1)?.slice(0, 70))}...`);
show("add(20, 22) meanwhile, on the other", await host.call("math", "add", { a: 20, b: 22 }));
const fresh = await restarted;
console.log(`   ${fresh.instance} is ready again`);
show("slow(100 ms) and whoami() at once", await Promise.all([host.call("math", "slow", { ms: 100 }), host.call("math", "whoami")]));

step("statistics");
const stats = host.stats().plugins.math;
if (stats !== undefined) {
  const latency = stats.latencyMs;
  console.log(`   calls ${stats.calls}, errors ${JSON.stringify(stats.errors)}, restarts ${stats.restarts}`);
  if (latency !== undefined) console.log(`   latency p50 ${latency.p50.toFixed(2)} ms, p90 ${latency.p90.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`);
  for (const instance of stats.instances) console.log(`   ${instance.id}: ${instance.state}, ${instance.calls} calls, restarts ${instance.restarts}`);
}

step("close: Shutdown, Goodbye, every process gone");
await host.close();
console.log("   closed");
