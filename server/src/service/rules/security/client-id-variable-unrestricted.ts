/**
 * `client-id-variable-unrestricted`: `${iot:ClientId}` in a topic or topic filter while Connect
 * allows any client ID, so a client can connect as `+` or `#` (or as another device). The fix is
 * the did-you-mean: the thing-name variable.
 */
import { THING_NAME_REF } from '../../catalog';
import { effectOf } from '../../analysis/actions';
import { literalResources, requiresAttachedThing, resourceRefs, restrictsClientId, refTokens, type ResourceRef } from '../../analysis/resources';
import { textCertainlyUnmatched } from '../../match/prefilter';
import { matchWildcard } from '../../match/wildcard';
import type { PolicyModel } from '../../policy/model';
import { defineRule, type RuleMeta } from '../rule';
import { allowStatements } from './shared';

const meta: RuleMeta = {
  id: 'client-id-variable-unrestricted', defaultSeverity: 'warning', category: 'security',
  description: '`${iot:ClientId}` in a topic or topic filter while Connect allows any client ID, so a client can connect as `+` or `#`.',
};

export interface ClientIdVariableData {
  /** The thing-name variable, for `${iot:ClientId}`. */
  suggestions: string[];
}

type Messages = {
  inTopicFilter: (a: { name: string }) => string;
  inTopic: () => string;
};

const unrestricted = (consequence: string): string =>
  `\`\${iot:ClientId}\` is whatever client ID the device connects with, and \`iot:Connect\` here allows any client ID, so ${consequence}. Restrict Connect (e.g. \`client/${THING_NAME_REF}\` with \`iot:Connection.Thing.IsAttached\`) or use \`${THING_NAME_REF}\` here.`;

const messages: Messages = {
  inTopicFilter: (a) => unrestricted(`a client can connect as \`#\` and this resource becomes \`topicfilter/${a.name.split('${iot:ClientId}').join('#')}\`, a subscription to every device's topics`),
  inTopic: () => unrestricted('a client can connect with another device\'s client ID and use that device\'s topics'),
};

/** A resource of an Allow-Connect statement that lets a client connect with any client ID (`#`, `+`, ...). */
function unrestrictedConnect(model: PolicyModel): ResourceRef | undefined {
  for (const st of allowStatements(model, 'iot:Connect')) {
    if (!st.resource || requiresAttachedThing(st) || restrictsClientId(st)) continue;
    for (const ref of literalResources(model, st)) {
      if (model.variablesEnabled && ref.type === 'client' && ref.name === '${iot:ClientId}') return ref;
      if (textCertainlyUnmatched(ref.resourcePart, 'client/#') || textCertainlyUnmatched(ref.resourcePart, 'client/+')) continue;
      const tokens = refTokens(model, ref);
      if (matchWildcard(tokens, 'client/#') && matchWildcard(tokens, 'client/+')) return ref;
    }
  }
  return undefined;
}

export const clientIdVariableUnrestricted = defineRule<ClientIdVariableData, Messages>({
  meta,
  messages,
  check(ctx) {
    const { model } = ctx;
    if (!model.variablesEnabled) return;
    let connect: ResourceRef | undefined | null = null;
    for (const st of model.statements) {
      if (effectOf(st) !== 'Allow') continue;
      for (const ref of resourceRefs(model, st)) {
        if ((ref.type !== 'topic' && ref.type !== 'topicfilter') || ref.nameStart === undefined) continue;
        for (const v of ref.item.variables) {
          if (v.form !== 'braces' || v.name !== 'iot:ClientId' || v.start < ref.nameStart) continue;
          if (connect === null) connect = unrestrictedConnect(model);
          if (!connect) return;
          const related = [{ span: connect.span, message: 'this Connect resource allows any client ID' }];
          const data = { suggestions: [THING_NAME_REF] };
          if (ref.type === 'topicfilter') ctx.report({ messageId: 'inTopicFilter', args: { name: ref.name! }, span: v.span, data, related });
          else ctx.report({ messageId: 'inTopic', args: undefined, span: v.span, data, related });
        }
      }
    }
  },
});
