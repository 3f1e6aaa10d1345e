/**
 * Runs every enabled rule over a model and returns findings with their final severity.
 * Pure: no I/O, no transport.
 */
import type { PolicyConfig } from './config';
import type { PolicyModel } from './policy/model';
import { modelsOf, type PolicyDocument, type PolicyEntry } from './document';
import type { PolicyRef } from './findings';
import { LARGE_DOCUMENT_CHARS, MAX_FINDINGS, MAX_STATEMENTS, formatSize } from './limits';
import { ALL_RULES, RULES_BY_ID } from './rules';
import { analysisLimit } from './rules/analysis-limit';
import { internalError } from './rules/internal-error';
import type { AnalyzedFinding, AnyFindingData, Finding, FindingData, MessageTemplates, Report, Rule, RuleContext } from './rules/rule';
import { canReuse, runStatementRules } from './statementReuse';

export type { AnalyzedFinding } from './rules/rule';

export interface AnalyzeOptions {
  /** Skip these rules entirely (e.g. `json-syntax` where the editor reports syntax itself). */
  skip?: ReadonlySet<string>;
  /**
   * Reuse the findings of statement-scoped rules on statements analysed before (default true).
   * False runs every rule on the whole policy, as a first analysis does.
   */
  reuse?: boolean;
}

export function analyze(model: PolicyModel, config?: PolicyConfig, options?: AnalyzeOptions): AnalyzedFinding[] {
  const levels = config?.rules ?? {};
  const max = model.text.length;
  const out: AnalyzedFinding[] = [];
  /** The index of the rule that reported each finding of `out`. */
  const ruleOf: number[] = [];
  const add = (i: number, f: Finding): void => {
    const rule = ALL_RULES[i];
    const lvl = levels[f.ruleId];
    if (lvl === 'off') return;
    // Keep every span inside the document, whatever a rule computed (end-of-file errors, maps).
    const offset = Math.min(Math.max(0, f.span.offset), max);
    const length = Math.min(Math.max(0, f.span.length), max - offset);
    const span = offset === f.span.offset && length === f.span.length ? f.span : { offset, length };
    out.push({ ...f, span, severity: lvl ?? f.severity ?? rule.meta.defaultSeverity });
    ruleOf.push(i);
  };
  const statementRules: number[] = [];
  const reuse = options?.reuse !== false && canReuse(model);
  let i = 0;
  const found = (f: Finding): void => add(i, f);
  for (i = 0; i < ALL_RULES.length; i++) {
    const rule = ALL_RULES[i];
    const id = rule.meta.id;
    if (options?.skip?.has(id) || levels[id] === 'off') continue;
    if (reuse && rule.meta.scope === 'statement') statementRules.push(i);
    else runRule(rule, model, found);
  }
  if (statementRules.length) runStatementRules(model, ALL_RULES, statementRules, runRule, add);
  return bySpan(out, ruleOf);
}

/**
 * Findings in document order; at the same span, in rule order, and for one rule in the order it
 * reported them: the same order however the findings were computed.
 */
function bySpan(found: AnalyzedFinding[], ruleOf: readonly number[]): AnalyzedFinding[] {
  if (found.length < 2) return found;
  const order = found.map((_, i) => i);
  order.sort((a, b) => {
    const x = found[a].span;
    const y = found[b].span;
    return x.offset - y.offset || x.length - y.length || ruleOf[a] - ruleOf[b] || a - b;
  });
  return order.map((i) => found[i]);
}

/**
 * Every finding of a document: each policy's (each variant of a policy whose template chooses
 * between values, the same finding once), and the problems of the file itself.
 */
export function analyzeDocument(doc: PolicyDocument, config?: PolicyConfig, options?: AnalyzeOptions): AnalyzedFinding[] {
  let out: AnalyzedFinding[] = [];
  const levels = config?.rules ?? {};
  const notices: AnalyzedFinding[] = [];
  const notice = (messageId: string, args: Record<string, unknown>, span = { offset: 0, length: 0 }): void => {
    notices.push({ ruleId: analysisLimit.meta.id, messageId, span, message: analysisLimit.messages[messageId](args), severity: 'info', data: {} });
  };
  // Beyond any real policy or template: syntax and structure only, said once at the top.
  if (doc.text.length > LARGE_DOCUMENT_CHARS && doc.policies.length) {
    options = withinLimits(doc.text, options);
    notice('large', { size: formatSize(doc.text.length), limit: formatSize(LARGE_DOCUMENT_CHARS) });
  }
  for (const entry of doc.policies) {
    const omitted = entry.model.omittedStatements;
    if (omitted) {
      const at = entry.model.statementProp?.keyValue.span ?? entry.span;
      notice('statements', { count: entry.model.statements.length + omitted, limit: MAX_STATEMENTS }, at);
    }
    const policy = entry.key === '' ? undefined : policyRef(entry);
    const models = modelsOf(entry);
    if (models.length === 1) {
      // One model: `analyze` sorts by span, so equal findings are neighbours; no keys to build.
      const found = analyze(models[0], config, options);
      for (let i = 0; i < found.length; i++) {
        const f = found[i];
        if (repeatsEarlier(found, i)) continue;
        out.push(policy ? { ...f, policy } : f);
      }
      continue;
    }
    const seen = new Set<string>();
    for (const model of models) {
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
  if (out.length > MAX_FINDINGS) {
    const rest = out.length - MAX_FINDINGS;
    const first = out[MAX_FINDINGS].span;
    out = out.slice(0, MAX_FINDINGS);
    notice('findings', { count: rest, limit: MAX_FINDINGS }, { offset: first.offset, length: 0 });
  }
  if (!notices.length) return out;
  // Size notices first, where the document starts; the count of what is not shown last.
  const [last, first] = [notices.filter((n) => n.messageId === 'findings'), notices.filter((n) => n.messageId !== 'findings')];
  return [...first, ...out, ...last];
}

/** Is `found[i]` the same finding (rule, span, message) as one before it? `found` is sorted by span. */
function repeatsEarlier(found: readonly AnalyzedFinding[], i: number): boolean {
  const f = found[i];
  for (let j = i - 1; j >= 0; j--) {
    const g = found[j];
    if (g.span.offset !== f.span.offset || g.span.length !== f.span.length) return false;
    if (g.ruleId === f.ruleId && g.message === f.message) return true;
  }
  return false;
}

/**
 * The options an analysis of a policy in a document of `text` runs with: beyond
 * LARGE_DOCUMENT_CHARS, syntax and structure rules only (what `analyzeDocument` reports, and so
 * what code actions fix).
 */
export function withinLimits(text: string, options?: AnalyzeOptions): AnalyzeOptions | undefined {
  if (text.length <= LARGE_DOCUMENT_CHARS) return options;
  return { ...options, skip: new Set([...(options?.skip ?? []), ...HEAVY_RULE_IDS]) };
}

/** Rules that are not run on a document beyond LARGE_DOCUMENT_CHARS: all but syntax, structure and limits. */
const HEAVY_RULE_IDS: readonly string[] = ALL_RULES.filter((r) => !['syntax', 'structure', 'limits'].includes(r.meta.category)).map((r) => r.meta.id);

function policyRef(entry: PolicyEntry): PolicyRef {
  return { key: entry.key, ...(entry.name ? { name: entry.name } : {}), ...(entry.constructPath ? { constructPath: entry.constructPath } : {}) };
}

/**
 * Messages already written, by the frozen args object they were written from (a template is a
 * pure function of its args, and frozen args cannot change): a rule that keeps a report's args
 * with a statement, frozen, gets the same string back on the next keystroke instead of writing it
 * again. Args that are not frozen are written every time.
 */
const written = new WeakMap<object, { template: MessageTemplates[string]; message: string }>();

/** Messages of templates that take no args, written once. */
const constant = new Map<MessageTemplates[string], string>();

function format(template: MessageTemplates[string], args: unknown): string {
  if (args === undefined) {
    let message = constant.get(template);
    if (message === undefined) constant.set(template, (message = template(args)));
    return message;
  }
  if (args === null || typeof args !== 'object' || !Object.isFrozen(args)) return template(args);
  const known = written.get(args);
  if (known?.template === template) return known.message;
  const message = template(args);
  written.set(args, { template, message });
  return message;
}

/** What a rule reports to while it runs. */
interface Reporting extends RuleContext {
  rule: Rule;
  push: (f: Finding) => void;
}

/** A rule's report, as a finding of the rule running (`this`). */
function report(this: Reporting, r: Report<FindingData, MessageTemplates>): void {
  const rule = this.rule;
  const template = rule.messages[r.messageId];
  this.push({
    ruleId: rule.meta.id,
    messageId: r.messageId,
    span: r.span,
    message: template ? format(template, r.args) : String(r.messageId),
    data: r.data as AnyFindingData,
    ...(r.related?.length ? { related: r.related } : {}),
    ...(r.severity ? { severity: r.severity } : {}),
    ...(r.tags ? { tags: r.tags } : {}),
  });
}

/** Runs one rule over a model, turning its reports into findings. A failing rule reports `internal-error`. */
export function runRule(rule: Rule, model: PolicyModel, push: (f: Finding) => void): void {
  try {
    // One object literal a run, its `report` shared: no closure per run, and a literal's layout
    // is kept by the code that creates it, while a class's dies with its last instance (see
    // `keepLayout`).
    const ctx: Reporting = { model, rule, push, report };
    rule.check(ctx);
  } catch (err) {
    // A rule bug must never take the analysis down; report it where the user can see it.
    const args = { rule: rule.meta.id, error: err instanceof Error ? err.message : String(err) };
    push({
      ruleId: internalError.meta.id, messageId: 'failed', span: { offset: 0, length: 0 }, severity: 'warning',
      message: internalError.messages.failed(args), data: { rule: rule.meta.id },
    });
  }
}
