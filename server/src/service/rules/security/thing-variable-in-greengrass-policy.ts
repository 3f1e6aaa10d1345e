/**
 * `thing-variable-in-greengrass-policy`: thing policy variables in a policy with Greengrass
 * actions, where they do not resolve. Misspelled names are left to the variable rules.
 */
import { isThingVariable, lookupVariable } from '../../catalog';
import { contentSpan } from '../../analysis/spans';
import type { StringValue } from '../../policy/tree';
import { defineRule, type RuleMeta } from '../rule';
import { greengrassAction } from './shared';

const meta: RuleMeta = {
  id: 'thing-variable-in-greengrass-policy', defaultSeverity: 'warning', category: 'security',
  description: 'Thing policy variables in a policy with Greengrass actions, where they do not resolve.',
};

export type ThingVariableInGreengrassData = Record<string, never>;

type Messages = { unresolved: (a: { variable: string }) => string };

const messages: Messages = {
  unresolved: (a) => `\`${a.variable}\` does not resolve in a Greengrass V2 policy (AWS Greengrass does not support thing policy variables in the policies of core devices), so this resource matches nothing. Write the core device's thing name, or a prefix such as \`MyCoreDevice*\`.`,
};

export const thingVariableInGreengrassPolicy = defineRule<ThingVariableInGreengrassData, Messages>({
  meta,
  messages,
  check(ctx) {
    const { model } = ctx;
    const gg = greengrassAction(model);
    if (!gg || !model.variablesEnabled) return;
    for (const st of model.statements) {
      const strings: StringValue[] = [...(st.resource?.items ?? []), ...(st.notResource?.items ?? [])];
      for (const op of st.condition?.operators ?? []) for (const k of op.keys) for (const v of k.values) if (v.str) strings.push(v.str);
      for (const s of strings) {
        for (const v of s.variables) {
          if (v.form !== 'braces' || !isThingVariable(v.name) || !lookupVariable(v.name)) continue;
          ctx.report({ messageId: 'unresolved', args: { variable: v.text }, span: v.span, data: {}, related: [{ span: contentSpan(gg), message: 'Greengrass action in this policy' }] });
        }
      }
    }
  },
});
