/**
 * `invalid-topic`: a topic part no MQTT client can use: `#` not last or not alone in its level,
 * `+` not alone in its level, more than 7 slashes, more than 256 bytes. The catalogue words the
 * problem; in `topic/` resources a `+` or `#` is left to mqtt-wildcard-is-literal.
 */
import { resourceRefs, topicProblems } from '../../analysis/resources';
import { defineRule, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'invalid-topic', scope: 'statement', defaultSeverity: 'warning', category: 'resources',
  description: 'A topic part no MQTT client can use: `#` not last or not alone in its level, `+` not alone in its level, more than 7 slashes, more than 256 bytes.',
};

export type InvalidTopicData = Record<string, never>;

interface Args {
  kind: 'topic' | 'topic filter';
  /** The catalogue's wording of the problem (`has 8 slashes: ...`). */
  problem: string;
}

type Messages = { misplacedWildcard: (a: Args) => string; limit: (a: Args) => string; invalid: (a: Args) => string };

const unusable = (a: Args): string => `so no client can use a ${a.kind} that matches this.`;

const messages: Messages = {
  misplacedWildcard: (a) => `This ${a.kind} is invalid: ${a.problem}; MQTT rejects such a filter, so no client can subscribe with it and this resource matches nothing.`,
  limit: (a) => `This ${a.kind} ${a.problem}, ${unusable(a)}`,
  invalid: (a) => `This ${a.kind} is invalid: ${a.problem}, ${unusable(a)}`,
};

export const invalidTopic = defineRule<InvalidTopicData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      for (const ref of resourceRefs(ctx.model, st)) {
        for (const p of topicProblems(ref)) {
          const misplaced = p.message.startsWith('`#`') || p.message.startsWith('`+`');
          if (misplaced && ref.type === 'topic') continue;
          const args: Args = { kind: ref.type === 'topicfilter' ? 'topic filter' : 'topic', problem: p.message };
          const limit = p.message.startsWith('has') || p.message.startsWith('is');
          const messageId = misplaced ? 'misplacedWildcard' : limit ? 'limit' : 'invalid';
          ctx.report({ messageId, args, span: ref.spanOf(p.start, p.end), data: {} });
        }
      }
    }
  },
});
