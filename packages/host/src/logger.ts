/** LogFields are the structured key/value pairs of a log record. */
export type LogFields = Record<string, unknown>;

/** LogLevel is the severity of a log record, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The levels in order, so that a threshold can be compared. */
export const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/**
 * Logger is what the host writes its log records to: a message and key/value fields, never
 * string soup. Pass your own (pino, winston and bunyan loggers fit with a thin adapter);
 * the default, quietLogger, drops everything.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** child returns a logger that adds `fields` to every record (e.g. plugin and instance). */
  child(fields: LogFields): Logger;
}

const noop = (): void => {};

/** quietLogger is the default Logger: it drops every record. */
export const quietLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => quietLogger,
};

/** ConsoleLoggerOptions configures createConsoleLogger. */
export interface ConsoleLoggerOptions {
  /** The lowest level written. Default "info". */
  level?: LogLevel;
  /** Where the JSON lines go. Default process.stderr. */
  write?: (line: string) => void;
  /** A clock for the `time` field (ms since the epoch). Default Date.now. */
  now?: () => number;
}

/**
 * createConsoleLogger returns a Logger that writes one JSON object per line, with `level`,
 * `time`, `msg` and the record's fields: `{"level":"warn","time":...,"msg":"...","plugin":"math"}`.
 * Use it when you have no logger of your own and want to see what the host does.
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = logLevels.indexOf(options.level ?? "info");
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const make = (bound: LogFields): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
      if (logLevels.indexOf(level) < threshold) return;
      write(`${safeStringify({ level, time: now(), msg, ...bound, ...fields })}\n`);
    };
    return {
      debug: log("debug"),
      info: log("info"),
      warn: log("warn"),
      error: log("error"),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

function safeStringify(record: LogFields): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === "bigint") return value.toString();
      if (value instanceof Error) return { name: value.name, message: value.message };
      return value;
    });
  } catch (error) {
    return JSON.stringify({ level: record["level"], msg: record["msg"], logError: `fields not serializable: ${String(error)}` });
  }
}
