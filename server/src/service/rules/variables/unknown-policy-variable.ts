/**
 * `unknown-policy-variable`: a `${...}` naming no documented policy variable. AWS leaves it as
 * literal text, so the resource or condition never matches a real request.
 */
import { ATTRIBUTE_PREFIX, parseResource } from '../../catalog';
import type { Fix, FixContext } from '../../fixes/types';
import { defineRule, familyCheck, type AnalyzedFinding } from '../rule';
import { variableReports, type UnknownPolicyVariableArgs, type VariableSuggestionData } from './classify';
import { variableAt, variableSuggestions } from './fix';

type Messages = { [K in keyof UnknownPolicyVariableArgs]: (a: UnknownPolicyVariableArgs[K]) => string };

const ATTRIBUTE_EXAMPLE = `\`\${${ATTRIBUTE_PREFIX}name]}\``;

const messages: Messages = {
  attributeUnclosed: (a) => `\`${a.text}\` is missing the \`]\` after the attribute name, so AWS does not substitute it. Add \`]\`: \`\${${a.name}]}\`.`,
  attributeNameMissing: (a) => `\`${a.text}\` needs an attribute name: write ${ATTRIBUTE_EXAMPLE} with the name of one of the thing's attributes.`,
  attributeNameEmpty: (a) => `\`${a.text}\` needs an attribute name between the brackets: ${ATTRIBUTE_EXAMPLE}, with the name of one of the thing's attributes.`,
  unknown: (a) => {
    const didYouMean = a.suggestion ? ` Did you mean \`\${${a.suggestion}}\`?` : '';
    return `\`${a.text}\` is not an AWS IoT policy variable, so AWS leaves it as literal text and the ${a.place} never matches a real request.${didYouMean}`;
  },
};

/**
 * A variable without suggestions that stands for the whole region or account of an ARN
 * (`${region}`, `${AWS::AccountId}`): fill it from the configured defaults.
 */
function fillArnPartFromDefaults(ctx: FixContext, f: AnalyzedFinding<object>): Fix[] {
  const at = variableAt(ctx, f.span);
  if (!at || at.ref.form !== 'braces') return [];
  const p = parseResource(at.sv.value);
  const defaults = ctx.config?.defaults ?? {};
  for (const [part, value, setting] of [[p.region, defaults.region, 'iotPolicy.defaults.region'], [p.account, defaults.accountId, 'iotPolicy.defaults.accountId']] as const) {
    if (part && value && part.start === at.ref.start && part.end === at.ref.end) {
      return [{ title: `Replace '${at.ref.text}' with '${value}' (${setting})`, edits: [ctx.writer.replaceInString(at.sv, at.ref.start, at.ref.end, value)] }];
    }
  }
  return [];
}

export const unknownPolicyVariable = defineRule<VariableSuggestionData, Messages>({
  meta: {
    id: 'unknown-policy-variable', scope: 'statement',
    defaultSeverity: 'error',
    category: 'variables',
    description: '`${...}` naming no documented policy variable.',
  },
  messages,
  check: familyCheck(variableReports, 'unknown-policy-variable'),
  fix(ctx, f) {
    const fixes = variableSuggestions(ctx, f, { safe: (s) => s.length === 1, preferred: (s) => s.length === 1 });
    return fixes.length ? fixes : fillArnPartFromDefaults(ctx, f);
  },
});
