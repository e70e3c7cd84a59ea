import { readFileSync } from "node:fs";

/** CLOCK_TICKS is the unit of the times in /proc/<pid>/stat (sysconf(_SC_CLK_TCK), 100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * cpuSeconds is the CPU time (user and system) this process and the processes `pids` have
 * used so far, in seconds, or undefined where it cannot be read for each of them (only Linux
 * has /proc). The difference of two readings around a measurement is what the measurement
 * cost the whole machine, whatever else ran on it: a steadier comparison than rates on a
 * shared machine. The other processes' times are in 10 ms ticks.
 */
export function cpuSeconds(pids: readonly number[]): number | undefined {
  const own = process.cpuUsage();
  let total = (own.user + own.system) / 1e6;
  for (const pid of pids) {
    const ticks = procTicks(pid);
    if (ticks === undefined) return undefined;
    total += ticks / CLOCK_TICKS;
  }
  return total;
}

// Fields 14 and 15 of /proc/<pid>/stat are utime and stime; the command name (field 2) may
// hold spaces, so count from the closing parenthesis.
function procTicks(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? user + system : undefined;
}
