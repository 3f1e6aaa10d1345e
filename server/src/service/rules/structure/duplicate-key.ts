/**
 * `duplicate-key`: a key written twice in one object. JSON parsers disagree on which one counts;
 * AWS may keep only the last one.
 */
import { contentSpan } from '../../analysis/spans';
import type { PolicyNode } from '../../policy/tree';
import { defineRule } from '../rule';
import { STATEMENT_SET, TOP_SET, type NoArgs } from './shared';

type Messages = { duplicate: (a: { key: string }) => string };

function merge(key: string): string {
  const element = STATEMENT_SET.has(key) || TOP_SET.has(key);
  const into = element ? `Merge the values into one \`${key}\`` : 'Merge them into one key';
  return `${into}${key === 'Statement' ? ' array' : ''}`;
}

export const duplicateKey = defineRule<NoArgs, Messages>({
  meta: { id: 'duplicate-key', defaultSeverity: 'error', category: 'structure', description: 'A key appears twice in one object.' },
  messages: {
    duplicate: (a) => `Duplicate key \`${a.key}\` in this object: JSON parsers disagree on which one counts (AWS may keep only the last one, silently dropping the first). ${merge(a.key)}.`,
  },
  /** On the later key's content, with the first key as related information. */
  check(ctx) {
    const root = ctx.model.root;
    if (!root) return;
    const stack: PolicyNode[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'array') {
        for (const c of n.children ?? []) stack.push(c);
        continue;
      }
      if (n.type !== 'object') continue;
      const seen = new Map<string, PolicyNode>();
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        if (k && k.type === 'string' && typeof k.value === 'string') {
          const first = seen.get(k.value);
          if (!first) seen.set(k.value, k);
          else {
            ctx.report({
              messageId: 'duplicate', args: { key: k.value }, span: contentSpan(ctx.model.stringOf(k)), data: {},
              related: [{ span: { offset: first.offset, length: first.length }, message: `First \`${k.value}\`` }],
            });
          }
        }
        const v = p.children?.[1];
        if (v) stack.push(v);
      }
    }
  },
});
