import type { Readable } from "node:stream";
import { LineSplitter } from "./line-splitter.js";
import { parseLogLine } from "./log-line.js";
import type { Logger } from "./logger.js";
import { StderrTail } from "./stderr-tail.js";

/** ProcessOutput is what the host keeps of a plugin process's stdout and stderr. */
export interface ProcessOutput {
  /** The last stderr lines, for error messages (§2.5.5). */
  readonly stderrTail: StderrTail;
  /** Resolves when both streams have ended (the process and its children closed them). */
  readonly ended: Promise<void>;
}

/**
 * readProcessOutput reads a plugin's stdout and stderr continuously, so that the plugin never
 * blocks on a full pipe, and logs them line by line into `logger` (PROTOCOL.md §2.5): pass
 * a child logger that carries the plugin and instance fields. JSON lines keep their level,
 * message and fields; other lines are logged at info (stdout) or warn (stderr).
 */
export function readProcessOutput(stdout: Readable | null, stderr: Readable | null, logger: Logger): ProcessOutput {
  const stderrTail = new StderrTail();
  const log = (stream: "stdout" | "stderr") => (line: string) => {
    if (stream === "stderr") stderrTail.add(line);
    const record = parseLogLine(line, stream);
    logger[record.level](record.msg, { ...record.fields, stream });
  };
  const ended = Promise.all([readLines(stdout, log("stdout")), readLines(stderr, log("stderr"))]).then(() => {});
  return { stderrTail, ended };
}

function readLines(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (stream === null) return Promise.resolve();
  const splitter = new LineSplitter(onLine);
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      splitter.end();
      resolve();
    };
    stream.on("data", (chunk: Buffer) => splitter.push(chunk));
    stream.once("end", finish);
    stream.once("close", finish);
    stream.once("error", finish);
  });
}
