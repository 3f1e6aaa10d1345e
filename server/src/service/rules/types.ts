/**
 * TEMPORARY: the old free-form rule shape, still used by the families not yet converted to
 * `defineRule` (see ./legacy.ts). New code uses ./rule.ts.
 */
import type { PolicyModel } from '../policy/model';
import type { Finding as UnitFinding, RuleMeta } from './rule';

export type { RelatedFinding, RuleMeta, Severity } from './rule';
export { DOCS_BASE_URL, ruleDocsUrl } from './rule';

/** Data attached to a diagnostic so that a quick fix never parses the message. */
export interface FindingData {
  /** Replacement candidates for the span, best first ("did you mean"). */
  suggestions?: string[];
  /** Anything else a fix needs. */
  [key: string]: unknown;
}

export type Finding = UnitFinding<FindingData>;

export interface RuleContext {
  model: PolicyModel;
  report(f: Omit<Finding, 'ruleId'> & { ruleId?: string }): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
