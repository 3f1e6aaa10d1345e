/**
 * `mqtt-wildcard-is-literal`: `+` or `#` in a resource, which a policy reads as a plain
 * character. A warning on `topic/` (topic names never contain them), info on `topicfilter/` (a
 * literal wildcard filter is legitimate but often a mistake). Not reported in Deny statements
 * (mqtt-wildcard-in-deny), at positions invalid-topic reports, or on resources that
 * overly-permissive reports. The fix writes the policy wildcard `*`.
 */
import { effectOf } from '../../analysis/actions';
import { broadAccess, mqttWildcardPositions, resourceRefs, topicProblems } from '../../analysis/resources';
import { wildcardToStar } from '../../fixes/helpers';
import { defineRule, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'mqtt-wildcard-is-literal', scope: 'statement', defaultSeverity: 'warning', category: 'resources',
  description: '`+` or `#` in a resource, which policies read as plain characters (warning on `topic/`, info on `topicfilter/`).',
};

export interface MqttWildcardData {
  /** `*`, the policy wildcard. */
  suggestions: string[];
}

interface Args {
  wildcard: '+' | '#';
  /** The name after `topic/` or `topicfilter/`. */
  name: string;
}

type Messages = { inTopic: (a: Args) => string; inTopicFilter: (a: Args) => string };

const messages: Messages = {
  inTopic: (a) => {
    const scope = a.wildcard === '+' ? 'value of this level' : 'topics below this level';
    return `\`${a.wildcard}\` is a literal character in a policy, and MQTT topic names never contain \`${a.wildcard}\` (publishers cannot use wildcards), so \`topic/${a.name}\` matches no message. To match any ${scope}, use the policy wildcard \`*\` (it also spans \`/\`).`;
  },
  inTopicFilter: (a) => {
    const example = a.name.replace(a.wildcard, a.wildcard === '+' ? 'level' : 'x/y');
    const scope = a.wildcard === '+' ? 'any value at this level' : 'any filter below this level';
    return `\`${a.wildcard}\` is a literal character in a policy: this resource only matches a SUBSCRIBE whose filter is literally \`${a.name}\`, not filters such as \`${example}\`. If that is what you want, keep it; to allow ${scope}, use the policy wildcard \`*\` (it also spans \`/\`).`;
  },
};

export const mqttWildcardIsLiteral = defineRule<MqttWildcardData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (effectOf(st) === 'Deny') continue;
      for (const ref of resourceRefs(ctx.model, st)) {
        if (ref.type !== 'topic' && ref.type !== 'topicfilter') continue;
        const positions = mqttWildcardPositions(ref);
        if (!positions.length || broadAccess(ctx.model, st, ref)) continue;
        const taken = ref.type === 'topicfilter' ? topicProblems(ref) : [];
        for (const at of positions) {
          if (taken.some((p) => at >= p.start && at < p.end)) continue;
          const args: Args = { wildcard: ref.value[at] as '+' | '#', name: ref.name! };
          const span = ref.spanOf(at, at + 1);
          const data = { suggestions: ['*'] };
          if (ref.type === 'topic') ctx.report({ messageId: 'inTopic', args, span, data });
          else ctx.report({ messageId: 'inTopicFilter', args, span, data, severity: 'info' });
        }
      }
    }
  },
  fix: (ctx, f) => wildcardToStar(ctx, f, f.messageId === 'inTopic'),
});
