/**
 * `undocumented-policy-variable`: a variable seen in the wild but not documented for IoT policies
 * (`${iot:Thing.ThingName}`), or IAM's default-value form `${key, 'default'}`. The fix writes the
 * documented variable.
 */
import { defineRule, familyCheck } from '../rule';
import { lowerFirst, variableReports, type UndocumentedPolicyVariableArgs, type VariableSuggestionData } from './classify';
import { variableSuggestions } from './fix';

type Messages = { [K in keyof UndocumentedPolicyVariableArgs]: (a: UndocumentedPolicyVariableArgs[K]) => string };

const messages: Messages = {
  defaultValue: (a) => `\`${a.text}\` uses IAM's default-value form \`\${key, 'default'}\`, which the AWS IoT docs do not document for IoT policies; it may not be substituted. Write \`\${${a.key}}\`.`,
  undocumented: (a) => `\`${a.text}\` is not a documented AWS IoT policy variable: ${lowerFirst(a.reason.replace(/\.$/, ''))}. Use the documented \`\${${a.documented}}\`.`,
};

export const undocumentedPolicyVariable = defineRule<VariableSuggestionData, Messages>({
  meta: {
    id: 'undocumented-policy-variable', scope: 'statement',
    defaultSeverity: 'warning',
    category: 'variables',
    description: 'A variable seen in the wild but not documented, such as `${iot:Thing.ThingName}`.',
  },
  messages,
  check: familyCheck(variableReports, 'undocumented-policy-variable'),
  fix: (ctx, f) => variableSuggestions(ctx, f, { safe: () => true, preferred: () => true }),
});
