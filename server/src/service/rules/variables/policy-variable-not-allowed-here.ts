/**
 * `policy-variable-not-allowed-here`: a variable where AWS never substitutes one (`Action`,
 * `Effect`, `Version`, `Sid`, a condition operator or key name, the value of a condition whose
 * operator is not a String or Arn operator). No automatic fix: where the variable belongs is the
 * author's call.
 */
import { defineRule, familyCheck } from '../rule';
import { variableReports, type NoData, type PolicyVariableNotAllowedHereArgs } from './classify';

type Messages = { [K in keyof PolicyVariableNotAllowedHereArgs]: (a: PolicyVariableNotAllowedHereArgs[K]) => string };

const IN_ELEMENTS = 'variables are substituted only in `Resource` and in condition values';
const IN_NAMES = 'variables are substituted only in resources and condition values, never in names';

function literal(where: string, why: string, text: string, advice: string): string {
  return `A policy variable in ${where} is not substituted: ${why}, so \`${text}\` is taken literally here. ${advice}`;
}

const messages: Messages = {
  element: (a) => literal(`\`${a.place}\``, IN_ELEMENTS, a.text, 'Remove it.'),
  action: (a) => literal(`\`${a.place}\``, IN_ELEMENTS, a.text, 'Name the actions, and put the variable in the `Resource`.'),
  conditionOperator: (a) => literal('a condition operator name', IN_NAMES, a.text, 'Remove it.'),
  conditionKey: (a) => literal("a condition key's name", IN_NAMES, a.text,
    'Put the variable in the condition value, e.g. `{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}`.'),
  operator: (a) => `\`${a.text}\` is not substituted in a \`${a.operator}\` condition: policy variables work only in the values of String and Arn operators, so this value is compared literally.`,
};

export const policyVariableNotAllowedHere = defineRule<NoData, Messages>({
  meta: {
    id: 'policy-variable-not-allowed-here', scope: 'statement',
    defaultSeverity: 'error',
    category: 'variables',
    description: 'A variable in `Action`, `Effect`, `Version`, `Sid`, a condition operator or key name, or a non-string condition value.',
  },
  messages,
  check: familyCheck(variableReports, 'policy-variable-not-allowed-here'),
});
