/** The stderr lines kept for error messages (PROTOCOL.md §1.4). */
export const STDERR_TAIL_LINES = 50;
/** The most stderr bytes (UTF-8) kept for error messages (§1.4). */
export const STDERR_TAIL_BYTES = 8 * 1024;

/**
 * StderrTail keeps the last lines a plugin wrote to stderr, at most STDERR_TAIL_LINES lines
 * and STDERR_TAIL_BYTES bytes, so that the errors of a failed start or a crash can show them
 * (§2.5.5, §4.5, §14.1).
 */
export class StderrTail {
  private readonly lines: { text: string; bytes: number }[] = [];
  private bytes = 0;

  /** add keeps one line, dropping the oldest beyond the limits. A longer line keeps its end. */
  add(line: string): void {
    const text = lastBytes(line, STDERR_TAIL_BYTES);
    const bytes = Buffer.byteLength(text) + 1;
    this.lines.push({ text, bytes });
    this.bytes += bytes;
    while (this.lines.length > STDERR_TAIL_LINES || this.bytes > STDERR_TAIL_BYTES + 1) {
      this.bytes -= this.lines.shift()?.bytes ?? 0;
    }
  }

  /** text is the kept lines joined with newlines; empty when stderr said nothing. */
  text(): string {
    return this.lines.map((line) => line.text).join("\n");
  }
}

/** lastBytes returns the end of a string that fits `limit` UTF-8 bytes, cut between characters. */
function lastBytes(text: string, limit: number): string {
  let kept = text.length > limit ? text.slice(-limit) : text;
  for (let over = Buffer.byteLength(kept) - limit; over > 0; over = Buffer.byteLength(kept) - limit) {
    kept = kept.slice(Math.ceil(over / 3));
  }
  const first = kept.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? kept.slice(1) : kept;
}
