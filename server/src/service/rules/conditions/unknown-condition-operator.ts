/**
 * `unknown-condition-operator`: a condition operator IAM does not have, in any of its
 * `ForAnyValue:`/`ForAllValues:`/`IfExists` forms. AWS rejects the policy. The nearest valid
 * spelling is the suggestion (the generic did-you-mean, which never renames to a sibling key).
 */
import { OPERATORS_BY_NAME, parseOperatorCached } from '../../catalog/conditions';
import { keyContentSpan } from '../../analysis/spans';
import { defineRule } from '../rule';
import { capitalize, codeQuotes, hasVariable, operatorEntries, type ConditionSuggestionData } from './walk';

interface Args {
  /** `caseOnly`: the operator as written and its spelling. */
  caseOnly: { operator: string; suggestion: string };
  /** `problem`: what the catalogue says is wrong (names in `"`), when it says. */
  unknown: { operator: string; problem?: string; suggestion?: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const EXAMPLES = ' Use an IAM operator such as `StringEquals`, `StringLike`, `Bool`, `IpAddress`, `ArnEquals` or `Null`.';

/** Puts operator names and operator parts (`IfExists`, `ForAnyValue`) in code format. */
function codeOperators(s: string): string {
  return s.replace(/(`[^`]*`)|\b([A-Z][A-Za-z]+(?::[A-Z][A-Za-z]+)?)\b/g, (m, quoted: string | undefined, word: string | undefined) => {
    if (quoted || !word) return m;
    return OPERATORS_BY_NAME.has(word) || /^(IfExists|ForAnyValue|ForAllValues)$/.test(word) || OPERATORS_BY_NAME.has(word.replace(/^For(Any|All)Values?:/, '')) ? `\`${word}\`` : m;
  });
}

const messages: Messages = {
  caseOnly: (a) => `\`${a.operator}\` is not a condition operator: operator names are case-sensitive, and AWS rejects the policy. Write \`${a.suggestion}\`.`,
  unknown: (a) => {
    const problem = codeOperators(codeQuotes(a.problem ?? `"${a.operator}" is not a condition operator`));
    const advice = a.suggestion ? ` Did you mean \`${a.suggestion}\`?` : EXAMPLES;
    return `${capitalize(problem)}, and AWS rejects a policy with an unknown condition operator.${advice}`;
  },
};

export const unknownConditionOperator = defineRule<ConditionSuggestionData, Messages>({
  meta: {
    id: 'unknown-condition-operator', scope: 'statement',
    defaultSeverity: 'error',
    category: 'conditions',
    description: 'A condition operator IAM does not have, in any of its `ForAnyValue:`/`ForAllValues:`/`IfExists` forms.',
  },
  messages,
  check(ctx) {
    for (const op of operatorEntries(ctx.model)) {
      if (hasVariable(op.operator) || op.prop.keyValue.opaque.length) continue; // policy-variable-not-allowed-here; a template value
      const p = parseOperatorCached(op.operator);
      if (p.valid) continue;
      const { suggestion } = p;
      const span = keyContentSpan(op.prop);
      const data = { suggestions: suggestion ? [suggestion] : [] };
      if (suggestion !== undefined && suggestion.toLowerCase() === op.operator.toLowerCase()) {
        ctx.report({ messageId: 'caseOnly', args: { operator: op.operator, suggestion }, span, data });
      } else {
        ctx.report({ messageId: 'unknown', args: { operator: op.operator, problem: p.problem, suggestion }, span, data });
      }
    }
  },
});
