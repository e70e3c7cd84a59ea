// Topics and patterns (PROTOCOL.md §12.1, §12.2), with the table of §12.2.
import { describe, expect, it } from "vitest";
import { isValidPattern, isValidTopic, topicMatches } from "./topics.js";

describe("topics and patterns", () => {
  it.each([
    ["prices.eur", "prices.eur", true],
    ["prices.eur", "prices.EUR", false],
    ["prices.*", "prices.eur", true],
    ["prices.*", "prices", false],
    ["prices.*", "prices.eur.bid", false],
    ["*.eur", "prices.eur", true],
    ["*", "prices", true],
    ["*", "prices.eur", false],
    ["logs.>", "logs.app", true],
    ["logs.>", "logs.app.error", true],
    ["logs.>", "logs", false],
    [">", "a.b.c", true],
    ["a.*.c.>", "a.b.c.d.e", true],
    ["a.*.c.>", "a.b.c", false],
  ])("pattern %s, topic %s: %s (§12.2 table)", (pattern, topic, match) => {
    expect(isValidPattern(pattern)).toBe(true);
    expect(isValidTopic(topic)).toBe(true);
    expect(topicMatches(pattern, topic)).toBe(match);
  });

  it.each(["logs.>.error", "logs.err*", "logs..error", "", ".a", "a.", "a b", "x".repeat(256)])("%s is not a valid pattern", (pattern) => {
    expect(isValidPattern(pattern)).toBe(false);
  });

  it.each(["a.*", "a.>", "", "a..b", "é", "x".repeat(256)])("%s is not a valid topic", (topic) => {
    expect(isValidTopic(topic)).toBe(false);
  });

  it("255 bytes is the longest topic and pattern", () => {
    expect(isValidTopic("x".repeat(255))).toBe(true);
    expect(isValidPattern("x".repeat(255))).toBe(true);
  });
});
