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
  meta: { id: 'duplicate-key', scope: 'statement', defaultSeverity: 'error', category: 'structure', description: 'A key appears twice in one object.' },
  messages: {
    duplicate: (a) => `Duplicate key \`${a.key}\` in this object: JSON parsers disagree on which one counts (AWS may keep only the last one, silently dropping the first). ${merge(a.key)}.`,
  },
  /** On the later key's content, with the first key as related information. */
  check(ctx) {
    const m = ctx.model;
    if (!m.root) return;
    const report = (k: PolicyNode, first: PolicyNode): void => ctx.report({
      messageId: 'duplicate', args: { key: k.value as string }, span: contentSpan(m.stringOf(k)), data: {},
      related: [{ span: { offset: first.offset, length: first.length }, message: `First \`${k.value as string}\`` }],
    });
    // Each statement, then the rest of the document without its statements (so that the rule
    // reads one statement at a time); all of it at once when statements were left out.
    if (m.omittedStatements) {
      walk(m.root, undefined, report);
      return;
    }
    if (m.part !== 'rest') for (const st of m.statements) walk(st.node, undefined, report);
    if (m.part !== 'statements') walk(m.root, m.statementProp?.value, report);
  },
});

/**
 * Reports the repeated keys of every object under `root`, except under `statements` (the value of
 * `Statement`: an array of statements, whose items are skipped, or one statement).
 */
function walk(root: PolicyNode, statements: PolicyNode | undefined, report: (k: PolicyNode, first: PolicyNode) => void): void {
  if (root === statements) return;
  const stack: PolicyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'array') {
      if (n !== statements) for (const c of n.children ?? []) stack.push(c);
      continue;
    }
    if (n.type !== 'object') continue;
    const props = n.children ?? [];
    // A few keys (as in every policy object) are compared in place; many are looked up.
    const seen = props.length > 16 ? new Map<string, PolicyNode>() : undefined;
    for (let i = 0; i < props.length; i++) {
      const k = props[i].children?.[0];
      if (k && k.type === 'string' && typeof k.value === 'string') {
        const first = seen ? seen.get(k.value) : firstKey(props, i, k.value);
        if (first) report(k, first);
        else seen?.set(k.value, k);
      }
      const v = props[i].children?.[1];
      if (v && v !== statements) stack.push(v);
    }
  }
}

/** The first key before property `i` named `name`. */
function firstKey(props: PolicyNode[], i: number, name: string): PolicyNode | undefined {
  for (let j = 0; j < i; j++) {
    const k = props[j].children?.[0];
    if (k && k.type === 'string' && k.value === name) return k;
  }
  return undefined;
}
