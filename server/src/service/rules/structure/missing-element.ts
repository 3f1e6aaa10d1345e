/**
 * `missing-element`: a statement without `Effect`, `Action`/`NotAction` or `Resource`/`NotResource`.
 * One finding per statement, on its `{`. An element written under a misspelled key is not missing:
 * unknown-element reports the key.
 */
import { openerSpan } from '../../analysis/spans';
import { isBroken } from '../../analysis/syntax';
import { defineRule } from '../rule';
import { STATEMENT_SET, elementSuggestions, isOpaque, type NoArgs } from './shared';

type Element = 'Effect' | 'Action' | 'Resource';

/** What to add for each missing element. */
const ADD: Record<Element, string> = {
  Effect: 'whether it allows or denies: `"Effect": "Allow"`',
  Action: 'the actions it covers, e.g. `"Action": ["iot:Connect"]`',
  Resource: 'the ARNs it covers, e.g. `"Resource": ["arn:aws:iot:<region>:<account-id>:client/${iot:Connection.Thing.ThingName}"]`',
};

function listed(missing: Element[]): string {
  const names = missing.map((el) => `\`${el}\``);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

type Messages = { missing: (a: { missing: Element[] }) => string };

export const missingElement = defineRule<NoArgs, Messages>({
  meta: {
    id: 'missing-element', scope: 'statement',
    defaultSeverity: 'error',
    category: 'structure',
    description: 'A statement without `Effect`, `Action`/`NotAction`, or `Resource`/`NotResource`.',
  },
  messages: {
    missing: (a) => `This statement has no ${listed(a.missing)}: every statement needs \`Effect\`, \`Action\` and \`Resource\`, and AWS rejects one without. Add ${a.missing.map((el) => ADD[el]).join('; ')}.`,
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (!st.isObject || isOpaque(st.node) || isBroken(ctx.model, st.node)) continue;
      const misspelled = new Set(st.props.filter((p) => !STATEMENT_SET.has(p.key)).map((p) => elementSuggestions(p.key, 'statement')[0]).filter(Boolean));
      const written = (...names: string[]): boolean => names.some((n) => misspelled.has(n));
      const missing: Element[] = [];
      if (!st.effect && !written('Effect')) missing.push('Effect');
      if (!st.action && !st.notAction && !written('Action', 'NotAction')) missing.push('Action');
      if (!st.resource && !st.notResource && !written('Resource', 'NotResource')) missing.push('Resource');
      if (missing.length) ctx.report({ messageId: 'missing', args: { missing }, span: openerSpan(st.node), data: {} });
    }
  },
});
