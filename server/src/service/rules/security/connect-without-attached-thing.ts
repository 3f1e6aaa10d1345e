/**
 * `connect-without-attached-thing`: Connect on a thing-variable client ID without the
 * `iot:Connection.Thing.IsAttached` condition. Reported on the variable; the fix adds the
 * condition to the statement. Greengrass policies are left to thing-variable-in-greengrass-policy.
 */
import { isThingVariable, lookupVariable } from '../../catalog';
import { requiresAttachedThing, resourceRefs } from '../../analysis/resources';
import { conditionChanges, hasIsAttached, IS_ATTACHED_CONDITION, statementAt } from '../../fixes/helpers';
import { defineRule, type RuleMeta } from '../rule';
import { allowStatements, greengrassAction } from './shared';

const meta: RuleMeta = {
  id: 'connect-without-attached-thing', defaultSeverity: 'info', category: 'security',
  description: 'Connect on a thing-variable client ID without the `iot:Connection.Thing.IsAttached` condition.',
};

export type ConnectWithoutAttachedThingData = Record<string, never>;

type Messages = { noCondition: (a: { name: string }) => string };

const messages: Messages = {
  noCondition: (a) => `\`iot:Connect\` on \`client/${a.name}\` has no \`"Bool": {"iot:Connection.Thing.IsAttached": "true"}\` condition. AWS's recommended (and Device Defender-compliant) form adds it, so that only a certificate attached to that thing can connect.`,
};

export const connectWithoutAttachedThing = defineRule<ConnectWithoutAttachedThingData, Messages>({
  meta,
  messages,
  check(ctx) {
    const { model } = ctx;
    if (!model.variablesEnabled || greengrassAction(model)) return;
    for (const st of allowStatements(model, 'iot:Connect')) {
      if (!st.resource || requiresAttachedThing(st)) continue;
      for (const ref of resourceRefs(model, st)) {
        const nameStart = ref.nameStart;
        if (ref.type !== 'client' || nameStart === undefined) continue;
        const v = ref.item.variables.find((x) => x.form === 'braces' && isThingVariable(x.name) && !!lookupVariable(x.name) && x.start >= nameStart);
        if (v) ctx.report({ messageId: 'noCondition', args: { name: ref.name! }, span: v.span, data: {} });
      }
    }
  },
  fix(ctx, f) {
    const st = statementAt(ctx.model, f.span);
    if (!st || hasIsAttached(st)) return [];
    const changes = conditionChanges(st, IS_ATTACHED_CONDITION);
    const edits = changes ? ctx.writer.editStatement(st, [], changes) : [];
    if (!edits.length) return [];
    return [{ title: 'Add the condition "Bool": {"iot:Connection.Thing.IsAttached": "true"}', edits, preferred: true, safe: true }];
  },
});
