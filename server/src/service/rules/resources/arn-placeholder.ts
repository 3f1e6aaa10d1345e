/**
 * `arn-placeholder`: a placeholder left in an ARN (`region`, `<account-id>`, `{self.region}`,
 * `<b>region</b>`, `<thingName>`). One finding per distinct placeholder per document, on its first
 * occurrence; the other occurrences are related information, and the fix replaces them all with
 * the configured default region or account (`aws` for a partition).
 *
 * Checked in `Resource`/`NotResource` and in the values of `Arn*` condition operators; not on
 * another service's ARN, nor on an ARN that invalid-arn reports, nor on text a template fills in.
 */
import {
  ACCOUNT_PLACEHOLDERS, namePlaceholders, parseResource, PARTITION_PLACEHOLDERS, placeholderKind, REGION_PLACEHOLDERS,
} from '../../catalog';
import { memoizeString } from '../../text/memo';
import { spanText, suggestionsOf } from '../../fixes/helpers';
import { statementMemo, type PolicyModel, type StatementModel } from '../../policy/model';
import { isLiteralRange, type StringValue } from '../../policy/tree';
import { isSpan, type Span } from '../../text/span';
import { defineRule, type RelatedFinding, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'arn-placeholder', defaultSeverity: 'warning', category: 'resources',
  description: 'A placeholder left in an ARN: `region`, `account-id`, `<region>`, `<b>region</b>`, `{self.region}`, `123456789012`, `<thingName>`, ...',
};

export type ArnPart = 'partition' | 'region' | 'account' | 'name';

export interface ArnPlaceholderData {
  part: ArnPart;
  /** Every occurrence of the placeholder, the reported one first. */
  occurrences: Span[];
  /** `aws`, for a partition. */
  suggestions?: string[];
}

type Args = { part: ArnPart; text: string };
type Messages = Record<'documentation' | 'template' | 'html', (a: Args) => string>;

const WRITE: Record<ArnPart, string> = {
  partition: '`aws` (or `aws-cn`, `aws-us-gov`)',
  region: 'your region (e.g. `eu-west-1`) or `*`',
  account: 'your 12-digit account ID or `*`',
  name: 'the real name (or a policy variable such as `${iot:Connection.Thing.ThingName}`, or `*`)',
};

const NOT: Record<ArnPart, string> = {
  partition: ', not a partition',
  region: ', not a region',
  account: ', not your account ID',
  name: ' in the resource name',
};

function placeholderMessage(what: string, a: Args, after = ''): string {
  return `\`${a.text}\` is ${what}${NOT[a.part]}. AWS compares ARNs as text, so this ARN matches no request until you write ${WRITE[a.part]}.${after}`;
}

const messages: Messages = {
  documentation: (a) => placeholderMessage('a documentation placeholder', a),
  html: (a) => placeholderMessage('HTML markup copied from documentation', a),
  template: (a) => placeholderMessage('a template placeholder', a, ' If a template tool fills it in, lint the rendered policy instead.'),
};

const ARN_OPERATOR = /^(?:For(?:All|Any)Values:)?Arn(?:Equals|Like|NotEquals|NotLike)(?:IfExists)?$/;

interface Found {
  sv: StringValue;
  part: ArnPart;
  text: string;
  start: number;
  end: number;
}

/** A placeholder of a resource string, at decoded indexes. */
type Placeholder = Omit<Found, 'sv'>;

function partPlaceholder(out: Placeholder[], part: ArnPart, p: { text: string; start: number; end: number } | undefined, re: RegExp): void {
  if (p && p.text && re.test(p.text)) out.push({ part, text: p.text, start: p.start, end: p.end });
}

const NONE: readonly Placeholder[] = Object.freeze([]);

/**
 * The placeholders of one ARN, in the order of its parts. A pure function of the string, kept
 * between analyses as `parseResource` is: a keystroke changes one resource.
 */
const placeholdersIn = memoizeString((value: string): readonly Placeholder[] => {
  const parsed = parseResource(value);
  if (!parsed.isArn || parsed.problems.length) return NONE;
  const svc = parsed.service?.text;
  // Another service's ARN (Greengrass V1 API ARNs included) is reported by resource-type-mismatch, if at all.
  const iotLike = svc === undefined || svc === 'iot' || (svc === 'greengrass' && !!parsed.resource?.text.startsWith('components:')) || svc.includes('*') || svc.includes('?');
  if (!iotLike) return NONE;
  const out: Placeholder[] = [];
  partPlaceholder(out, 'partition', parsed.partition, PARTITION_PLACEHOLDERS);
  partPlaceholder(out, 'region', parsed.region, REGION_PLACEHOLDERS);
  partPlaceholder(out, 'account', parsed.account, ACCOUNT_PLACEHOLDERS);
  const name = parsed.name;
  if (name) for (const n of namePlaceholders(name.text)) out.push({ part: 'name', text: n.text, start: name.start + n.start, end: name.start + n.end });
  return out.length ? Object.freeze(out.map((x) => Object.freeze(x))) : NONE;
}, 4096);

/** The placeholders of one ARN that its template leaves as written. */
function placeholdersOf(sv: StringValue): Found[] {
  const all = placeholdersIn(sv.value);
  return all.length ? all.filter((f) => isLiteralRange(sv, f.start, f.end)).map((f) => ({ ...f, sv })) : [];
}

const IN_STATEMENT = {};
const NOTHING: readonly Found[] = Object.freeze([]);

/**
 * The placeholders of a statement's resources and ARN conditions, in document order; kept with
 * the statement (decoded indexes only: the spans are read when reported, where it is now).
 */
function statementPlaceholders(model: PolicyModel, st: StatementModel): readonly Found[] {
  return statementMemo(model, st, IN_STATEMENT, readPlaceholders);
}

function readPlaceholders(_model: PolicyModel, st: StatementModel): readonly Found[] {
  let out: Found[] | undefined;
  const add = (sv: StringValue): void => {
    const found = placeholdersOf(sv);
    if (found.length) (out ??= []).push(...found);
  };
  for (const sv of st.resource?.items ?? []) add(sv);
  for (const sv of st.notResource?.items ?? []) add(sv);
  for (const op of st.condition?.operators ?? []) {
    if (!ARN_OPERATOR.test(op.operator)) continue;
    for (const k of op.keys) for (const v of k.values) if (v.str) add(v.str);
  }
  return out ?? NOTHING;
}

export const arnPlaceholder = defineRule<ArnPlaceholderData, Messages>({
  meta,
  messages,
  check(ctx) {
    let first: Map<string, { found: Found; occurrences: Span[]; related: RelatedFinding[] }> | undefined;
    for (const st of ctx.model.statements) {
      const placeholders = statementPlaceholders(ctx.model, st);
      if (!placeholders.length) continue;
      first ??= new Map();
      for (const found of placeholders) {
        const sv = found.sv;
        const span = sv.spanOf(found.start, found.end);
        const key = `${found.part}\u0000${found.text}`;
        const prev = first.get(key);
        if (prev) {
          prev.occurrences.push(span);
          prev.related.push({ span, message: `\`${found.text}\` again` });
        } else first.set(key, { found, occurrences: [span], related: [] });
      }
    }
    if (!first) return;
    for (const { found, occurrences, related } of first.values()) {
      const { part, text } = found;
      ctx.report({
        messageId: placeholderKind(text),
        args: { part, text },
        span: occurrences[0],
        data: part === 'partition' ? { part, occurrences, suggestions: ['aws'] } : { part, occurrences },
        related: related.length ? related : undefined,
      });
    }
  },
  /** Every occurrence replaced with the configured default (offered only when it is configured), or `aws` for a partition. */
  fix(ctx, f) {
    const d = f.data;
    if (!d) return [];
    const defaults = ctx.config?.defaults ?? {};
    let value: string | undefined;
    let source = '';
    if (d.part === 'region' && defaults.region) [value, source] = [defaults.region, ' (iotPolicy.defaults.region)'];
    else if (d.part === 'account' && defaults.accountId) [value, source] = [defaults.accountId, ' (iotPolicy.defaults.accountId)'];
    else if (d.part === 'partition') [value, source] = [defaults.partition ?? suggestionsOf(f)[0] ?? 'aws', defaults.partition ? ' (defaults.partition)' : ''];
    if (!value) return [];
    const spans = Array.isArray(d.occurrences) ? d.occurrences.filter(isSpan) : [];
    if (!spans.some((x) => x.offset === f.span.offset && x.length === f.span.length)) spans.unshift(f.span);
    const many = spans.length > 1 ? ` (${spans.length} places)` : '';
    const replacement = value;
    return [{
      title: `Replace '${spanText(ctx, f.span)}' with '${replacement}'${source}${many}`,
      edits: spans.map((x) => ctx.writer.replaceSpan(x, replacement)),
      preferred: true,
      safe: d.part !== 'partition' || !!defaults.partition,
    }];
  },
});
