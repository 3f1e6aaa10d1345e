/** Rules about how a template or code spells a policy (escapes, substitution). */
import { escapeOutsideSub } from './escape-outside-sub';
import { fstringVariableNotEscaped } from './fstring-variable-not-escaped';
import { pseudoParameterOutsideSub } from './pseudo-parameter-outside-sub';
import { subVariableNotEscaped } from './sub-variable-not-escaped';
import { terraformVariableNotEscaped } from './terraform-variable-not-escaped';

export const templatesRules = [subVariableNotEscaped, escapeOutsideSub, pseudoParameterOutsideSub, terraformVariableNotEscaped, fstringVariableNotEscaped];
export { templateSyntaxError } from './template-syntax-error';
