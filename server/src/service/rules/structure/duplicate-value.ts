/**
 * `duplicate-value`: the same action (names ignore case) or resource listed twice in one
 * statement. On the later one's content, with the first as related information; the fix removes it.
 */
import { contentSpan } from '../../analysis/spans';
import { spanText, stringAt } from '../../fixes/helpers';
import type { StringValue } from '../../policy/model';
import { defineRule } from '../rule';
import type { NoArgs } from './shared';

interface DuplicateArgs {
  value: string;
  element: string;
  /** The first one, when it is written in another case. */
  firstAs?: string;
}

type Messages = { duplicate: (a: DuplicateArgs) => string };

const LISTS: readonly (readonly ['action' | 'notAction' | 'resource' | 'notResource', string, boolean])[] = [
  ['action', 'Action', true], ['notAction', 'NotAction', true], ['resource', 'Resource', false], ['notResource', 'NotResource', false],
];

export const duplicateValue = defineRule<NoArgs, Messages>({
  meta: { id: 'duplicate-value', scope: 'statement', defaultSeverity: 'info', category: 'structure', description: 'The same action or resource listed twice in one statement.' },
  messages: {
    duplicate: (a) => {
      const otherCase = a.firstAs !== undefined ? ` as \`${a.firstAs}\` (action names ignore case)` : '';
      return `\`${a.value}\` is already listed in this statement's \`${a.element}\`${otherCase}. Remove the duplicate.`;
    },
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      for (const [key, element, ignoreCase] of LISTS) {
        const list = st[key];
        if (!list || list.items.length < 2) continue;
        const seen = new Map<string, StringValue>();
        for (const item of list.items) {
          // Two template values that read the same (`iot:*`) may still differ at deploy.
          if (item.value.length === 0 || item.opaque.length > 0) continue;
          const key = ignoreCase ? item.value.toLowerCase() : item.value;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, item);
            continue;
          }
          const firstAs = first.value === item.value ? undefined : first.value;
          ctx.report({
            messageId: 'duplicate', args: { value: item.value, element, firstAs }, span: contentSpan(item), data: {},
            related: [{ span: contentSpan(first), message: 'First listed here' }],
            tags: ['unnecessary'],
          });
        }
      }
    }
  },
  fix(ctx, f) {
    const sv = stringAt(ctx.model, f.span);
    const edits = sv ? ctx.writer.removeItem(sv.node) : [];
    return edits.length ? [{ title: `Remove the duplicate ${spanText(ctx, f.span)}`, edits, preferred: true, safe: true }] : [];
  },
});
