/** The variable rules, in the order they run. */
import { iamOnlyPolicyVariable } from './iam-only-policy-variable';
import { policyVariableCase } from './policy-variable-case';
import { policyVariableNotAllowedHere } from './policy-variable-not-allowed-here';
import { policyVariableSyntax } from './policy-variable-syntax';
import { templateSyntax } from './template-syntax';
import { undocumentedPolicyVariable } from './undocumented-policy-variable';
import { unknownPolicyVariable } from './unknown-policy-variable';
import { variablesRequire20121017 } from './variables-require-2012-10-17';

export const variablesRules = [
  unknownPolicyVariable,
  policyVariableCase,
  undocumentedPolicyVariable,
  policyVariableSyntax,
  policyVariableNotAllowedHere,
  iamOnlyPolicyVariable,
  variablesRequire20121017,
  templateSyntax,
];
