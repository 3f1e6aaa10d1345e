/**
 * Unified diffs for `--fix-dry-run`, in the form `git apply` and `patch -p1` read: `--- a/file`,
 * `+++ b/file`, hunks with three lines of context, `\ No newline at end of file` where it applies.
 * Lines keep their own endings (a `\r` stays in the line), so a CRLF file diffs as itself.
 *
 * The common head and tail are cut first, then Myers' O(ND) algorithm runs on the middle; a
 * middle that differs too much to be worth it (more than MAX_EDITS line edits) becomes one hunk.
 */

const CONTEXT = 3;
const MAX_EDITS = 4000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The lines of a text, each with its line break (the last may have none). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Myers' shortest edit script between a and b; undefined when it needs more than `max` edits. */
function myers(a: readonly string[], b: readonly string[], max: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const offset = n + m;
  const v = new Int32Array(2 * offset + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(n + m, max); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, offset, d);
    }
  }
  return undefined;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], offset: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

/** The edit script of two texts' lines. */
function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const mid = myers(midA, midB, MAX_EDITS) ?? [...midA.map((line) => ({ kind: '-' as const, line })), ...midB.map((line) => ({ kind: '+' as const, line }))];
  return [
    ...a.slice(0, head).map((line) => ({ kind: ' ' as const, line })),
    ...mid,
    ...a.slice(a.length - tail).map((line) => ({ kind: ' ' as const, line })),
  ];
}

function printLine(op: Op): string {
  const ends = op.line.endsWith('\n');
  return `${op.kind}${ends ? op.line : `${op.line}\n\\ No newline at end of file\n`}`;
}

function range(start: number, count: number): string {
  // An empty range names the line before it, as diff does.
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/** The unified diff that turns `before` into `after` for `file` (a `/`-separated path); '' when they are equal. */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  const changed: number[] = [];
  ops.forEach((o, i) => {
    if (o.kind !== ' ') changed.push(i);
  });
  let out = `--- a/${file}\n+++ b/${file}\n`;
  let i = 0;
  while (i < changed.length) {
    // A hunk runs while the next change is within two contexts of the last.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * CONTEXT) j++;
    const from = Math.max(0, changed[i] - CONTEXT);
    const to = Math.min(ops.length, changed[j] + CONTEXT + 1);
    let aStart = 0;
    let bStart = 0;
    for (let k = 0; k < from; k++) {
      if (ops[k].kind !== '+') aStart++;
      if (ops[k].kind !== '-') bStart++;
    }
    let aCount = 0;
    let bCount = 0;
    let body = '';
    for (let k = from; k < to; k++) {
      if (ops[k].kind !== '+') aCount++;
      if (ops[k].kind !== '-') bCount++;
      body += printLine(ops[k]);
    }
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n${body}`;
    i = j + 1;
  }
  return out;
}
