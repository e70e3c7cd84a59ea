import { randomBytes, timingSafeEqual } from "node:crypto";

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/**
 * newToken returns a fresh instance token: 256 bits from the system's cryptographically
 * secure generator as 64 lowercase hex digits (PROTOCOL.md §2.4). Every instance start gets
 * a new one; it is passed in POLYPROC_TOKEN, never on the command line, and never logged.
 */
export function newToken(): string {
  return randomBytes(32).toString("hex");
}

/** isWellFormedToken tells whether a string is 64 lowercase hex digits (§2.4). */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * TokenTable holds the tokens whose handshake the host awaits, each with the value it stands
 * for (the instance). A token is good for one handshake: take() removes it (§4.2.1).
 */
export class TokenTable<T> {
  private readonly awaited: { token: Buffer; value: T }[] = [];

  /** add awaits a well-formed token; a malformed one is a bug in the caller and throws. */
  add(token: string, value: T): void {
    if (!isWellFormedToken(token)) throw new Error("TokenTable.add: a token must be 64 lowercase hex digits; make it with newToken()");
    this.awaited.push({ token: Buffer.from(token, "latin1"), value });
  }

  /** remove voids a token (its instance was welcomed or given up). Unknown tokens are ignored. */
  remove(token: string): void {
    const index = this.awaited.findIndex((entry) => entry.token.toString("latin1") === token);
    if (index >= 0) this.awaited.splice(index, 1);
  }

  /**
   * take returns the value of the awaited token that `presented` equals, and voids that token;
   * undefined for a wrong, void or malformed token. Every awaited token is compared in
   * constant time, so the time taken tells nothing about how much of a token matched (§4.2.2).
   */
  take(presented: string): T | undefined {
    if (!isWellFormedToken(presented)) return undefined;
    const candidate = Buffer.from(presented, "latin1");
    let found = -1;
    for (let i = 0; i < this.awaited.length; i++) {
      const entry = this.awaited[i];
      if (entry !== undefined && timingSafeEqual(entry.token, candidate)) found = i;
    }
    if (found < 0) return undefined;
    const [entry] = this.awaited.splice(found, 1);
    return entry?.value;
  }

  /** size is the number of awaited tokens. */
  get size(): number {
    return this.awaited.length;
  }
}
