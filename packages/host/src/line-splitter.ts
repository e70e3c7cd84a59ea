/** The longest line passed on whole; longer ones are split (PROTOCOL.md §2.5.2 allows it). */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * LineSplitter turns a byte stream into lines (§2.5.2): split at `\n`, a trailing `\r`
 * removed, decoded as UTF-8 with invalid bytes replaced by U+FFFD, lines longer than
 * MAX_LINE_CHARS split. Feed it chunks with push(); call end() when the stream ends.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });
  private partial = "";

  constructor(private readonly onLine: (line: string) => void) {}

  /** push takes the next chunk and reports every line it completes. */
  push(chunk: Uint8Array): void {
    this.take(this.decoder.decode(chunk, { stream: true }));
  }

  /** end reports the last line, if the stream did not end with a newline. */
  end(): void {
    this.take(this.decoder.decode());
    if (this.partial !== "") this.emit(this.partial);
    this.partial = "";
  }

  private take(text: string): void {
    const buffer = this.partial + text;
    let start = 0;
    for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n", start)) {
      this.emit(buffer.slice(start, newline));
      start = newline + 1;
    }
    let rest = buffer.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      this.onLine(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.partial = rest;
  }

  private emit(line: string): void {
    let text = line.endsWith("\r") ? line.slice(0, -1) : line;
    while (text.length > MAX_LINE_CHARS) {
      this.onLine(text.slice(0, MAX_LINE_CHARS));
      text = text.slice(MAX_LINE_CHARS);
    }
    this.onLine(text);
  }
}
