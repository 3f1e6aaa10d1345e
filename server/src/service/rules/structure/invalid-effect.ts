/** `invalid-effect`: an `Effect` other than exactly `Allow` or `Deny`, which AWS rejects. */
import { EFFECTS } from '../../catalog';
import { contentSpan, fitToContent } from '../../analysis/spans';
import { dataOf, spanText, suggestionsOf } from '../../fixes/helpers';
import { suggestionFixes } from '../../fixes/suggestions';
import { invisibleNote } from '../../text/chars';
import { editDistance } from '../../text/distance';
import { defineRule, type SuggestionData } from '../rule';

const VALID: readonly string[] = EFFECTS;

interface Args {
  /** `allow`, `DENY`: right but for the case. */
  caseOnly: { value: string; suggestion: string };
  invalid: { value: string; suggestion?: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const messages: Messages = {
  caseOnly: (a) => `\`Effect\` is \`${a.value}\`, but AWS accepts only exactly \`Allow\` or \`Deny\` (case-sensitive) and rejects the policy. Write \`${a.suggestion}\`.${invisibleNote(a.value)}`,
  invalid: (a) => {
    const written = a.value === '' ? 'empty' : `\`${a.value}\``;
    const advice = a.suggestion ? `Did you mean \`${a.suggestion}\`?` : 'Write `Allow` or `Deny`.';
    return `\`Effect\` is ${written}: it must be exactly \`Allow\` or \`Deny\`, and AWS rejects other values. ${advice}`;
  },
};

/** Lower is closer; a candidate with the same first letter wins a tie. */
function score(lower: string, candidate: string): number {
  const c = candidate.toLowerCase();
  if (lower === c) return -2;
  if (lower && c.startsWith(lower.slice(0, 1))) return editDistance(lower, c) - 0.5;
  return editDistance(lower, c);
}

export const invalidEffect = defineRule<Required<SuggestionData>, Messages>({
  meta: { id: 'invalid-effect', scope: 'statement', defaultSeverity: 'error', category: 'structure', description: '`Effect` other than exactly `Allow` or `Deny`.' },
  messages,
  /** On the Effect string's content; `suggestions` are `Allow` and `Deny`, closest first. */
  check(ctx) {
    for (const st of ctx.model.statements) {
      const e = st.effectValue;
      if (!e || VALID.includes(e.value)) continue;
      // policy-variable-not-allowed-here explains a variable; a template value could be anything.
      if (e.variables.length > 0 || e.opaque.length > 0) continue;
      const lower = e.value.trim().toLowerCase();
      const ranked = lower === '' ? [...VALID] : [...VALID].sort((a, b) => score(lower, a) - score(lower, b));
      const caseOnly = ranked.find((x) => x.toLowerCase() === lower);
      const data = { suggestions: fitToContent(e, ranked) };
      if (caseOnly) ctx.report({ messageId: 'caseOnly', args: { value: e.value, suggestion: caseOnly }, span: contentSpan(e), data });
      else ctx.report({ messageId: 'invalid', args: { value: e.value, suggestion: lower === '' ? undefined : ranked[0] }, span: contentSpan(e), data });
    }
  },
  /** A case-only mistake is fixed safely; otherwise `Allow` and `Deny` are offered, neither preferred. */
  fix(ctx, f) {
    const current = spanText(ctx, f.span).trim().toLowerCase();
    const sugg = suggestionsOf(f).length ? suggestionsOf(f) : ['Allow', 'Deny'];
    const caseOnly = sugg.find((s) => s.toLowerCase() === current);
    const ordered = caseOnly ? [caseOnly, ...sugg.filter((s) => s !== caseOnly)] : sugg;
    return suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: ordered } }, {
      safe: () => !!caseOnly,
      preferred: () => !!caseOnly,
      title: (s) => `Set Effect to '${s.replace(/^"(.*)"$/, '$1')}'`,
    });
  },
});
