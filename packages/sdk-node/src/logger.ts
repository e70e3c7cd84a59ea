// The structured logger of plugins and handlers: one JSON object per line on stderr
// (PROTOCOL.md §2.5.4), which the host re-logs keeping the level and the fields.

/** LogLevel is a logger's level, from the most to the least verbose. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** LogFields are the structured fields of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Logger writes structured log lines: `{"level","msg","time",...fields}`. `child` returns a
 * logger that adds fields to every line.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** LogSink receives one finished line (without its newline). */
export type LogSink = (line: string) => void;

/** writeToStderr is the default sink: one line on the process's stderr. */
export const writeToStderr: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * JsonLogger is the SDK's Logger: it writes `{"level","msg","time",...base,...fields}` as
 * JSON lines, dropping lines below `minLevel` before building anything. `time` is an ISO 8601
 * timestamp; bigints are written as strings, errors as `{ name, message, stack }`, bytes as
 * their length.
 */
export class JsonLogger implements Logger {
  readonly #base: LogFields;
  readonly #min: number;
  readonly #sink: LogSink;

  constructor(base: LogFields = {}, minLevel: LogLevel = "info", sink: LogSink = writeToStderr) {
    this.#base = base;
    this.#min = rank[minLevel];
    this.#sink = sink;
  }

  debug(msg: string, fields?: LogFields): void {
    if (this.#min <= rank.debug) this.#write("debug", msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    if (this.#min <= rank.info) this.#write("info", msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    if (this.#min <= rank.warn) this.#write("warn", msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger({ ...this.#base, ...fields }, levelOf(this.#min), this.#sink);
  }

  #write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    const entry = { level, msg, time: new Date().toISOString(), ...this.#base, ...fields };
    this.#sink(serialize(entry, level, msg));
  }
}

function levelOf(min: number): LogLevel {
  return (Object.keys(rank) as LogLevel[]).find((level) => rank[level] === min) ?? "info";
}

function serialize(entry: Record<string, unknown>, level: LogLevel, msg: string): string {
  try {
    return JSON.stringify(entry, replacer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return JSON.stringify({ level, msg, time: entry.time, logError: `the fields could not be written as JSON: ${reason}` });
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}
