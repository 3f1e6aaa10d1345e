/**
 * `invalid-arn`: a malformed ARN. AWS matches resources as text, so it never matches a request.
 * One message per kind of problem the ARN parser finds; the catalogue words the problem, the
 * message adds what it means. The fix is the did-you-mean on `suggestions`.
 */
import type { ArnProblem, ArnProblemKind, ParsedResource } from '../../catalog';
import { parsedResourceOf } from '../../analysis/resources';
import { isLiteralRange, type StringValue } from '../../policy/tree';
import { defineRule, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'invalid-arn', scope: 'statement', defaultSeverity: 'error', category: 'resources',
  description: 'A malformed ARN: wrong parts, unknown partition, bad region or account form, missing or unknown resource type, stray characters.',
};

export interface InvalidArnData {
  /** Replacement for the span. */
  suggestions?: string[];
}

/** The parser's problem, worded as the end of "This resource ...". */
type Args = { problem: string };
type MessageId = 'notArn' | 'parts' | 'partition' | 'service' | 'region' | 'account' | 'resourceType' | 'iamOnlyType' | 'characters' | 'emptyName';
interface SpaceArgs {
  /** `topic`, `topicfilter` or `client`. */
  type: string;
  /** The text just before the space. */
  before: string;
}
type Messages = Record<MessageId, (a: Args) => string> & { spaceInName: (a: SpaceArgs) => string };

const MESSAGE_IDS: Record<ArnProblemKind, MessageId> = {
  'not-arn': 'notArn', parts: 'parts', partition: 'partition', service: 'service', region: 'region', account: 'account',
  'resource-type': 'resourceType', 'iam-only-type': 'iamOnlyType', characters: 'characters', 'empty-name': 'emptyName',
};

const NEVER_MATCHES = 'AWS matches resources as text, so a malformed ARN never matches a request and grants or denies nothing.';

function sentence(problem: string): string {
  return `This resource ${problem}${problem.endsWith('?') ? '' : '.'}`;
}

const malformed = (a: Args): string => `${sentence(a.problem)} ${NEVER_MATCHES}`;

const messages: Messages = {
  notArn: malformed, parts: malformed, partition: malformed, service: malformed, region: malformed, account: malformed,
  resourceType: malformed, characters: malformed, emptyName: malformed,
  iamOnlyType: (a) => `${sentence(a.problem)} A statement in an IoT policy never matches it.`,
  spaceInName: (a) =>
    `This resource has a space in the ${NAME_OF[a.type] ?? 'name'} (after \`${a.before}\`). MQTT allows spaces there, so AWS matches it, but only for a name with that exact space: check that it is not a copy-paste slip.`,
};

/**
 * Resource types whose names may hold a space (MQTT topic names and client IDs are any UTF-8):
 * there the ARN is valid and matches (the evaluator agrees), so a space is only worth a warning.
 */
const NAME_OF: Readonly<Record<string, string>> = { topic: 'topic name', topicfilter: 'topic filter', client: 'client ID' };

/** A space inside the name of a resource type that allows one: its index, else -1. */
function spaceInName(v: string, parsed: ParsedResource, p: ArnProblem): number {
  if (p.kind !== 'characters' || v[p.start] !== ' ' || !parsed.name || !parsed.resourceType) return -1;
  if (!NAME_OF[parsed.resourceType.text] || p.start < parsed.name.start) return -1;
  // Only spaces: any other stray character in the name is still an error.
  return /^[^\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\ufeff\t\n\r\v\f]*$/.test(v) ? p.start : -1;
}

/**
 * True when the problem could vanish for some value of a template's opaque range: an opaque
 * range may hold `arn:`, colons (the number of parts) or the text of the part at fault.
 */
function dependsOnOpaque(sv: StringValue, parsed: ParsedResource, p: ArnProblem): boolean {
  if (!sv.opaque.length) return false;
  if (p.kind === 'characters') return false;
  if (p.kind === 'not-arn' && !parsed.isArn) {
    // Not an ARN whatever the template fills in, unless the text before it could still begin `arn:`.
    const head = sv.value.slice(0, Math.min(sv.opaque[0].start, 4)).toLowerCase();
    return 'arn:'.startsWith(head);
  }
  if (parsed.isArn && !parsed.resource) return true;
  return !isLiteralRange(sv, p.start, Math.max(p.end, p.start + 1));
}

/** Where the finding points, and the replacement for that span. */
function placed(value: string, p: ArnProblem): { start: number; end: number; suggestions?: string[] } {
  let start = p.start;
  let end = p.end;
  let suggestions: string[] | undefined;
  if (p.suggestion !== undefined) {
    const prefix = value.slice(0, start);
    const suffix = value.slice(end);
    const fitsSpan = p.suggestion.startsWith(prefix) && p.suggestion.endsWith(suffix) && p.suggestion.length >= prefix.length + suffix.length;
    if (p.kind === 'resource-type') suggestions = [p.suggestion];
    else if (fitsSpan) suggestions = [p.suggestion.slice(prefix.length, p.suggestion.length - suffix.length)];
    else if (p.kind !== 'characters') {
      start = 0;
      end = value.length;
      suggestions = [p.suggestion];
    }
  }
  if (end <= start) {
    // Empty parts (`arn:aws:iot::...`): point at the colon before them.
    start = Math.max(0, start - 1);
    end = Math.min(value.length, start + 1);
  }
  return { start, end, suggestions };
}

export const invalidArn = defineRule<InvalidArnData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      for (const list of [st.resource, st.notResource]) {
        for (const sv of list?.items ?? []) {
          const v = sv.value;
          // A value that is only a variable (`${...}`, often a template interpolation) is left to the variable rules;
          // an empty string to invalid-value-type.
          if (v === '' || (v.startsWith('${') && !v.toLowerCase().startsWith('arn:'))) continue;
          const parsed = parsedResourceOf(ctx.model, sv);
          const chars = parsed.problems.find((p) => p.kind === 'characters');
          for (const p of chars ? [chars] : parsed.problems) {
            if (dependsOnOpaque(sv, parsed, p)) continue;
            const space = spaceInName(v, parsed, p);
            if (space >= 0) {
              const type = parsed.resourceType!.text;
              const before = v.slice(Math.max(parsed.name!.start, space - 16), space);
              ctx.report({ messageId: 'spaceInName', args: { type, before }, span: sv.spanOf(space, space + 1), severity: 'warning', data: {} });
              continue;
            }
            const { start, end, suggestions } = placed(v, p);
            ctx.report({
              messageId: MESSAGE_IDS[p.kind],
              args: { problem: p.message },
              span: sv.spanOf(start, end),
              data: suggestions ? { suggestions } : {},
            });
          }
        }
      }
    }
  },
});
