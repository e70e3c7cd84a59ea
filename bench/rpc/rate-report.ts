import type { Row } from "./report.js";

/** RateRow is one measured throughput scenario (a stream, a fan-out), as printed and as written by --json. */
export interface RateRow {
  scenario: string;
  /** What is counted: "items" of a stream, "deliveries" of messages to subscribers. */
  unit: string;
  instances: number;
  /** The stream's window (credit); 0 for a raw stream without flow control; undefined where there is none. */
  window?: number;
  perSec: number;
  /** CPU time of every process of the scenario per item or delivery, in µs (cpu-time.ts); absent where unknown. */
  cpuUsPerUnit?: number;
  /** Anything else the scenario reports (fan-out: messages published/s, messages dropped). */
  extra?: Record<string, number>;
}

const number = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** rateHeader is the header line of the table formatRateRow fills. */
export const rateHeader = ["scenario".padEnd(10), "instances".padStart(9), "window".padStart(9), "per second".padStart(12), "CPU µs each".padStart(12), "  unit"].join("  ");

/** formatRateRow is one line of the throughput table. */
export function formatRateRow(row: RateRow): string {
  const extra = Object.entries(row.extra ?? {}).map(([key, value]) => `${key} ${number(value)}`);
  return [
    row.scenario.padEnd(10),
    String(row.instances).padStart(9),
    (row.window === undefined ? "-" : String(row.window)).padStart(9),
    number(row.perSec).padStart(12),
    (row.cpuUsPerUnit === undefined ? "-" : number(row.cpuUsPerUnit, 2)).padStart(12),
    `  ${row.unit}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`,
  ].join("  ");
}

/** STREAM_TARGET_WINDOW is the window at which the stream target is checked: host.stream's default. */
export const STREAM_TARGET_WINDOW = 32;

/**
 * formatTwoWayRatios compares the stream with the raw stream at the same window and with the
 * unpaced raw stream, and the chain
 * (plugin → host → plugin) with the direct polyproc call (one instance) at each number in
 * flight, and checks the targets: stream >= 50% of raw at the default window, chain >= 45%
 * of direct at 1 and at 100 in flight. Each comparison needs both sides in the same run.
 */
export function formatTwoWayRatios(rows: Row[], rateRows: RateRow[]): string[] {
  const lines: string[] = [];
  const rawAt = (window: number | undefined) => rateRows.find((r) => r.scenario === "stream-raw" && r.window === window);
  const unpaced = rawAt(0);
  const streams = rateRows.filter((r) => r.scenario === "stream");
  for (const stream of streams) {
    const raw = rawAt(stream.window);
    if (raw) lines.push(`stream / stream-raw at window ${stream.window}: ${number((100 * stream.perSec) / raw.perSec, 1)}%`);
    if (raw?.cpuUsPerUnit !== undefined && stream.cpuUsPerUnit !== undefined && raw.cpuUsPerUnit > 0) {
      lines.push(`stream CPU per item / stream-raw's at window ${stream.window}: ${number(stream.cpuUsPerUnit / raw.cpuUsPerUnit, 1)}x`);
    }
    if (unpaced) lines.push(`stream at window ${stream.window} / stream-raw unpaced: ${number((100 * stream.perSec) / unpaced.perSec, 1)}%`);
  }
  const direct = (inFlight: number) => rows.find((r) => r.scenario === "polyproc" && r.instances === 1 && r.inFlight === inFlight);
  for (const chain of rows.filter((r) => r.scenario === "chain")) {
    const base = direct(chain.inFlight);
    if (base) lines.push(`chain / polyproc at ${chain.inFlight} in flight: ${number((100 * chain.callsPerSec) / base.callsPerSec, 1)}%`);
    if (base?.cpuUsPerCall !== undefined && chain.cpuUsPerCall !== undefined) {
      lines.push(`chain CPU per call / polyproc's at ${chain.inFlight} in flight: ${number(chain.cpuUsPerCall / base.cpuUsPerCall, 2)}x`);
    }
  }
  const streamAtTarget = streams.find((r) => r.window === STREAM_TARGET_WINDOW);
  const raw = rawAt(STREAM_TARGET_WINDOW);
  const chainRatio = (inFlight: number): number | undefined => {
    const chain = rows.find((r) => r.scenario === "chain" && r.inFlight === inFlight);
    const base = direct(inFlight);
    return chain && base ? chain.callsPerSec / base.callsPerSec : undefined;
  };
  const targets: [string, number | undefined, number][] = [
    [`stream >= 50% of raw (same window) at window ${STREAM_TARGET_WINDOW}`, streamAtTarget && raw ? streamAtTarget.perSec / raw.perSec : undefined, 0.5],
    ["chain >= 45% of direct at 1 in flight", chainRatio(1), 0.45],
    ["chain >= 45% of direct at 100 in flight", chainRatio(100), 0.45],
  ];
  for (const [name, value, goal] of targets) {
    const verdict = value === undefined ? "not measured (needs both sides in the run)" : value >= goal ? "met" : "MISSED";
    lines.push(`target ${name}: ${verdict}`);
  }
  return lines;
}
