/** JSON output: lint findings per file, and an eval decision. */
import type { Severity } from '../../service';
import type { EvalResult } from '../../service/eval/evaluate';
import { lineColumn } from '../../service/text/lines';
import type { LintedFile } from '../run';

export interface JsonFileResult {
  file: string;
  findings: {
    ruleId: string;
    severity: Severity;
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    /** The policy's logical id, resource address or construct id, in a file that holds several. */
    policy?: string;
    /** Its CDK construct path, in synthesized templates. */
    constructPath?: string;
  }[];
}

function toJsonResults(files: readonly LintedFile[]): JsonFileResult[] {
  return files.map((f) => ({
    file: f.file,
    findings: f.findings.map((x) => {
      const s = f.doc.positionAt(x.span.offset);
      const e = f.doc.positionAt(x.span.offset + x.span.length);
      return {
        ruleId: x.ruleId,
        severity: x.severity,
        message: x.message,
        range: { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } },
        ...(x.policy ? { policy: x.policy.name ?? x.policy.key } : {}),
        ...(x.policy?.constructPath ? { constructPath: x.policy.constructPath } : {}),
      };
    }),
  }));
}

export function formatJson(files: readonly LintedFile[]): string {
  return JSON.stringify(toJsonResults(files), null, 2) + '\n';
}

export interface JsonMatched {
  file: string;
  /** One-based statement number. */
  statement: number;
  effect: 'Allow' | 'Deny';
  sid?: string;
  line: number;
}

export interface JsonEvalOutput {
  decision: EvalResult['decision'];
  matched: JsonMatched[];
  notes: string[];
}

function toJsonOutput(result: EvalResult, texts: ReadonlyMap<string, string>): JsonEvalOutput {
  return {
    decision: result.decision,
    matched: result.matched.map((m) => ({
      file: m.policy,
      statement: m.statementIndex + 1,
      effect: m.effect,
      ...(m.sid ? { sid: m.sid } : {}),
      line: lineColumn(texts.get(m.policy) ?? '', m.span.offset).line,
    })),
    notes: result.notes,
  };
}

export function formatEvalJson(result: EvalResult, texts: ReadonlyMap<string, string>): string {
  return JSON.stringify(toJsonOutput(result, texts), null, 2) + '\n';
}
