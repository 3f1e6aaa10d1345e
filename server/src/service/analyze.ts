/**
 * Runs every enabled rule over a model and returns findings with their final severity.
 * Pure: no I/O, no transport.
 */
import type { PolicyConfig } from './config';
import type { PolicyModel } from './policy/model';
import { modelsOf, type PolicyDocument, type PolicyEntry } from './document';
import type { PolicyRef } from './findings';
import { ALL_RULES, RULES_BY_ID } from './rules';
import { internalError } from './rules/internal-error';
import type { AnalyzedFinding, AnyFindingData, Finding, Rule } from './rules/rule';

export type { AnalyzedFinding } from './rules/rule';

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
      const lvl = f.ruleId === id ? configured : levels[f.ruleId];
      if (lvl === 'off') return;
      // Keep every span inside the document, whatever a rule computed (end-of-file errors, maps).
      const offset = Math.min(Math.max(0, f.span.offset), max);
      const length = Math.min(Math.max(0, f.span.length), max - offset);
      const span = offset === f.span.offset && length === f.span.length ? f.span : { offset, length };
      out.push({ ...f, span, severity: lvl ?? f.severity ?? rule.meta.defaultSeverity });
    });
  }
  out.sort((a, b) => a.span.offset - b.span.offset || a.span.length - b.span.length);
  return out;
}

/**
 * Every finding of a document: each policy's (each variant of a policy whose template chooses
 * between values, the same finding once), and the problems of the file itself.
 */
export function analyzeDocument(doc: PolicyDocument, config?: PolicyConfig, options?: AnalyzeOptions): AnalyzedFinding[] {
  const out: AnalyzedFinding[] = [];
  const levels = config?.rules ?? {};
  for (const entry of doc.policies) {
    const seen = new Set<string>();
    const policy = entry.key === '' ? undefined : policyRef(entry);
    for (const model of modelsOf(entry)) {
      for (const f of analyze(model, config, options)) {
        const key = `${f.ruleId}\u0000${f.span.offset}\u0000${f.span.length}\u0000${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(policy ? { ...f, policy } : f);
      }
    }
  }
  for (const p of doc.problems) {
    const rule = RULES_BY_ID.get(p.ruleId);
    const level = levels[p.ruleId];
    if (!rule || level === 'off' || options?.skip?.has(p.ruleId)) continue;
    out.push({
      ruleId: p.ruleId, messageId: p.messageId, span: p.span, message: rule.messages[p.messageId]?.(p.args) ?? p.messageId,
      severity: level ?? rule.meta.defaultSeverity, data: {}, ...(p.related ? { related: p.related } : {}),
    });
  }
  out.sort((a, b) => a.span.offset - b.span.offset || a.span.length - b.span.length);
  return out;
}

function policyRef(entry: PolicyEntry): PolicyRef {
  return { key: entry.key, ...(entry.name ? { name: entry.name } : {}), ...(entry.constructPath ? { constructPath: entry.constructPath } : {}) };
}

/** Runs one rule over a model, turning its reports into findings. A failing rule reports `internal-error`. */
export function runRule(rule: Rule, model: PolicyModel, push: (f: Finding) => void): void {
  try {
    rule.check({
      model,
      report: (r) => {
        const template = rule.messages[r.messageId];
        push({
          ruleId: rule.meta.id,
          messageId: r.messageId,
          span: r.span,
          message: template ? template(r.args) : String(r.messageId),
          data: r.data as AnyFindingData,
          ...(r.related?.length ? { related: r.related } : {}),
          ...(r.severity ? { severity: r.severity } : {}),
          ...(r.tags ? { tags: r.tags } : {}),
        });
      },
    });
  } catch (err) {
    // A rule bug must never take the analysis down; report it where the user can see it.
    const args = { rule: rule.meta.id, error: err instanceof Error ? err.message : String(err) };
    push({
      ruleId: internalError.meta.id, messageId: 'failed', span: { offset: 0, length: 0 }, severity: 'warning',
      message: internalError.messages.failed(args), data: { rule: rule.meta.id },
    });
  }
}
