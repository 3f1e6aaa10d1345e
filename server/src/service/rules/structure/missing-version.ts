/**
 * `missing-version`: no `Version`, so AWS reads the policy as `2008-10-17`, where policy variables
 * are plain text. Quiet when the policy has variables: `variables-require-2012-10-17` reports them.
 */
import { CURRENT_VERSION } from '../../catalog';
import { openerSpan } from '../../analysis/spans';
import { setVersionEdits } from '../../fixes/helpers';
import type { PolicyModel, StringValue } from '../../policy/model';
import { defineRule } from '../rule';
import type { NoArgs } from './shared';

/** True when some `${...}` will be reported by `variables-require-2012-10-17`. */
function hasLiteralVariables(model: PolicyModel): boolean {
  const v = model.versionValue?.value;
  if (model.variablesEnabled || (model.version && v !== '2008-10-17')) return false;
  const braces = (sv: StringValue | undefined): boolean => !!sv && sv.variables.some((r) => r.form === 'braces');
  return model.statements.some((st) =>
    [...(st.resource?.items ?? []), ...(st.notResource?.items ?? [])].some(braces)
    || (st.condition?.operators ?? []).some((op) => op.keys.some((k) => k.values.some((v) => braces(v.str)))));
}

export const missingVersion = defineRule<NoArgs, { missing: (a: NoArgs) => string }>({
  meta: {
    id: 'missing-version',
    defaultSeverity: 'warning',
    category: 'structure',
    description: 'No `Version`: AWS then treats the policy as 2008-10-17, where policy variables are plain text.',
  },
  messages: {
    missing: () => 'No `Version`: AWS IoT then reads the policy as version `2008-10-17`, in which policy variables such as `${iot:ClientId}` are plain text. Add `"Version": "2012-10-17"`.',
  },
  /** On the root `{`. */
  check(ctx) {
    const m = ctx.model;
    if (!m.root || m.root.type !== 'object' || m.version) return;
    if (hasLiteralVariables(m)) return;
    ctx.report({ messageId: 'missing', args: {}, span: openerSpan(m.root), data: {} });
  },
  fix(ctx) {
    const edits = setVersionEdits(ctx);
    if (!edits.length) return [];
    const title = ctx.model.version ? `Set Version to ${CURRENT_VERSION}` : `Add "Version": "${CURRENT_VERSION}"`;
    return [{ title, edits, preferred: true, safe: true }];
  },
});
