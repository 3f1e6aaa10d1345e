/**
 * Runs every enabled rule over a model and returns findings with their final severity.
 * Pure: no I/O, no transport.
 */
import type { PolicyConfig } from './config';
import type { PolicyModel } from './policy/model';
import { ALL_RULES } from './rules';
import type { Finding, Rule, Severity } from './rules/types';

export interface AnalyzedFinding extends Finding {
  severity: Severity;
}

export interface AnalyzeOptions {
  /** Skip these rules entirely (e.g. `json-syntax` where the editor reports syntax itself). */
  skip?: ReadonlySet<string>;
}

export function analyze(model: PolicyModel, config?: PolicyConfig, options?: AnalyzeOptions): AnalyzedFinding[] {
  const out: AnalyzedFinding[] = [];
  const levels = config?.rules ?? {};
  const max = model.text.length;
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    if (options?.skip?.has(id)) continue;
    const configured = levels[id];
    if (configured === 'off') continue;
    runRule(rule, model, (f) => {
      const ruleId = f.ruleId ?? id;
      const lvl = ruleId === id ? configured : levels[ruleId];
      if (lvl === 'off') return;
      // Keep every span inside the document, whatever a rule computed (end-of-file errors, maps).
      const offset = Math.min(Math.max(0, f.span.offset), max);
      const length = Math.min(Math.max(0, f.span.length), max - offset);
      const span = offset === f.span.offset && length === f.span.length ? f.span : { offset, length };
      out.push({ ...f, span, ruleId, severity: lvl ?? f.severity ?? rule.meta.defaultSeverity });
    });
  }
  out.sort((a, b) => a.span.offset - b.span.offset || a.span.length - b.span.length);
  return out;
}

function runRule(rule: Rule, model: PolicyModel, push: (f: Finding) => void): void {
  try {
    rule.check({
      model,
      report: (f) => push({ ...f, ruleId: f.ruleId ?? rule.meta.id }),
    });
  } catch (err) {
    // A rule bug must never take the analysis down; report it where the user can see it.
    push({
      ruleId: 'internal-error',
      span: { offset: 0, length: 0 },
      severity: 'warning',
      message: `Rule ${rule.meta.id} failed on this document (${err instanceof Error ? err.message : String(err)}). Please report this.`,
    });
  }
}
