/**
 * compareMapKeys orders map keys by Unicode code point, the order encoders write map
 * entries in (PROTOCOL.md §9.6). It equals UTF-8 byte order, and differs from JavaScript's
 * default UTF-16 order where a surrogate pair (U+10000 and up) meets U+E000..U+FFFF.
 */
export function compareMapKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Moves surrogates (0xD800..0xDFFF) above 0xE000..0xFFFF so that code units compare as the
// code points they belong to.
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
