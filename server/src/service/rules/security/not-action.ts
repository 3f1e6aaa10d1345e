/**
 * `not-action`: `NotAction`, which AWS does not document for IoT policies and which covers every
 * action it does not list. Reported on the key; no fix (the actions meant are not known).
 */
import { effectOf } from '../../analysis/actions';
import { contentSpan } from '../../analysis/spans';
import { defineRule, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'not-action', scope: 'statement', defaultSeverity: 'warning', category: 'security',
  description: '`NotAction`, which AWS does not document for IoT policies and which covers every action it does not list.',
};

export type NotActionData = Record<string, never>;

type Messages = { inAllow: () => string; inDeny: () => string };

const undocumented = (consequence: string): string =>
  `\`NotAction\` is not documented for AWS IoT policies (AWS's IoT policy examples only use \`Action\`), so AWS IoT may not honour it as IAM does; ${consequence}. List the actions in \`Action\` instead.`;

const messages: Messages = {
  inAllow: () => undocumented('in an Allow it would allow every action it does not list'),
  inDeny: () => undocumented('in a Deny it would deny every action it does not list, usually far more than intended'),
};

export const notAction = defineRule<NotActionData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (!st.notAction) continue;
      const messageId = effectOf(st) === 'Deny' ? 'inDeny' : 'inAllow';
      ctx.report({ messageId, args: undefined, span: contentSpan(st.notAction.prop.keyValue), data: {} });
    }
  },
});
