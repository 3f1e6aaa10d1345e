/**
 * The rule framework. A rule is a pure function of the policy model that reports findings with
 * document spans; `analyze` turns findings into LSP diagnostics or CLI results.
 */
import type { Level } from '../config';
import type { PolicyModel, Span } from '../policy/model';

export type Severity = Exclude<Level, 'off'>;

export interface RelatedFinding {
  span: Span;
  message: string;
}

/** Data attached to a diagnostic so that a quick fix never parses the message. */
export interface FindingData {
  /** Replacement candidates for the span, best first ("did you mean"). */
  suggestions?: string[];
  /** Anything else a fix needs. */
  [key: string]: unknown;
}

export interface Finding {
  ruleId: string;
  span: Span;
  message: string;
  /** Overrides the rule's default severity for this finding (still overridden by configuration). */
  severity?: Severity;
  data?: FindingData;
  related?: RelatedFinding[];
  /** Marks unnecessary or deprecated text (LSP DiagnosticTag). */
  tags?: ('unnecessary' | 'deprecated')[];
}

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** One line for the rules table, docs and SARIF. */
  description: string;
  category: 'syntax' | 'structure' | 'actions' | 'variables' | 'conditions' | 'resources' | 'security' | 'limits';
  /** AWS check name and reason code, for Device Defender rules. */
  deviceDefender?: { check: string; reason: string };
}

export interface RuleContext {
  model: PolicyModel;
  report(f: Omit<Finding, 'ruleId'> & { ruleId?: string }): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export const DOCS_BASE_URL = 'https://github.com/iot-policy-tools/iot-policy-language/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
