/** Snippets as an editor inserts them, for the completion tests of every host. */
import assert from 'node:assert/strict';

/** Expands snippet syntax as an editor would on insertion (no further editing). */
export function expandSnippet(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && '\\$}'.includes(s[i + 1])) {
      out += s[++i];
    } else if (c === '$' && /\d/.test(s[i + 1] ?? '')) {
      while (/\d/.test(s[i + 1] ?? '')) i++;
    } else if (c === '$' && s[i + 1] === '{') {
      const m = /^\$\{\d+(?::((?:\\.|[^}\\])*)|\|((?:\\.|[^|\\])*)\|)?\}/.exec(s.slice(i));
      assert.ok(m, `bad snippet at ${i}: ${s}`);
      if (m[1] !== undefined) out += expandSnippet(m[1]);
      else if (m[2] !== undefined) out += m[2].split(',')[0].replace(/\\(.)/g, '$1');
      i += m[0].length - 1;
    } else out += c;
  }
  return out;
}
