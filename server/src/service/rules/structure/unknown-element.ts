/**
 * `unknown-element`: a key IoT policies do not have, at the top level or in a statement (statements
 * under a misspelled `Statement` key included, so that renaming the key reveals nothing new), or
 * an element at the wrong level. The fix renames a near miss.
 */
import { keyContentSpan } from '../../analysis/spans';
import { damagedBetween } from '../../analysis/syntax';
import { dataOf, suggestionsOf } from '../../fixes/helpers';
import { suggestionFixes } from '../../fixes/suggestions';
import type { FixContext } from '../../fixes/types';
import type { Property, Span } from '../../policy/model';
import { invisibleNote } from '../../text/chars';
import { defineRule, type SuggestionData } from '../rule';
import { PRINCIPALS, STATEMENT_SET, TOP_SET, elementSuggestions, isOpaque, rawProps } from './shared';

interface Args {
  /** A statement element (or a near miss of one, `element`) at the top level. */
  misplacedAtTop: { key: string; element: string };
  unknownAtTop: { key: string; suggestion?: string };
  /** `Version` or `Statement` inside a statement. */
  misplacedInStatement: { key: string };
  unknownInStatement: { key: string; suggestion?: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const POLICY_HAS = 'has only `Version`, `Statement` (and the optional `Id`); AWS rejects other keys';
const STATEMENT_HAS = 'a statement has `Effect`, `Action`, `Resource`, and optionally `Condition` and `Sid`';

const messages: Messages = {
  misplacedAtTop: (a) => {
    const what = a.element === a.key ? `\`${a.key}\`` : `\`${a.key}\` looks like \`${a.element}\`, which`;
    return `${what} belongs inside a statement, not at the top level of the policy, where AWS rejects it. Put it in a \`Statement\` object: \`"Statement": [{"Effect": ..., "Action": ..., "Resource": ...}]\`.${invisibleNote(a.key)}`;
  },
  unknownAtTop: (a) => (a.suggestion
    ? `Unknown top-level element \`${a.key}\`. Did you mean \`${a.suggestion}\`? A policy ${POLICY_HAS}.${invisibleNote(a.key)}`
    : `Unknown top-level element \`${a.key}\`: a policy ${POLICY_HAS}. Remove it.${invisibleNote(a.key)}`),
  misplacedInStatement: (a) => `\`${a.key}\` belongs at the top level of the policy, not inside a statement, where AWS rejects it. Move it next to \`Statement\`.`,
  unknownInStatement: (a) => (a.suggestion
    ? `Unknown statement element \`${a.key}\`. Did you mean \`${a.suggestion}\`? Element names are case-sensitive; ${STATEMENT_HAS}, and AWS rejects other keys.${invisibleNote(a.key)}`
    : `Unknown statement element \`${a.key}\`: ${STATEMENT_HAS} (\`NotAction\`/\`NotResource\` also parse); AWS rejects other keys. Remove it.${invisibleNote(a.key)}`),
};

/** The keys of the object that holds the key at `span`. */
function siblingKeys(ctx: FixContext, span: Span): Set<string> {
  const m = ctx.model;
  const inKey = (p: Property): boolean => p.keySpan.offset <= span.offset && span.offset < p.keySpan.offset + p.keySpan.length;
  const props = [m.topProps, ...m.statements.map((st) => st.props)].find((ps) => ps.some(inKey));
  return new Set((props ?? []).map((p) => p.key));
}

export const unknownElement = defineRule<Required<SuggestionData>, Messages>({
  meta: { id: 'unknown-element', defaultSeverity: 'error', category: 'structure', description: 'A key IoT policies do not have, at the top level or in a statement.' },
  messages,
  /** On the key's content; `suggestions` are element names for it. */
  check(ctx) {
    const m = ctx.model;
    for (const p of m.topProps) {
      if (TOP_SET.has(p.key) || PRINCIPALS.has(p.key)) continue;
      // A key that is only at the top level because a syntax error above it closed an object early.
      if (m.root && damagedBetween(m, m.root.offset, p.keySpan.offset)) continue;
      const sugg = elementSuggestions(p.key, 'top');
      const element = STATEMENT_SET.has(p.key) ? p.key : sugg.length ? undefined : elementSuggestions(p.key, 'statement')[0];
      if (element) {
        ctx.report({ messageId: 'misplacedAtTop', args: { key: p.key, element }, span: keyContentSpan(p), data: { suggestions: [] } });
      } else {
        ctx.report({ messageId: 'unknownAtTop', args: { key: p.key, suggestion: sugg[0] }, span: keyContentSpan(p), data: { suggestions: sugg } });
      }
    }
    const stray: { props: Property[] }[] = [];
    if (!m.statementProp) {
      const misspelled = m.topProps.find((p) => elementSuggestions(p.key, 'top')[0] === 'Statement');
      const v = misspelled?.value;
      const nodes = v?.type === 'array' ? (v.children ?? []) : v?.type === 'object' ? [v] : [];
      for (const n of nodes) if (n.type === 'object') stray.push({ props: rawProps(m, n) });
    }
    for (const st of [...m.statements.filter((x) => !isOpaque(x.node)), ...stray]) {
      const start = st.props[0]?.node.parent?.offset ?? 0;
      for (const p of st.props) {
        if (STATEMENT_SET.has(p.key) || PRINCIPALS.has(p.key)) continue;
        if (damagedBetween(m, start, p.keySpan.offset)) continue;
        if (TOP_SET.has(p.key)) {
          ctx.report({ messageId: 'misplacedInStatement', args: { key: p.key }, span: keyContentSpan(p), data: { suggestions: [] } });
          continue;
        }
        const sugg = elementSuggestions(p.key, 'statement');
        ctx.report({ messageId: 'unknownInStatement', args: { key: p.key, suggestion: sugg[0] }, span: keyContentSpan(p), data: { suggestions: sugg } });
      }
    }
  },
  /** Renames the key, unless the object already has the new name (that would make a duplicate key). */
  fix(ctx, f) {
    const sugg = suggestionsOf(f);
    const siblings = siblingKeys(ctx, f.span);
    const usable = sugg.filter((s) => !siblings.has(s));
    if (!usable.length) return [];
    return suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: usable } }, {
      safe: (_c, _f, s) => s.length === 1 && sugg.length === 1,
      preferred: (_c, _f, s) => s.length === 1,
      title: (s, cur) => `Rename '${cur}' to '${s}'`,
    });
  },
});
