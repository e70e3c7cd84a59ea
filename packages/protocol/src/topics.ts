// Publish/subscribe topics and patterns (PROTOCOL.md §12.1, §12.2).

const topicSyntax = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const segmentSyntax = /^[A-Za-z0-9_-]+$/;
// Valid topics and patterns are ASCII, so their length in UTF-16 units is their length in bytes.
const MAX_TOPIC_BYTES = 255;

/** isValidTopic tells whether a string is a topic that may be published on (§12.1). */
export function isValidTopic(topic: string): boolean {
  return topic.length <= MAX_TOPIC_BYTES && topicSyntax.test(topic);
}

/**
 * isValidPattern tells whether a string is a subscription pattern (§12.2): a topic whose
 * whole segments may be `*`, and whose last segment may be `>`.
 */
export function isValidPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > MAX_TOPIC_BYTES) return false;
  const segments = pattern.split(".");
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === "*" || (segment === ">" && i === segments.length - 1)) continue;
    if (!segmentSyntax.test(segment)) return false;
  }
  return true;
}

/**
 * topicMatches tells whether a topic matches a pattern (§12.2): segment by segment, each
 * pattern segment equals the topic's or is `*`; a last `>` matches one or more segments.
 * Both arguments are assumed valid.
 */
export function topicMatches(pattern: string, topic: string): boolean {
  const want = pattern.split(".");
  const have = topic.split(".");
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === ">") return have.length > i;
    if (i >= have.length || (segment !== "*" && segment !== have[i])) return false;
  }
  return want.length === have.length;
}
