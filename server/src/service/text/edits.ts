/**
 * Text edits as offsets: applying, merging and comparing them, and the minimal edits between two
 * texts (for fixes that are easier to compute as a new text).
 */

/** A replacement of `length` characters at `offset` of a text. */
export interface OffsetEdit {
  offset: number;
  length: number;
  text: string;
}

/** Do two edits conflict? Identical edits do not. */
export function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.offset === b.offset && a.length === b.length && a.text === b.text) return false;
  const aEnd = a.offset + a.length;
  const bEnd = b.offset + b.length;
  if (a.offset === b.offset) return true; // two insertions (or an insertion and a replacement) at one place
  return a.offset < bEnd && b.offset < aEnd;
}

export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  // Identical edits (the same fix reached from several findings) apply once.
  const sorted = dedupeEdits(edits).sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.offset + e.length > lastStart) continue;
    out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
    lastStart = e.offset;
  }
  return out;
}

/** Removes duplicate edits (the same fix reached from several findings). */
export function dedupeEdits(edits: readonly OffsetEdit[]): OffsetEdit[] {
  const seen = new Set<string>();
  const out: OffsetEdit[] = [];
  for (const e of edits) {
    const k = `${e.offset}:${e.length}:${e.text}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * Edits that turn `a` into `b`: a line diff (longest common subsequence), each changed block
 * narrowed to the characters that differ.
 */
export function diffEdits(a: string, b: string): OffsetEdit[] {
  if (a === b) return [];
  const al = splitLines(a);
  const bl = splitLines(b);
  if (al.length * bl.length > 4_000_000) return [narrow(a, 0, a.length, b)];
  // LCS table from the end.
  const n = al.length;
  const m = bl.length;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = al[i] === bl[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const edits: OffsetEdit[] = [];
  let i = 0;
  let j = 0;
  let aOff = 0;
  let bOff = 0;
  while (i < n || j < m) {
    if (i < n && j < m && al[i] === bl[j]) {
      aOff += al[i].length;
      bOff += bl[j].length;
      i++;
      j++;
      continue;
    }
    const aStart = aOff;
    const bStart = bOff;
    while ((i < n || j < m) && !(i < n && j < m && al[i] === bl[j])) {
      if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) bOff += bl[j++].length;
      else aOff += al[i++].length;
    }
    edits.push(narrow(a.slice(aStart, aOff), aStart, aOff - aStart, b.slice(bStart, bOff)));
  }
  return edits.filter((e) => e.length > 0 || e.text.length > 0);
}

/** Lines with their line ends. */
function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** One edit replacing `oldText` (at `offset`) with `newText`, without their common prefix and suffix. */
function narrow(oldText: string, offset: number, length: number, newText: string): OffsetEdit {
  let p = 0;
  while (p < oldText.length && p < newText.length && oldText[p] === newText[p]) p++;
  let s = 0;
  while (s < oldText.length - p && s < newText.length - p && oldText[oldText.length - 1 - s] === newText[newText.length - 1 - s]) s++;
  return { offset: offset + p, length: length - p - s, text: newText.slice(p, newText.length - s) };
}
