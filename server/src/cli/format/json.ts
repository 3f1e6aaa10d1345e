/** JSON output: lint findings per file (streamed), and an eval decision. */
import type { Severity } from '../../service';
import type { EvalResult } from '../../service/eval/evaluate';
import { lineColumn } from '../../service/text/lines';
import type { FileReport } from '../lintFile';
import type { Sink } from '../output';
import type { Reporter } from './reporter';

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

function toJsonResult(f: FileReport): JsonFileResult {
  return {
    file: f.file,
    findings: f.findings.map((x) => ({
      ruleId: x.ruleId,
      severity: x.severity,
      message: x.message,
      range: { start: { line: x.range.start.line, character: x.range.start.character }, end: { line: x.range.end.line, character: x.range.end.character } },
      ...(x.policy ? { policy: x.policy.name ?? x.policy.key } : {}),
      ...(x.policy?.constructPath ? { constructPath: x.policy.constructPath } : {}),
    })),
  };
}

/**
 * An array with one entry per linted file, written entry by entry as the files come: the same
 * text as `JSON.stringify(results, null, 2)`, without holding the results.
 */
export function jsonReporter(out: Sink): Reporter {
  let first = true;
  return {
    file(f) {
      // Nested lines get the array's indent; JSON strings never hold a raw newline.
      out.write(`${first ? '[\n  ' : ',\n  '}${JSON.stringify(toJsonResult(f), null, 2).replace(/\n/g, '\n  ')}`);
      first = false;
    },
    unreadable() {
      // Said on stderr by the runner.
    },
    end() {
      out.write(first ? '[]\n' : '\n]\n');
    },
  };
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
