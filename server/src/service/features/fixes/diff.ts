/** Minimal edits between two texts, for fixes that are easier to compute as a new text. */
import type { OffsetEdit } from './context';

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
