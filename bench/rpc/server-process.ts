import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { OpenOptions, RpcClient } from "./closed-loop.js";
import { tempSocket } from "./unix-socket.js";

/** repoRoot is the repository's root directory, where node_modules (tsx included) lives. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** tsNodeArgs are the node arguments that run a TypeScript file of this repository from source. */
export const tsNodeArgs = ["--conditions=@polyproc/source", "--import", "tsx"];

/** ServerProcess is a benchmark server running in its own process. */
export interface ServerProcess {
  /** stop ends the process and resolves when it has exited. */
  stop(): Promise<void>;
  /** The process id. */
  pid: number | undefined;
}

/**
 * startServer runs `node ...nodeArgs <script> ...args` (a TypeScript file of bench/rpc) in a
 * separate process and resolves once it prints "ready" on stdout; it rejects if the process
 * exits or stays silent for 30 s first. stderr passes through.
 */
export function startServer(script: string, args: string[], nodeArgs: string[] = []): Promise<ServerProcess> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, ...tsNodeArgs, path, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not print "ready" within 30 s`));
    }, 30_000);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready (code ${code}, signal ${signal})`));
    };
    child.once("exit", onExit);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.trim() !== "ready") return;
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve({ stop: () => stop(child), pid: child.pid });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * serveAndAttach starts `script` with a fresh Unix socket path and `args` after it, then
 * `attach`es a client to that path. The client's close also stops the server and removes
 * the socket; if attaching fails, both are cleaned up before the error is rethrown.
 */
export async function serveAndAttach(script: string, args: string[], options: OpenOptions, attach: (path: string) => Promise<RpcClient>): Promise<RpcClient> {
  const socket = tempSocket(script.replace(/^.*\/|\.ts$/g, ""));
  let server: ServerProcess | undefined;
  try {
    server = await startServer(script, [socket.path, ...args], options.nodeArgs);
    const client = await attach(socket.path);
    const closeClient = client.close.bind(client);
    const running = server;
    const clientProcesses = client.processes?.bind(client);
    client.processes = () => [...(running.pid === undefined ? [] : [running.pid]), ...(clientProcesses?.() ?? [])];
    client.close = async () => {
      await closeClient();
      await running.stop();
      socket.remove();
    };
    return client;
  } catch (error) {
    await server?.stop();
    socket.remove();
    throw error;
  }
}
