/**
 * `mqtt-wildcard-in-deny`: `+` or `#` in a Deny statement, where they are literal characters and
 * the Deny blocks less than intended. The fix writes `*`; for a Deny on Subscribe a second fix
 * also adds the Deny on `iot:Receive` that stops delivery on broader subscriptions.
 */
import { effectOf } from '../../analysis/actions';
import { mqttWildcardPositions, resourceRefs } from '../../analysis/resources';
import { wildcardToStar } from '../../fixes/helpers';
import { defineRule, type RuleMeta } from '../rule';
import { addReceiveDeny, MISCONFIG } from './shared';

const meta: RuleMeta = {
  id: 'mqtt-wildcard-in-deny', scope: 'statement', defaultSeverity: 'warning', category: 'security',
  description: '`+` or `#` in a Deny statement, where they are literal characters and the Deny blocks less than intended.',
  deviceDefender: { check: MISCONFIG, reason: 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT' },
};

export interface MqttWildcardInDenyData {
  /** `*`, the policy wildcard. */
  suggestions: string[];
}

interface Args {
  wildcard: '+' | '#';
  /** The name after the type word, as written. */
  name: string;
  /** A topic filter: the Deny also needs one on `iot:Receive`. */
  filter: boolean;
}

type Messages = { literalInDeny: (a: Args) => string };

const messages: Messages = {
  literalInDeny: (a) => {
    const example = a.wildcard === '#' ? a.name.replace('#', 'data1') : a.name.replace('+', 'device1');
    const receive = a.filter ? ', and also deny `iot:Receive` on the matching `topic/` ARN' : '';
    return `\`${a.wildcard}\` is a literal character in a policy, so this Deny only blocks the resource literally named \`${a.name}\`; \`${example}\` is still allowed wherever an Allow covers it. Use the policy wildcard \`*\`${receive} (Device Defender audit check \`${MISCONFIG}\`, reason \`POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT\`).`;
  },
};

export const mqttWildcardInDeny = defineRule<MqttWildcardInDenyData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (effectOf(st) !== 'Deny') continue;
      for (const ref of resourceRefs(ctx.model, st)) {
        for (const at of mqttWildcardPositions(ref)) {
          ctx.report({
            messageId: 'literalInDeny',
            args: { wildcard: ref.value[at] as '+' | '#', name: ref.name ?? '', filter: ref.type === 'topicfilter' },
            span: ref.spanOf(at, at + 1),
            data: { suggestions: ['*'] },
          });
        }
      }
    }
  },
  fix(ctx, f) {
    const star = wildcardToStar(ctx, f, true);
    if (!star.length) return star;
    const receive = addReceiveDeny(ctx, f, [], false);
    if (!receive.length) return star;
    const edits = [...star[0].edits, ...receive[0].edits];
    const also = `${receive[0].title[0].toLowerCase()}${receive[0].title.slice(1)}`;
    return [...star, { title: `${star[0].title}, and ${also}`, edits }];
  },
});
