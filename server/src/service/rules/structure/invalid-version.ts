/** `invalid-version`: a `Version` other than `2012-10-17` or `2008-10-17`, which AWS rejects. */
import { CURRENT_VERSION, POLICY_VERSIONS } from '../../catalog';
import { contentSpan, fitToContent } from '../../analysis/spans';
import { suggestionsOf } from '../../fixes/helpers';
import { invisibleNote } from '../../text/chars';
import { defineRule, type SuggestionData } from '../rule';

const VERSIONS: readonly string[] = POLICY_VERSIONS;

interface InvalidArgs {
  value: string;
  suggestion: string;
  /** A date that is not a policy version (the day the policy was written, say). */
  looksLikeDate: boolean;
}

type Messages = { invalid: (a: InvalidArgs) => string };

function invalidMessage(a: InvalidArgs): string {
  const written = a.value === '' ? 'empty' : `\`${a.value}\``;
  const date = a.looksLikeDate ? ' (it is not the date you wrote the policy)' : '';
  return `\`Version\` is ${written}: the policy language has only \`2012-10-17\` (current) and \`2008-10-17\`${date}, and AWS rejects other values. Use \`${a.suggestion}\`.${invisibleNote(a.value)}`;
}

export const invalidVersion = defineRule<Required<SuggestionData>, Messages>({
  meta: { id: 'invalid-version', defaultSeverity: 'error', category: 'structure', description: '`Version` other than `2012-10-17` or `2008-10-17`.' },
  messages: { invalid: invalidMessage },
  /** On the Version string's content; `suggestions` replace it. */
  check(ctx) {
    const v = ctx.model.versionValue;
    if (!v || VERSIONS.includes(v.value)) return;
    // policy-variable-not-allowed-here explains a variable; a template value could be anything.
    if (v.variables.length > 0 || v.opaque.length > 0) return;
    const trimmed = v.value.trim();
    const near = VERSIONS.includes(trimmed) ? [trimmed] : [];
    const suggestions = [...near, ...[CURRENT_VERSION].filter((x) => !near.includes(x))];
    const looksLikeDate = near.length === 0 && /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
    ctx.report({
      messageId: 'invalid',
      args: { value: v.value, suggestion: suggestions[0], looksLikeDate },
      span: contentSpan(v),
      data: { suggestions: fitToContent(v, suggestions) },
    });
  },
  fix(ctx, f) {
    const sugg = suggestionsOf(f);
    return (sugg.length ? sugg : [CURRENT_VERSION]).slice(0, 2).map((s, i) => ({
      title: `Set Version to ${s.replace(/^"(.*)"$/, '$1')}`,
      edits: [ctx.writer.replaceSpan(f.span, s)],
      preferred: i === 0,
      safe: i === 0,
    }));
  },
});
