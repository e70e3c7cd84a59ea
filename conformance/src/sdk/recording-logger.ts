// The host's logger during an sdk case: every record (the host's own and the plugin's
// stdout/stderr lines it re-logs, PROTOCOL.md §2.5) is kept for `logs` expectations and
// written to the case's trace.

import type { LogFields, Logger, LogLevel } from "@polyproc/host";
import { show } from "../match.js";

/** LogRecord is one record the host logged: its level, message and fields (plugin, instance, stream, ...). */
export interface LogRecord extends Record<string, unknown> {
  level: LogLevel;
  msg: string;
}

/** recordingLogger returns a Logger that appends each record to `records`, traces it and calls `onRecord`. */
export function recordingLogger(records: LogRecord[], trace: (line: string) => void, onRecord: () => void): Logger {
  const make = (bound: LogFields): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
      const record: LogRecord = { ...bound, ...fields, level, msg };
      records.push(record);
      const { level: _level, msg: _msg, ...rest } = record;
      trace(`log ${level} ${JSON.stringify(msg)} ${show(rest)}`);
      onRecord();
    };
    return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error"), child: (fields) => make({ ...bound, ...fields }) };
  };
  return make({});
}
