/**
 * Maps between a JSON string literal's decoded value and its place in the document.
 * Escapes (`\u0024{`, `\/`) make decoded indices and document offsets differ; rules
 * report on decoded text, so every range goes through this map.
 */
export interface DecodedString {
  value: string;
  /** Document offset of decoded character `i`; `offsets[value.length]` is the closing quote. */
  offsetOf(index: number): number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decodes the raw literal (with its quotes) that starts at document offset `start`.
 * Tolerates unterminated literals and bad escapes: every raw character maps somewhere.
 */
export function decodeJsonString(raw: string, start: number): DecodedString {
  const body = raw.length >= 2 && raw.endsWith('"') && raw.startsWith('"') ? raw.slice(1, -1) : raw.slice(1);
  if (!body.includes('\\')) {
    const base = start + 1;
    return { value: body, offsetOf: (i) => base + i };
  }
  let value = '';
  const map: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      const e = body[i + 1];
      const at = start + 1 + i;
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        map.push(at);
        i += 6;
        continue;
      }
      value += SIMPLE_ESCAPES[e] ?? e;
      map.push(at);
      i += 2;
      continue;
    }
    value += ch;
    map.push(start + 1 + i);
    i++;
  }
  map.push(start + 1 + body.length);
  return {
    value,
    offsetOf: (idx) => (idx < 0 ? start : idx < map.length ? map[idx] : map[map.length - 1]),
  };
}
