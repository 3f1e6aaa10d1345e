/**
 * `variables-require-2012-10-17`: a `${...}` in a resource or condition value while `Version` is
 * missing or `2008-10-17`, where AWS does not substitute variables. One finding per policy: on the
 * Version value (or, without Version, on the first variable), every variable as related
 * information. The fix sets the Version.
 */
import { CURRENT_VERSION } from '../../catalog';
import { contentSpan } from '../../analysis/spans';
import { setVersionEdits } from '../../fixes/helpers';
import type { VariableRef } from '../../policy/tree';
import { defineRule } from '../rule';
import { knownReferences, placedVariableStrings, type NoData } from './classify';

interface Args {
  /** How many variables; the first two distinct texts; whether there are others than those shown. */
  count: number;
  shown: string[];
  more: boolean;
}

type Messages = { oldVersion: (a: Args) => string; noVersion: (a: Args) => string };

function examples(a: Args): string {
  return `${a.more ? 'such as ' : ''}${a.shown.map((t) => `\`${t}\``).join(', ')}`;
}

/** `the policy variable ... is`, `3 policy variables ... are`. */
function plainText(a: Args): string {
  const which = a.count === 1 ? 'the policy variable' : `${a.count} policy variables`;
  return `${which} in this policy (${examples(a)}) ${a.count === 1 ? 'is' : 'are'} plain text`;
}

const NO_VERSION = 'the policy has no `Version`, so AWS reads it as `2008-10-17`, which does not substitute policy variables';

const messages: Messages = {
  oldVersion: (a) => `\`"Version": "2008-10-17"\` does not substitute policy variables: ${plainText(a)}. Set \`"Version": "2012-10-17"\`.`,
  noVersion: (a) => {
    const sentence = plainText(a);
    return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}: ${NO_VERSION}. Add \`"Version": "2012-10-17"\`.`;
  },
};

export const variablesRequire20121017 = defineRule<NoData, Messages>({
  meta: {
    id: 'variables-require-2012-10-17',
    defaultSeverity: 'error',
    category: 'variables',
    description: 'A `${...}` variable while `Version` is missing or `2008-10-17`, where it is plain text.',
  },
  messages,
  check(ctx) {
    const m = ctx.model;
    if (m.variablesEnabled) return;
    const vv = m.versionValue;
    if (m.version && vv?.value !== '2008-10-17') return; // invalid-version / invalid-value-type
    const refs: VariableRef[] = [];
    for (const placed of placedVariableStrings(m)) {
      if (placed.place !== 'Resource' && placed.place !== 'NotResource' && placed.place !== 'condition-value') continue;
      for (const ref of knownReferences(placed.sv)) if (ref.form === 'braces') refs.push(ref);
    }
    if (!refs.length) return;
    refs.sort((a, b) => a.span.offset - b.span.offset);
    const distinct = [...new Set(refs.map((r) => r.text))];
    const args: Args = { count: refs.length, shown: distinct.slice(0, 2), more: refs.length > Math.min(2, distinct.length) };
    const related = (vv ? refs : refs.slice(1)).map((r) => ({ span: r.span, message: `\`${r.text}\` stays plain text` }));
    if (vv) ctx.report({ messageId: 'oldVersion', args, span: contentSpan(vv), data: {}, related });
    else ctx.report({ messageId: 'noVersion', args, span: refs[0].span, data: {}, related });
  },
  fix(ctx) {
    const edits = setVersionEdits(ctx);
    if (!edits.length) return [];
    return [{ title: `Set Version to ${CURRENT_VERSION} so that policy variables are substituted`, edits, preferred: true, safe: true }];
  },
});
