/**
 * `policy-variable-case`: a `${...}` that matches a documented variable only when case is
 * ignored. Variable names are case-sensitive, so AWS leaves it as literal text.
 */
import { defineRule, familyCheck } from '../rule';
import { variableReports, type PolicyVariableCaseArgs, type VariableSuggestionData } from './classify';
import { variableSuggestions } from './fix';

type Messages = { [K in keyof PolicyVariableCaseArgs]: (a: PolicyVariableCaseArgs[K]) => string };

const messages: Messages = {
  caseOnly: (a) => `\`${a.text}\` differs in case from the documented \`\${${a.canonical}}\`: variable names are case-sensitive, so AWS does not substitute it and the text stays literal. Write \`\${${a.canonical}}\`.`,
};

export const policyVariableCase = defineRule<VariableSuggestionData, Messages>({
  meta: {
    id: 'policy-variable-case', scope: 'statement',
    defaultSeverity: 'warning',
    category: 'variables',
    description: '`${...}` that matches a documented variable only when case is ignored.',
  },
  messages,
  check: familyCheck(variableReports, 'policy-variable-case'),
  fix: (ctx, f) => variableSuggestions(ctx, f, { safe: () => true, preferred: () => true }),
});
