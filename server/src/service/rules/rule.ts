/**
 * A rule is one unit, as in eslint: its metadata, its message templates, its check, the type of
 * the data its findings carry, and its fix, in one definition. The registry (`./index.ts`)
 * derives everything that lists rules from these definitions: `analyze`, the quick fixes, the
 * README table, the configuration schema and the SARIF rule metadata.
 */
import type { AnalyzedFinding, FindingData, RelatedFinding, Severity, Finding } from '../findings';
import type { Fix, FixContext } from '../fixes/types';

export type { AnalyzedFinding, AnyFindingData, Finding, FindingData, RelatedFinding, Severity, SuggestionData } from '../findings';
import type { PolicyModel } from '../policy/model';
import type { Span } from '../text/span';


export type RuleCategory = 'syntax' | 'structure' | 'actions' | 'variables' | 'conditions' | 'resources' | 'security' | 'limits' | 'templates';

export interface RuleMeta {
  /** Stable kebab-case id. */
  id: string;
  defaultSeverity: Severity;
  /** One line for the rules table, docs and SARIF. */
  description: string;
  category: RuleCategory;
  /**
   * `statement`: the rule reads one statement at a time (and of the policy's `strings`, only those
   * holding a `${...}`), so its findings on a policy are those on each statement alone plus those
   * on the policy without its statements (`model.part` says which a view holds, for a rule that
   * also reads the tree outside the statements); an analysis reuses a
   * statement's findings while its text is unchanged (`service/statementReuse.ts`). Unset: the
   * rule reads the whole policy and runs on every analysis.
   */
  scope?: 'statement';
  /** AWS check name and reason code, for Device Defender rules. */
  deviceDefender?: { check: string; reason: string };
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

const DOCS_BASE_URL = 'https://github.com/iot-policy-tools/iot-policy-language/blob/main/docs/rules/';

/** Rule ids are few: each page's address is written once. */
const docsUrls = new Map<string, string>();

export function ruleDocsUrl(id: string): string {
  let url = docsUrls.get(id);
  if (url === undefined) {
    url = `${DOCS_BASE_URL}${id}.md`;
    if (docsUrls.size < 1024) docsUrls.set(id, url);
  }
  return url;
}

/** A report a family's shared classifier makes for one of its rules. */
export interface FamilyReport {
  ruleId: string;
  messageId: string;
  args: unknown;
  span: Span;
  data: FindingData;
  related?: RelatedFinding[];
  tags?: Finding['tags'];
}

/**
 * The check of a rule whose findings come from a classifier its family shares (the action and
 * variable families classify each item once, for all their rules): this rule's share of them.
 */
export function familyCheck<D extends FindingData, M extends MessageTemplates>(
  classify: (model: PolicyModel) => readonly { ruleId: string }[], ruleId: string,
): (ctx: RuleContext<D, M>) => void {
  return (ctx) => {
    for (const r of classify(ctx.model)) {
      if (r.ruleId !== ruleId) continue;
      const { messageId, args, span, data, related, tags } = r as FamilyReport;
      ctx.report({ messageId, args, span, data, related, tags } as Report<D, M>);
    }
  };
}
