/** `missing-statement`: no `Statement`, or an empty one; AWS rejects a policy without statements. */
import { openerSpan } from '../../analysis/spans';
import { defineRule } from '../rule';
import { elementSuggestions, type NoArgs } from './shared';

type Messages = { missing: (a: NoArgs) => string; empty: (a: NoArgs) => string };

export const missingStatement = defineRule<NoArgs, Messages>({
  meta: { id: 'missing-statement', defaultSeverity: 'error', category: 'structure', description: 'No `Statement`, or an empty one.' },
  messages: {
    missing: () => 'No `Statement`: an AWS IoT policy needs at least one statement, and AWS rejects a document without one. Add `"Statement": [{"Effect": "Allow", "Action": [...], "Resource": [...]}]`.',
    empty: () => '`Statement` is empty: the policy grants nothing, and AWS rejects a policy without statements. Add at least one `{"Effect": ..., "Action": ..., "Resource": ...}`.',
  },
  check(ctx) {
    const m = ctx.model;
    if (!m.root || m.root.type !== 'object') return;
    if (!m.statementProp) {
      // A misspelled `Statement` key is reported by unknown-element instead.
      if (m.topProps.some((p) => elementSuggestions(p.key, 'top')[0] === 'Statement')) return;
      ctx.report({ messageId: 'missing', args: {}, span: openerSpan(m.root), data: {} });
      return;
    }
    const v = m.statementProp.value;
    if (v?.type === 'array' && (v.children?.length ?? 0) === 0) {
      ctx.report({ messageId: 'empty', args: {}, span: { offset: v.offset, length: v.length }, data: {} });
    }
  },
});
