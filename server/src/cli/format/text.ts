/** Text output: lint findings (optionally coloured) as they come, the rule list, eval decisions and test cases. */
import { ALL_RULES, type Severity } from '../../service';
import type { EvalResult, MatchedStatement } from '../../service/eval/evaluate';
import type { CaseResult } from '../../service/testFile';
import { lineColumn } from '../../service/text/lines';
import type { CliIo } from '../io';
import type { Sink } from '../output';
import type { Reporter, RunTotals } from './reporter';
import { printable } from './printable';

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  gray: '\u001b[90m',
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan, hint: ANSI.gray };

export function useColor(io: Pick<CliIo, 'env' | 'isTTY'>, forced?: boolean): boolean {
  if (forced !== undefined) return forced;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io.isTTY;
}

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

function problemsLine(t: RunTotals): string {
  const c = t.counts;
  const total = c.error + c.warning + c.info + c.hint;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning'), plural(c.info, 'info')];
  if (c.hint) parts.push(plural(c.hint, 'hint'));
  return `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(t.files, 'file')}`;
}

/**
 * The closing lines: what was fixed (or could be), then the count of problems, files and files
 * that could not be read. With no file linted because none could be read, it says that instead
 * of "0 problems in 0 files".
 */
export function summaryLines(t: RunTotals): string[] {
  const lines: string[] = [];
  const fixedFiles = plural(t.fixed.files, 'file');
  if (t.fix === 'write' && t.fixed.problems) lines.push(`Fixed ${plural(t.fixed.problems, 'problem')} in ${fixedFiles}.`);
  if (t.fix === 'dry-run') lines.push(t.fixed.problems ? `--fix would fix ${plural(t.fixed.problems, 'problem')} in ${fixedFiles} (the diff above).` : '--fix would change nothing.');
  if (t.fix === 'off' && t.fixable) lines.push(`${plural(t.fixable, 'problem')} can be fixed with --fix (--fix-dry-run shows the changes).`);
  const unread = t.unreadable.length ? plural(t.unreadable.length, 'file') + ' could not be read' : '';
  if (t.files === 0 && unread) lines.push(`No file linted: ${unread}`);
  else lines.push(unread ? `${problemsLine(t)}; ${unread}` : problemsLine(t));
  return lines;
}

/** `file:line:col severity message [ruleId]` per finding, and the summary. */
export function textReporter(out: Sink, color: boolean): Reporter {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${ANSI.reset}` : s);
  return {
    file(f) {
      let text = '';
      for (const x of f.findings) {
        const p = x.range.start;
        const where = paint(ANSI.bold, `${printable(f.file)}:${p.line + 1}:${p.character + 1}`);
        const message = x.message.replace(/\s*\n\s*/g, ' ');
        text += `${where} ${paint(SEVERITY_COLOR[x.severity], x.severity)} ${message} ${paint(ANSI.dim, `[${x.ruleId}]`)}\n`;
      }
      out.write(text);
    },
    unreadable() {
      // Said on stderr, in order, by the runner.
    },
    end(t) {
      const lines = summaryLines(t);
      const last = lines.length - 1;
      const c = t.counts;
      const style = c.error || t.unreadable.length ? ANSI.red + ANSI.bold : c.warning ? ANSI.yellow + ANSI.bold : ANSI.bold;
      out.write(lines.map((l, i) => (i === last && color ? paint(style, l) : l)).join('\n') + '\n');
    },
  };
}

/** `--list-rules`: the configurable rules of the registry, with their default levels. */
export function formatRuleList(): string {
  const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length));
  return ALL_RULES.map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.description}`).join('\n') + '\n';
}

function describeStatement(m: MatchedStatement, texts: ReadonlyMap<string, string>): { line: number; label: string } {
  const { line } = lineColumn(texts.get(m.policy) ?? '', m.span.offset);
  const sid = m.sid ? ` ("${m.sid}")` : '';
  return { line, label: `statement ${m.statementIndex + 1}${sid} (${m.effect}) in ${m.policy}, line ${line}` };
}

export function formatEvalText(
  result: EvalResult, request: { action: string; resource: string }, texts: ReadonlyMap<string, string>,
): string {
  const lines = [`${result.decision}: ${request.action} on ${request.resource}`];
  if (result.deciding) lines.push(`  decided by ${describeStatement(result.deciding, texts).label}`);
  for (const m of result.matched) if (m !== result.deciding) lines.push(`  also matched ${describeStatement(m, texts).label}`);
  for (const n of result.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

/** One test case: PASS or FAIL, the decision and the statement that decided it. */
export function formatCase(r: CaseResult, texts: ReadonlyMap<string, string>): string {
  const tc = r.testCase;
  if (!r.result) return `  FAIL  ${tc.name}: cannot run: ${tc.problems.join('; ')}\n`;
  const decided = r.result.deciding ? `, decided by ${describeStatement(r.result.deciding, texts).label}` : '';
  if (r.passed) return `  PASS  ${tc.name}: ${r.result.decision}${decided}\n`;
  let s = `  FAIL  ${tc.name}: expected ${tc.expect}, got ${r.result.decision}${decided}\n`;
  for (const n of r.result.notes) s += `        note: ${n}\n`;
  return s;
}
