/**
 * `policy-variable-syntax`: an unclosed `${`, an empty `${}`, white space inside, a nested `${`,
 * or the `$(*)` form of the escapes. AWS reads each as plain text.
 */
import { lookupVariable } from '../../catalog';
import { single, suggestionFixes } from '../../fixes/suggestions';
import type { Fix } from '../../fixes/types';
import { defineRule, familyCheck } from '../rule';
import { variableReports, type PolicyVariableSyntaxArgs, type VariableSuggestionData } from './classify';
import { variableAt } from './fix';

type Messages = { [K in keyof PolicyVariableSyntaxArgs]: (a: PolicyVariableSyntaxArgs[K]) => string };

const messages: Messages = {
  parens: (a) => {
    const fixed = `\${${a.name}}`;
    return `\`${a.text}\` is plain text: the AWS IoT docs write the escapes with parentheses, but that is a typo; the IAM escape is \`${fixed}\` (a literal \`${a.name}\`). Write \`${fixed}\`.`;
  },
  unclosed: (a) => `\`${a.text}\` is not closed: without the \`}\` it is plain text, not a policy variable. Add \`}\`${a.named ? '' : ' after the variable name'}.`,
  nested: (a) => `A \`\${\` inside \`${a.text}\`: policy variables cannot be nested, so AWS leaves this as plain text. Use one variable per \`\${...}\`.`,
  empty: () => 'Empty `${}`: name a policy variable, e.g. `${iot:Connection.Thing.ThingName}`; for a literal `$` write `${$}`.',
  whitespace: (a) => `White space inside \`${a.text}\`: AWS does not trim variable names, so this is not substituted. Write \`\${${a.trimmed}}\`.`,
};

export const policyVariableSyntax = defineRule<VariableSuggestionData, Messages>({
  meta: {
    id: 'policy-variable-syntax', scope: 'statement',
    defaultSeverity: 'error',
    category: 'variables',
    description: 'An unclosed `${`, an empty `${}`, white space inside, a nested `${`, or the `$(*)` form of the escapes.',
  },
  messages,
  check: familyCheck(variableReports, 'policy-variable-syntax'),
  /** Rewrites the reference from the model; the rule's replacements when the model gives nothing. */
  fix(ctx, f) {
    const fixes: Fix[] = [];
    const at = variableAt(ctx, f.span);
    if (at) {
      const { sv, ref } = at;
      const name = ref.name.trim();
      if (ref.form === 'parens') {
        fixes.push({ title: `Change '${ref.text}' to '\${${ref.name}}'`, edits: [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${ref.name}}`)], preferred: true, safe: true });
      } else if (ref.form === 'unclosed' && !ref.nested) {
        if (name) {
          const known = !!lookupVariable(name);
          const edits = name === ref.name ? [ctx.writer.replaceInString(sv, ref.end, ref.end, '}')] : [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${name}}`)];
          fixes.push({ title: `Close the variable: '\${${name}}'`, edits, preferred: true, safe: known });
        }
      } else if (ref.form === 'braces' && name !== ref.name && name && !ref.nested) {
        // White space inside the braces.
        fixes.push({ title: `Remove the white space: '\${${name}}'`, edits: [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${name}}`)], preferred: true, safe: !!lookupVariable(name) });
      }
    }
    if (!fixes.length) fixes.push(...suggestionFixes(ctx, f, { preferred: single }));
    return fixes;
  },
});
