/**
 * What a rule reports: a finding with its span, message, severity and the data its fix needs.
 * Plain data, below every layer that produces or reads findings.
 */
import type { Level } from './config';
import type { Span } from './text/span';

export type Severity = Exclude<Level, 'off'>;

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

/** The policy of a document that holds several (a template's resource): where a finding belongs. */
export interface PolicyRef {
  /** The logical id, resource address or construct id. */
  key: string;
  name?: string;
  /** The CDK construct path (`DeviceStack/DevicePolicy`), shown with the message. */
  constructPath?: string;
}

/** A finding after configuration: its severity is final. */
export interface AnalyzedFinding<D extends FindingData = AnyFindingData> extends Finding<D> {
  severity: Severity;
  /** The policy it is in, when the document holds named policies (templates, Terraform, CDK). */
  policy?: PolicyRef;
}
