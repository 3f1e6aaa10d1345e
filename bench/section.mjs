// What every bench module reports: a section { title, text?, rows (header first), goals? }, which
// bench/run.mjs puts in results.md. A module run on its own prints its sections with printSection.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the module at `metaUrl` is the script node was started with. */
export function isMain(metaUrl) {
  return !!process.argv[1] && fileURLToPath(metaUrl) === path.resolve(process.argv[1]);
}

/** Prints a section as a Markdown table, and its goals. */
export function printSection({ title, text, rows, goals = [] }) {
  console.log(`\n${title}\n`);
  if (text) console.log(`${text}\n`);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  rows.forEach((r, k) => {
    console.log(`| ${r.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ')} |`);
    if (k === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
  for (const [what, value, ok] of goals) console.log(`${ok === null ? '-' : ok ? 'met' : 'NOT met'}: ${what}: ${value}`);
}
