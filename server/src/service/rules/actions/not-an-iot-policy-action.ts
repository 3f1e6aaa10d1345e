/**
 * `not-an-iot-policy-action`: a real AWS action that has no effect in an IoT policy (a
 * control-plane `iot:` action, another service's action). The fix removes it from the list.
 */
import { AWS_SERVICE_NAMES, OTHER_AWS_SERVICE_PREFIXES } from '../../catalog';
import { spanText, statementAt } from '../../fixes/helpers';
import { defineRule, familyCheck } from '../rule';
import { actionReports, type NotAnIotPolicyActionArgs, type NotAnIotPolicyActionData } from './classify';

type Messages = { [K in keyof NotAnIotPolicyActionArgs]: (a: NotAnIotPolicyActionArgs[K]) => string };

const DATA_PLANE = 'IoT policies authorise only the data plane (connecting, MQTT, shadows, jobs, retained messages, credentials)';

function list(names: string[], max: number): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``).join(', ');
  return names.length > max ? `${shown}, ...` : shown;
}

const messages: Messages = {
  controlPattern: (a) => `\`${a.name}\` matches only AWS IoT control-plane (IAM) actions, such as ${list(a.matches, 2)}: ${DATA_PLANE}, so this has no effect here. Put control-plane actions in an IAM policy, or remove this.`,
  otherPattern: (a) => `\`${a.name}\` matches only actions of another service (\`${a.prefix}:\`): an IoT policy evaluates only \`iot:\`, \`iotjobsdata:\` and \`greengrass:\` actions, so it has no effect here. Remove it.`,
  control: (a) => `\`${a.name}\` is an AWS IoT control-plane (IAM) action: ${DATA_PLANE}, so it has no effect here. Put it in an IAM policy, or remove it.`,
  greengrassControl: (a) => `\`${a.name}\` is not one of the Greengrass data-plane actions an IoT policy authorises (such as \`greengrass:Discover\`, \`greengrass:ResolveComponentCandidates\`), so it has no effect here. Greengrass control-plane actions belong in an IAM policy: put it there, or remove it.`,
  otherService: (a) => {
    const lower = a.prefix.toLowerCase();
    const service = AWS_SERVICE_NAMES[lower];
    const what = OTHER_AWS_SERVICE_PREFIXES.has(lower) ? `an action of ${service ?? `another AWS service (\`${a.prefix}\`)`}` : `not an IoT action (\`${a.prefix}:\`)`;
    return `\`${a.name}\` is ${what}: an IoT policy evaluates only \`iot:\`, \`iotjobsdata:\` and \`greengrass:\` actions, so it has no effect here. Put it in an IAM policy (for example the role of an IoT rule action), or remove it.`;
  },
};

export const notAnIotPolicyAction = defineRule<NotAnIotPolicyActionData, Messages>({
  meta: {
    id: 'not-an-iot-policy-action', scope: 'statement',
    defaultSeverity: 'warning',
    category: 'actions',
    description: 'A real AWS action that has no effect in an IoT policy: control-plane `iot:` actions and other services\' actions.',
  },
  messages,
  check: familyCheck(actionReports, 'not-an-iot-policy-action'),
  /** Removes the action from a list that has others (a statement without actions would be invalid). */
  fix(ctx, f) {
    const st = statementAt(ctx.model, f.span);
    const inItem = (i: { span: { offset: number; length: number } }) => i.span.offset <= f.span.offset && f.span.offset <= i.span.offset + i.span.length;
    const list = st && [st.action, st.notAction].find((l) => l?.items.some(inItem));
    if (!st || !list || !list.isArray || list.items.length < 2) return [];
    const item = list.items.find(inItem);
    const edits = item ? ctx.writer.removeItem(item.node) : [];
    return edits.length ? [{ title: `Remove '${item!.value || spanText(ctx, f.span)}' from this policy`, edits }] : [];
  },
});
