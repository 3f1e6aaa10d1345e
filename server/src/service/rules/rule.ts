/**
 * A rule is one unit, as in eslint: its metadata, its message templates, its check, the type of
 * the data its findings carry, and its fix, in one definition. The registry (`./index.ts`)
 * derives everything that lists rules from these definitions: `analyze`, the quick fixes, the
 * README table, the configuration schema and the SARIF rule metadata.
 */
import type { Level } from '../config';
import type { Fix, FixContext } from '../fixes/types';
import type { PolicyModel } from '../policy/model';
import type { Span } from '../text/span';

export type Severity = Exclude<Level, 'off'>;

export type RuleCategory = 'syntax' | 'structure' | 'actions' | 'variables' | 'conditions' | 'resources' | 'security' | 'limits' | 'templates';

export interface RuleMeta {
  /** Stable kebab-case id. */
  id: string;
  defaultSeverity: Severity;
  /** One line for the rules table, docs and SARIF. */
  description: string;
  category: RuleCategory;
  /** AWS check name and reason code, for Device Defender rules. */
  deviceDefender?: { check: string; reason: string };
}

export interface RelatedFinding {
  span: Span;
  message: string;
}

/** Finding data every rule may use: replacement candidates for the span, best first ("did you mean"). */
export interface SuggestionData {
  suggestions?: string[];
}

/** The data of a rule's findings (plain JSON: it travels to the editor and back with the diagnostic). */
export type FindingData = object;

/** Finding data whose rule is not known statically (the registry's view). */
export interface AnyFindingData extends SuggestionData {
  [key: string]: unknown;
}

export interface Finding<D extends FindingData = AnyFindingData> {
  ruleId: string;
  /** The message template it was written with. */
  messageId?: string;
  span: Span;
  message: string;
  /** Overrides the rule's default severity for this finding (still overridden by configuration). */
  severity?: Severity;
  data?: D;
  related?: RelatedFinding[];
  /** Marks unnecessary or deprecated text (LSP DiagnosticTag). */
  tags?: ('unnecessary' | 'deprecated')[];
}

/** A finding after configuration: its severity is final. */
export interface AnalyzedFinding<D extends FindingData = AnyFindingData> extends Finding<D> {
  severity: Severity;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each template declares its own argument type
export type MessageTemplates = Record<string, (args: any) => string>;

/** What a rule reports: a message id and its arguments, or (for findings a rule forwards) a ready message. */
export type Report<D extends FindingData, M extends MessageTemplates> = {
  [K in keyof M & string]: {
    messageId: K;
    args: Parameters<M[K]>[0];
    span: Span;
    data: D;
    related?: RelatedFinding[];
    severity?: Severity;
    tags?: Finding['tags'];
  };
}[keyof M & string];

export interface RuleContext<D extends FindingData = FindingData, M extends MessageTemplates = MessageTemplates> {
  model: PolicyModel;
  report(f: Report<D, M>): void;
}

export interface RuleDefinition<D extends FindingData, M extends MessageTemplates> {
  meta: RuleMeta;
  messages: M;
  check(ctx: RuleContext<D, M>): void;
  /** Quick fixes for one of its findings (`data` as the rule reported it). */
  fix?(ctx: FixContext, finding: AnalyzedFinding<D>): Fix[];
}

/** A rule as the registry holds it (its data and messages erased). */
export interface Rule {
  readonly meta: RuleMeta;
  readonly messages: MessageTemplates;
  check(ctx: RuleContext<FindingData, MessageTemplates>): void;
  fix?(ctx: FixContext, finding: AnalyzedFinding): Fix[];
}

/** Declares a rule; the type parameters tie its reports, messages and fix together. */
export function defineRule<D extends FindingData, M extends MessageTemplates>(def: RuleDefinition<D, M>): Rule {
  return def as unknown as Rule;
}

export const DOCS_BASE_URL = 'https://github.com/iot-policy-tools/iot-policy-language/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
