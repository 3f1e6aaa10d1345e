/**
 * `iam-only-policy-variable`: `credentials-iot:*` and other variables that work only in IAM
 * policies. Its suggestion, when there is one, is the IoT equivalent (the generic did-you-mean).
 */
import { defineRule, familyCheck } from '../rule';
import { lowerFirst, variableReports, type IamOnlyPolicyVariableArgs, type VariableSuggestionData } from './classify';

type Messages = { [K in keyof IamOnlyPolicyVariableArgs]: (a: IamOnlyPolicyVariableArgs[K]) => string };

const messages: Messages = {
  iamOnly: (a) => `\`${a.text}\` works only in IAM policies, not in AWS IoT policies, where it is never substituted: ${lowerFirst(a.reason.replace(/\.$/, ''))}.`,
};

export const iamOnlyPolicyVariable = defineRule<VariableSuggestionData, Messages>({
  meta: {
    id: 'iam-only-policy-variable', scope: 'statement',
    defaultSeverity: 'error',
    category: 'variables',
    description: '`credentials-iot:*` and other variables that work only in IAM policies.',
  },
  messages,
  check: familyCheck(variableReports, 'iam-only-policy-variable'),
});
