import { describe, expect, it } from "vitest";
import { escapeXml, junitXml } from "./report-junit.js";
import { caseResult } from "./test-fixtures.js";

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+);/g;
const decode = (s: string) => s.replace(ENTITY, (_m, e: string) => (e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e]!));

/** parseXml is a strict reader of the XML subset JUnit files use; it throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  const token = /<\?xml [^>]*\?>|<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (m === null) throw new Error(`not well-formed at ${at}: ${xml.slice(at, at + 40)}`);
    const [, close, name, attrs, selfClose, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) throw new Error(`a bare & in text at ${at}`);
      top.text += decode(text);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else if (name !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of (attrs ?? "").matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (key! in attributes) throw new Error(`attribute ${key} twice`);
        if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(value!)) throw new Error(`a bare & in attribute ${key}`);
        attributes[key!] = decode(value!);
      }
      const element: XmlElement = { name, attributes, children: [], text: "" };
      top.children.push(element);
      if (!selfClose) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  return root.children.find((e) => e.name === "testsuites")!;
}

describe("junitXml", () => {
  const results = [
    caseResult("host-hello/bad", "host", "pass"),
    caseResult("calls/add", "node", "pass", { durationMs: 1500 }),
    caseResult("calls/fail", "node", "fail", { message: 'expected <"a" & \'b\'>\nline two', trace: ["→ call", "← result \u001b[31m"] }),
    caseResult("calls/crash", "node", "error"),
    caseResult("calls/slow", "node", "timeout"),
    caseResult("calls/xp", "node", "xpass"),
    caseResult("streams/big", "node", "n/a", { message: "node lacks the feature(s) streaming" }),
    caseResult("calls/known", "node", "xfail", { actual: "timeout", knownFailure: { pattern: "calls/known", reason: "hangs", where: "node.txt:2" } }),
  ];
  const stale = [{ subject: "node", pattern: "old/*", where: "node.txt:3" }];
  const xml = junitXml(results, stale, ["host", "node"]);
  const document = parseXml(xml);

  it("is well-formed, with a testsuite per subject in order", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(document.children.map((s) => s.attributes.name)).toEqual(["conformance.host", "conformance.node"]);
    expect(document.attributes).toMatchObject({ tests: "9", failures: "5", skipped: "2", errors: "0" });
  });

  it("counts tests, failures and skipped per suite, as junit-summary reads them", () => {
    const node = document.children[1]!;
    expect(node.attributes).toMatchObject({ tests: "8", failures: "5", errors: "0", skipped: "2" });
    expect(document.children[0]!.attributes).toMatchObject({ tests: "1", failures: "0", skipped: "0" });
    expect(node.children.map((c) => [c.attributes.classname, c.attributes.name, c.children[0]?.name ?? "pass"])).toEqual([
      ["conformance.node", "calls/add", "pass"],
      ["conformance.node", "calls/fail", "failure"],
      ["conformance.node", "calls/crash", "failure"],
      ["conformance.node", "calls/slow", "failure"],
      ["conformance.node", "calls/xp", "failure"],
      ["conformance.node", "streams/big", "skipped"],
      ["conformance.node", "calls/known", "skipped"],
      ["conformance.node", "known-failing old/*", "failure"],
    ]);
    expect(node.children[0]!.attributes.time).toBe("1.500");
  });

  it("keeps messages and traces intact through escaping, dropping characters XML forbids", () => {
    const failure = document.children[1]!.children[1]!;
    expect(failure.children[0]!.attributes).toEqual({ message: 'fail: expected <"a" & \'b\'>', type: "fail" });
    expect(failure.children[0]!.text).toBe('expected <"a" & \'b\'>\nline two');
    expect(failure.children[1]).toMatchObject({ name: "system-out", text: "→ call\n← result [31m" });
    expect(document.children[1]!.children[5]!.children[0]!.attributes.message).toBe("n/a: node lacks the feature(s) streaming");
    expect(document.children[1]!.children[6]!.children[0]!.attributes.message).toBe("xfail (timeout), known-failing: hangs (node.txt:2)");
  });

  it("writes an empty run as an empty but valid report", () => {
    expect(parseXml(junitXml([], [], [])).attributes).toMatchObject({ tests: "0", failures: "0" });
  });
});

describe("escapeXml", () => {
  it("escapes markup, keeps line breaks as references in attributes and drops forbidden characters", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    expect(escapeXml("a\nb\tc\u0000\u001b\ud800d😀")).toBe("a&#10;b&#9;cd😀");
    expect(escapeXml("a\nb", false)).toBe("a\nb");
  });
});
