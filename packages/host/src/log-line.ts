import type { LogFields, LogLevel } from "./logger.js";

/** LogRecord is one line of a plugin's output as the host logs it. */
export interface LogRecord {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** The members of a JSON line that the host's own tags replace: its plugin and instance fields win. */
const TAG_KEYS = new Set(["plugin", "instance"]);

const NAMED_LEVELS: Record<string, LogLevel> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  fatal: "error",
  critical: "error",
};

/**
 * parseLogLine reads one line of a plugin's stdout or stderr (PROTOCOL.md §2.5.3). A JSON
 * object with a known `level` (a name, case-insensitive, or a pino number) keeps that level,
 * its `msg` (or `message`) is the message and its other members are fields (trace logs as
 * debug, fatal as error). Any other line is text at `info` (stdout) or `warn` (stderr).
 */
export function parseLogLine(line: string, stream: "stdout" | "stderr"): LogRecord {
  const text: LogRecord = { level: stream === "stdout" ? "info" : "warn", msg: line, fields: {} };
  if (!line.trimStart().startsWith("{")) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return text;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return text;
  const { level: rawLevel, msg, message, ...rest } = parsed as Record<string, unknown>;
  const level = levelOf(rawLevel);
  if (level === undefined) return text;
  const fields: LogFields = {};
  for (const [key, value] of Object.entries(rest)) if (!TAG_KEYS.has(key)) fields[key] = value;
  const body = msg ?? message ?? "";
  return { level, msg: typeof body === "string" ? body : JSON.stringify(body), fields };
}

function levelOf(level: unknown): LogLevel | undefined {
  if (typeof level === "string") return NAMED_LEVELS[level.toLowerCase()];
  if (typeof level !== "number") return undefined;
  if (level >= 50) return "error";
  if (level >= 40) return "warn";
  if (level >= 30) return "info";
  return "debug";
}
