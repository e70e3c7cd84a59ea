// The RPC benchmark: polyproc against the raw socket limit, @grpc/grpc-js and vscode-jsonrpc,
// each server in its own process, every scenario in one run. Not part of the tests.
//
//   node --conditions=@polyproc/source --import tsx bench/rpc/run.ts
//     [--duration-ms 2000] [--warmup-ms 500] [--in-flight 1,10,100,1000]
//     [--only raw,polyproc,chain,grpc,jsonrpc,telemetry,stream,fanout] [--json FILE] [--cpu-prof DIR]
//
// Calls (closed loops at each --in-flight): raw, polyproc, chain (plugin → host → plugin,
// compared with polyproc's direct call), grpc, jsonrpc, and telemetry (otel-off, otel-api,
// otel-sdk: polyproc's call with OpenTelemetry off, the API without an SDK, an SDK recording
// spans and metrics, compared with otel-off). Throughput: stream (items/s of
// host.stream at windows 32 and 256, against a raw socket stream at the same windows and
// unpaced (window 0), all run by `stream`) and
// fanout (messages delivered per second to 10 subscribing plugins). --json writes the call
// rows, then the throughput rows (those with a `unit`).
//
// Each call row also gives the CPU time per call of every process of the scenario (this one
// and the servers or plugins it started, read from /proc: Linux only), which says what a
// call costs the machine whatever else runs on it; each throughput row, per item or delivery.
//
// --cpu-prof DIR profiles the processes the scenarios start (servers, plugins) into DIR;
// profile this process too with `node --cpu-prof --cpu-prof-dir DIR ... run.ts`.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type OpenOptions, type RpcClient, runClosedLoop } from "./closed-loop.js";
import { openGrpc } from "./grpc.js";
import { openJsonRpc } from "./jsonrpc.js";
import { openPolyproc } from "./polyproc.js";
import { openChain } from "./chain.js";
import { FANOUT_SUBSCRIBERS, openFanout } from "./fanout.js";
import { openRaw } from "./raw.js";
import { openRawStream } from "./raw-stream.js";
import { type RateRow, STREAM_TARGET_WINDOW, formatRateRow, formatTwoWayRatios, rateHeader } from "./rate-report.js";
import type { RateTarget } from "./rate-window.js";
import { type Row, formatRatios, formatRow, tableHeader } from "./report.js";
import { openPolyprocStream } from "./stream.js";
import { formatTelemetryRatios, telemetryFamilies } from "./telemetry.js";

interface Family {
  scenario: string;
  /** The --only name that runs it; default: the scenario. */
  group?: string;
  instances: number;
  open: (options: OpenOptions) => Promise<RpcClient>;
}

const families: Family[] = [
  { scenario: "raw", instances: 1, open: openRaw },
  { scenario: "polyproc", instances: 1, open: (options) => openPolyproc(1, options) },
  { scenario: "polyproc", instances: 2, open: (options) => openPolyproc(2, options) },
  { scenario: "chain", instances: 1, open: openChain },
  { scenario: "grpc", instances: 1, open: openGrpc },
  { scenario: "jsonrpc", instances: 1, open: openJsonRpc },
  ...telemetryFamilies,
];

interface RateFamily {
  scenario: string;
  /** The --only name that runs it. */
  group: string;
  unit: string;
  instances: number;
  /** The settings measured (a stream's windows); undefined: measured once, with none. */
  windows?: number[];
  open: (options: OpenOptions) => Promise<RateTarget>;
}

const rateFamilies: RateFamily[] = [
  { scenario: "stream-raw", group: "stream", unit: "items", instances: 1, windows: [0, STREAM_TARGET_WINDOW, 256], open: openRawStream },
  { scenario: "stream", group: "stream", unit: "items", instances: 1, windows: [STREAM_TARGET_WINDOW, 256], open: openPolyprocStream },
  { scenario: "fanout", group: "fanout", unit: "deliveries", instances: FANOUT_SUBSCRIBERS, open: openFanout },
];

const scenarioNames = [...new Set([...families.map((f) => f.group ?? f.scenario), ...rateFamilies.map((f) => f.group)])];

const { values } = parseArgs({
  options: {
    "duration-ms": { type: "string", default: "2000" },
    "warmup-ms": { type: "string", default: "500" },
    "in-flight": { type: "string", default: "1,10,100,1000" },
    only: { type: "string" },
    json: { type: "string" },
    "cpu-prof": { type: "string" },
  },
});

const durationMs = positive("--duration-ms", values["duration-ms"]);
const warmupMs = positive("--warmup-ms", values["warmup-ms"], true);
const inFlights = values["in-flight"].split(",").map((n) => positive("--in-flight", n));
const cpuProf = values["cpu-prof"];
const openOptions: OpenOptions = { nodeArgs: cpuProf === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${resolve(cpuProf)}`] };
const only = values.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !scenarioNames.includes(name));
if (unknown?.length) fail(`--only names unknown scenarios: ${unknown.join(", ")}; choose among ${scenarioNames.join(", ")}`);

console.log(`RPC benchmark: Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${durationMs} ms per scenario after ${warmupMs} ms of warm-up`);
console.log(tableHeader);
const rows: Row[] = [];
const failures: string[] = [];
for (const family of families.filter((f) => only === undefined || only.includes(f.group ?? f.scenario))) {
  let client: RpcClient | undefined;
  try {
    client = await family.open(openOptions);
    for (const inFlight of inFlights) {
      const result = await runClosedLoop(client, { inFlight, warmupMs, durationMs });
      const row: Row = {
        scenario: family.scenario,
        inFlight,
        instances: family.instances,
        callsPerSec: Math.round(result.calls / result.seconds),
        p50Us: round(result.latency.percentile(50)),
        p99Us: round(result.latency.percentile(99)),
        ...(result.cpuUsPerCall !== undefined && { cpuUsPerCall: round(result.cpuUsPerCall) }),
      };
      rows.push(row);
      console.log(formatRow(row));
    }
  } catch (error) {
    const message = `${family.scenario} (${family.instances} instance${family.instances > 1 ? "s" : ""}) failed: ${error instanceof Error ? error.message : String(error)}`;
    failures.push(message);
    console.log(message);
  } finally {
    await client?.close();
  }
}

const rateRows: RateRow[] = [];
const rateRuns = rateFamilies.filter((f) => only === undefined || only.includes(f.group));
if (rateRuns.length > 0) {
  console.log("");
  console.log(rateHeader);
}
for (const family of rateRuns) {
  let target: RateTarget | undefined;
  try {
    target = await family.open(openOptions);
    for (const window of family.windows ?? [undefined]) {
      const result = await target.measure(window ?? 0, { warmupMs, durationMs });
      const row: RateRow = {
        scenario: family.scenario,
        unit: family.unit,
        instances: family.instances,
        window,
        perSec: Math.round(result.perSec),
        ...(result.cpuUsPerEvent !== undefined && { cpuUsPerUnit: Math.round(result.cpuUsPerEvent * 100) / 100 }),
        extra: result.extra,
      };
      rateRows.push(row);
      console.log(formatRateRow(row));
    }
  } catch (error) {
    const message = `${family.scenario} failed: ${error instanceof Error ? error.message : String(error)}`;
    failures.push(message);
    console.log(message);
  } finally {
    await target?.close();
  }
}

console.log("");
for (const line of formatRatios(rows)) console.log(line);
for (const line of formatTwoWayRatios(rows, rateRows)) console.log(line);
for (const line of formatTelemetryRatios(rows)) console.log(line);
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify([...rows, ...rateRows], null, 2)}\n`);
  console.log(`wrote ${rows.length + rateRows.length} rows to ${values.json}`);
}
if (failures.length > 0) process.exitCode = 1;

function positive(flag: string, text: string, zeroAllowed = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (zeroAllowed ? 0 : 1)) fail(`${flag} must be an integer ${zeroAllowed ? ">= 0" : ">= 1"}, got ${JSON.stringify(text)}`);
  return n;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
