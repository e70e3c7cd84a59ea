// The SDK's conformance plugin as a child process of the fake host: started with the
// variables of PROTOCOL.md §2.4, its stdout and stderr captured, its exit recorded, and
// killed (with its process group) when the case ends.

import { type ChildProcess, spawn } from "node:child_process";
import type { SdkEntry } from "../case-types.js";
import type { Watch } from "./watch.js";

/** ProcessExit is how the plugin process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** PluginProcess is a started conformance plugin and what it has done so far. */
export class PluginProcess {
  /** Everything the plugin wrote on stdout / stderr so far. */
  stdout = "";
  stderr = "";
  /** Set when the stream has ended (no more output will come). */
  stdoutEnded = false;
  stderrEnded = false;
  /** Set when the process has exited. */
  exit: ProcessExit | undefined;
  /** Set when the process could not be started. */
  startError: Error | undefined;
  readonly #child: ChildProcess;
  readonly #groupKill: boolean;

  /**
   * PluginProcess starts `sdk.command` in `sdk.cwd` with `env` as its whole environment.
   * Each line of output goes to `trace`; every change notifies `watch`.
   */
  constructor(sdk: SdkEntry, env: Record<string, string>, watch: Watch, trace: (line: string) => void) {
    const [program, ...args] = sdk.command;
    this.#groupKill = process.platform !== "win32";
    this.#child = spawn(program!, args, { cwd: sdk.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: this.#groupKill, windowsHide: true });
    this.#child.on("error", (error) => {
      this.startError ??= error;
      trace(`plugin process error: ${error.message}`);
      watch.notify();
    });
    this.#child.on("exit", (code, signal) => {
      this.exit = { code, signal };
      trace(`plugin exited: ${signal === null ? `code ${code}` : `signal ${signal}`}`);
      watch.notify();
    });
    for (const [name, stream] of [["stdout", this.#child.stdout], ["stderr", this.#child.stderr]] as const) {
      let partial = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (text: string) => {
        this[name] += text;
        const lines = (partial + text).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) trace(`${name}: ${line.replace(/\r$/, "")}`);
        watch.notify();
      });
      stream?.on("close", () => {
        if (partial !== "") trace(`${name}: ${partial}`);
        if (name === "stdout") this.stdoutEnded = true;
        else this.stderrEnded = true;
        watch.notify();
      });
    }
  }

  /** pid is the process id of the started process (0 if it could not be started). */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** gone says whether the process has exited or could not be started. */
  get gone(): boolean {
    return this.exit !== undefined || this.startError !== undefined;
  }

  /** describeExit renders the exit for messages: `exited with code 1`, `was killed by SIGKILL`, `is still running`. */
  describeExit(): string {
    if (this.startError) return `could not be started: ${this.startError.message}`;
    if (this.exit === undefined) return "is still running";
    return this.exit.signal === null ? `exited with code ${this.exit.code}` : `was killed by ${this.exit.signal}`;
  }

  /** stderrTail is the last lines of stderr, for failure messages. */
  stderrTail(lines = 8): string {
    const tail = this.stderr.trimEnd().split("\n").slice(-lines).join("\n");
    return tail === "" ? "(stderr is empty)" : `stderr:\n${tail}`;
  }

  /** kill ends the process and its process group at once (SIGKILL; Windows: TerminateProcess), also what it left running after it exited. */
  kill(): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    if (this.#groupKill) {
      try {
        process.kill(-pid, "SIGKILL"); // also children the plugin left behind after it exited
      } catch {
        // the group is gone already
      }
    }
    if (this.exit === undefined) this.#child.kill("SIGKILL");
  }

  /** exited resolves when the process has exited (at once if it has), or after `ms` at most. */
  exited(ms: number): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
