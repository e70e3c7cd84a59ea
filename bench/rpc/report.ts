/** Row is one measured scenario, as printed and as written by --json. */
export interface Row {
  scenario: string;
  inFlight: number;
  instances: number;
  callsPerSec: number;
  p50Us: number;
  p99Us: number;
  /** CPU time of every process of the scenario per call, in µs (cpu-time.ts); absent where unknown. */
  cpuUsPerCall?: number;
}

const number = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "-");

/** formatRow is one line of the table. */
export function formatRow(row: Row): string {
  return [
    row.scenario.padEnd(10),
    String(row.instances).padStart(9),
    String(row.inFlight).padStart(9),
    number(row.callsPerSec).padStart(12),
    number(row.p50Us, 1).padStart(10),
    number(row.p99Us, 1).padStart(10),
    number(row.cpuUsPerCall ?? NaN, 1).padStart(12),
  ].join("  ");
}

/** tableHeader is the header line of the table formatRow fills. */
export const tableHeader = ["scenario".padEnd(10), "instances".padStart(9), "in flight".padStart(9), "calls/s".padStart(12), "p50 µs".padStart(10), "p99 µs".padStart(10), "CPU µs/call".padStart(12)].join("  ");

function find(rows: Row[], scenario: string, inFlight: number, instances = 1): Row | undefined {
  return rows.find((r) => r.scenario === scenario && r.inFlight === inFlight && r.instances === instances);
}

/**
 * formatRatios compares polyproc (one instance) with raw at each number in flight and with
 * grpc and jsonrpc at 100, and checks the targets: >= 80% of raw at 1 in flight, >= 100,000
 * calls/s and >= 35% of raw at 100, >= 20x grpc and >= 5x jsonrpc at 100.
 */
export function formatRatios(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const raw of rows.filter((r) => r.scenario === "raw")) {
    const polyproc = find(rows, "polyproc", raw.inFlight);
    if (polyproc) lines.push(`polyproc / raw at ${raw.inFlight} in flight: ${number((100 * polyproc.callsPerSec) / raw.callsPerSec, 1)}%`);
  }
  const p100 = find(rows, "polyproc", 100);
  for (const other of ["grpc", "jsonrpc"]) {
    const row = find(rows, other, 100);
    if (p100 && row) lines.push(`polyproc / ${other} at 100 in flight: ${number(p100.callsPerSec / row.callsPerSec, 1)}x`);
  }
  const ratio = (a: Row | undefined, b: Row | undefined): number | undefined => (a && b ? a.callsPerSec / b.callsPerSec : undefined);
  const targets: [string, number | undefined, number][] = [
    ["1 in flight >= 80% of raw", ratio(find(rows, "polyproc", 1), find(rows, "raw", 1)), 0.8],
    ["100 in flight >= 100,000 calls/s", p100?.callsPerSec, 100_000],
    ["100 in flight >= 35% of raw", ratio(p100, find(rows, "raw", 100)), 0.35],
    ["100 in flight >= 20x grpc-js", ratio(p100, find(rows, "grpc", 100)), 20],
    ["100 in flight >= 5x vscode-jsonrpc", ratio(p100, find(rows, "jsonrpc", 100)), 5],
  ];
  for (const [name, value, goal] of targets) {
    const verdict = value === undefined ? "not measured" : value >= goal ? "met" : "MISSED";
    lines.push(`target ${name}: ${verdict}`);
  }
  return lines;
}
