/**
 * `policy-too-large`: more than 2,048 characters excluding white space, which AWS rejects. A
 * template value unknown before deploy is not counted: the policy is then reported only when the
 * characters known already exceed the limit.
 */
import { QUOTAS } from '../../catalog';
import { keyContentSpan, openerSpan } from '../../analysis/spans';
import { thousands } from '../../text/chars';
import { defineRule } from '../rule';
import type { NoArgs } from './shared';

interface SizeArgs {
  size: number;
  limit: number;
}

type Messages = { tooLarge: (a: SizeArgs) => string; knownTooLarge: (a: SizeArgs) => string };

const SPLIT = `Split it into several policies (up to ${QUOTAS.policiesPerPrincipalMax} per certificate), or shorten it with wildcards or policy variables.`;
const KNOWN_ONLY = 'counting only the characters known before deploy (template values are left out)';

function sizeMessage(a: SizeArgs, knownOnly: boolean): string {
  const atLeast = knownOnly ? 'at least ' : '';
  const counted = knownOnly ? `, ${KNOWN_ONLY}` : '';
  const over = `${atLeast}${thousands(a.size - a.limit)} too many`;
  return `The policy is ${atLeast}${thousands(a.size)} characters long excluding white space${counted}; AWS IoT accepts at most ${thousands(a.limit)} (${over}) and rejects the policy. ${SPLIT}`;
}

export const policyTooLarge = defineRule<NoArgs, Messages>({
  meta: { id: 'policy-too-large', defaultSeverity: 'error', category: 'limits', description: 'More than 2048 characters excluding white space.' },
  messages: {
    tooLarge: (a) => sizeMessage(a, false),
    knownTooLarge: (a) => sizeMessage(a, true),
  },
  /** On the `Statement` key (the root `{` without one). */
  check(ctx) {
    const m = ctx.model;
    const { chars, complete } = m.size();
    const limit = QUOTAS.policyDocumentMaxChars;
    if (chars <= limit) return;
    const span = m.statementProp ? keyContentSpan(m.statementProp) : m.root ? openerSpan(m.root) : { offset: 0, length: 0 };
    ctx.report({ messageId: complete ? 'tooLarge' : 'knownTooLarge', args: { size: chars, limit }, span, data: {} });
  },
});
