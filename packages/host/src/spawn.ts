import { type ChildProcess, spawn } from "node:child_process";
import { type KillSignal, killPlan } from "./kill-plan.js";

/** SpawnPluginOptions describes one plugin process to start. */
export interface SpawnPluginOptions {
  /** The program and its arguments; run directly, never through a shell. */
  command: readonly string[];
  /** The working directory. Default: the host's. */
  cwd?: string;
  /** Variables added to the host's environment; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** POLYPROC_ADDRESS: where to connect (§2.4). */
  address: string;
  /** POLYPROC_TOKEN: the instance's token (§2.4). Never put on the command line. */
  token: string;
  /** POLYPROC_PROTOCOL: the host's protocol versions, `N` or `N-M` (§2.4). */
  protocol: string;
}

const isWindows = process.platform === "win32";

/**
 * spawnPlugin starts a plugin process (PROTOCOL.md §2.4) with the host's environment, the
 * extra variables and POLYPROC_ADDRESS, POLYPROC_TOKEN and POLYPROC_PROTOCOL (inherited
 * POLYPROC_* variables are dropped). stdin is closed, stdout and stderr are pipes the host
 * must read. On Linux and macOS the process leads its own process group, so that signals
 * reach the wrappers' children too (§13.3.3).
 */
export function spawnPlugin(options: SpawnPluginOptions): ChildProcess {
  const [program, ...args] = options.command;
  if (program === undefined || program === "") {
    throw new Error("a plugin's command must name a program: give an argv array such as [\"node\", \"plugin.js\"]");
  }
  return spawn(program, args, {
    cwd: options.cwd,
    env: pluginEnvironment(options),
    stdio: ["ignore", "pipe", "pipe"],
    detached: !isWindows,
    shell: false,
    windowsHide: true,
  });
}

function pluginEnvironment(options: SpawnPluginOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("POLYPROC_")) env[key] = value;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env["POLYPROC_ADDRESS"] = options.address;
  env["POLYPROC_TOKEN"] = options.token;
  env["POLYPROC_PROTOCOL"] = options.protocol;
  return env;
}

/** hasExited tells whether a child process has exited (or never started). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
}

/**
 * signalProcess sends a signal to a plugin process as killPlan says: on Linux and macOS to its
 * whole process group (§13.3.3); on Windows it terminates the process tree (taskkill /T /F)
 * whatever the signal, and the process alone if taskkill cannot run. A process that is
 * already gone is ignored.
 */
export function signalProcess(child: ChildProcess, signal: KillSignal): void {
  const plan = killPlan(process.platform, child.pid, signal);
  if (plan.kind === "process") {
    child.kill(plan.signal);
  } else if (plan.kind === "tree") {
    const taskkill = spawn(plan.command, plan.args, { stdio: "ignore", windowsHide: true });
    taskkill.once("error", () => child.kill("SIGKILL"));
  } else {
    try {
      process.kill(-plan.pid, plan.signal);
    } catch {
      child.kill(plan.signal);
    }
  }
}

/** whenExited resolves when a child process has exited (at once if it already has). */
export function whenExited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => {
      if (hasExited(child)) resolve();
    });
  });
}

/**
 * terminate ends a plugin process (§13.3.1): SIGTERM, then SIGKILL if it has not exited
 * after `killTimeoutMs`; on Windows it is terminated at once. Resolves when it has exited.
 */
export async function terminate(child: ChildProcess, killTimeoutMs: number): Promise<void> {
  if (hasExited(child)) return;
  const exited = whenExited(child);
  signalProcess(child, isWindows ? "SIGKILL" : "SIGTERM");
  const timer = setTimeout(() => signalProcess(child, "SIGKILL"), killTimeoutMs);
  await exited;
  clearTimeout(timer);
}
