/** Text output: lint findings (optionally coloured), the rule list, eval decisions and test cases. */
import { ALL_RULES, type Severity } from '../../service';
import type { EvalResult, MatchedStatement } from '../../service/eval/evaluate';
import type { CaseResult } from '../../service/testFile';
import { lineColumn } from '../../service/text/lines';
import type { CliIo } from '../io';
import type { LintedFile } from '../run';

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

function countSeverities(files: readonly LintedFile[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const x of f.findings) counts[x.severity]++;
  return counts;
}

function summaryLine(files: readonly LintedFile[]): string {
  const c = countSeverities(files);
  const total = c.error + c.warning + c.info + c.hint;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning'), plural(c.info, 'info')];
  if (c.hint) parts.push(plural(c.hint, 'hint'));
  return `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(files.length, 'file')}`;
}

export function formatText(files: readonly LintedFile[], color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  for (const f of files) {
    for (const x of f.findings) {
      const p = f.doc.positionAt(x.span.offset);
      const where = paint(ANSI.bold, `${f.file}:${p.line + 1}:${p.character + 1}`);
      const message = x.message.replace(/\s*\n\s*/g, ' ');
      lines.push(`${where} ${paint(SEVERITY_COLOR[x.severity], x.severity)} ${message} ${paint(ANSI.dim, `[${x.ruleId}]`)}`);
    }
  }
  const c = countSeverities(files);
  const summary = summaryLine(files);
  lines.push(color ? paint(c.error ? ANSI.red + ANSI.bold : c.warning ? ANSI.yellow + ANSI.bold : ANSI.bold, summary) : summary);
  return lines.join('\n') + '\n';
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
