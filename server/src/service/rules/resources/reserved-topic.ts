/**
 * `reserved-topic`: a reserved topic (`$aws/...`) used in a way AWS IoT does not serve. Only the
 * known levels of a topic are judged (a level with `*`, `?`, `+`, `#` or a template's text ends
 * the walk; `${...}` stands for a name), and only named actions (not `iot:*`) count:
 * - `typo`: a misspelled reserved level; the fix is the did-you-mean on `suggestions`;
 * - `publishToResponse`: Publish to a topic only AWS publishes to (`.../accepted`, `$aws/events/...`);
 * - `retainReserved`: RetainPublish on `$aws/` topics (one finding per statement).
 */
import { matchReservedTopic } from '../../catalog';
import { effectOf, namedActions } from '../../analysis/actions';
import { resourceRefs, type ResourceRef } from '../../analysis/resources';
import { defineRule, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'reserved-topic', scope: 'statement', defaultSeverity: 'warning', category: 'resources',
  description: 'A reserved `$aws/` topic used in a way AWS IoT does not serve: a misspelled shadow/jobs level, Publish to a topic only AWS publishes to (`.../accepted`, `.../delta`, `$aws/events/...`), RetainPublish on `$aws/` topics.',
};

export interface ReservedTopicData {
  /** `typo`: the reserved levels meant, best first. */
  suggestions?: string[];
}

type Messages = {
  typo: (a: { level: string; under: string; suggestion: string }) => string;
  publishToResponse: (a: { topic: string; description: string; requestTopic?: string }) => string;
  retainReserved: (a: { topic: string; more: number }) => string;
};

const messages: Messages = {
  typo: (a) => `\`${a.level}\` is not a level of any reserved topic under \`${a.under}\`; did you mean \`${a.suggestion}\`? AWS IoT only serves the reserved topics it documents (and topic levels are case-sensitive), so this resource matches no real message.`,
  publishToResponse: (a) => {
    const instead = a.requestTopic
      ? `Publish to the request topic \`${a.requestTopic}\` and allow \`iot:Subscribe\`/\`iot:Receive\` on this one.`
      : 'Allow `iot:Subscribe`/`iot:Receive` on it instead.';
    return `Only AWS IoT publishes to \`${a.topic}\` (${a.description}); it does not accept a device's PUBLISH there (unsupported operations on reserved topics can even end the connection), so \`iot:Publish\` on this resource grants nothing. ${instead}`;
  },
  retainReserved: (a) => {
    const more = a.more ? ` and ${a.more} more \`$aws/\` topic${a.more > 1 ? 's' : ''} of this statement` : '';
    return `AWS IoT does not accept retained messages on reserved \`$aws/\` topics (a PUBLISH with the RETAIN flag to one is refused), so \`iot:RetainPublish\` on \`${a.topic}\`${more} grants nothing. Keep retained messages on topics of your own.`;
  },
};

const RESPONSE_LEVELS: ReadonlySet<string> = new Set(['accepted', 'rejected', 'delta', 'documents']);

/** The `$aws` of a reserved topic resource. */
function awsSpan(r: ResourceRef) {
  return r.spanOf(r.nameStart!, r.nameStart! + '$aws'.length);
}

export const reservedTopic = defineRule<ReservedTopicData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      const isReserved = (r: ResourceRef): boolean => (r.type === 'topic' || r.type === 'topicfilter') && !!r.name?.startsWith('$aws/') && r.nameStart !== undefined;
      const refs = resourceRefs(ctx.model, st).filter(isReserved);
      if (!refs.length) continue;
      const allow = effectOf(st) === 'Allow';
      const named = new Set(allow ? namedActions(ctx.model, st).map((a) => a.infos[0].name) : []);
      const retained: ResourceRef[] = [];
      for (const r of refs) {
        const name = r.name!;
        const base = r.nameStart!;
        const m = matchReservedTopic(name);
        if (m.typo) {
          const t = m.typo;
          ctx.report({
            messageId: 'typo',
            args: { level: t.text, under: name.slice(0, t.start), suggestion: t.suggestions[0] },
            span: r.spanOf(base + t.start, base + t.end),
            data: { suggestions: t.suggestions },
          });
          continue;
        }
        if (r.type !== 'topic') continue;
        if (m.topic && m.topic.direction === 'subscribe' && named.has('iot:Publish')) {
          const levels = name.split('/');
          const isEvent = levels[1] === 'events';
          const at = isEvent ? '$aws/'.length : name.lastIndexOf('/') + 1;
          const end = isEvent ? at + 'events'.length : name.length;
          const requestTopic = !isEvent && RESPONSE_LEVELS.has(levels[levels.length - 1]) ? name.slice(0, name.lastIndexOf('/')) : undefined;
          const description = m.topic.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
          ctx.report({ messageId: 'publishToResponse', args: { topic: name, description, requestTopic }, span: r.spanOf(base + at, base + end), data: {} });
        }
        if (named.has('iot:RetainPublish')) retained.push(r);
      }
      if (retained.length) {
        // One finding per statement; the other `$aws/` resources are related.
        const [first, ...rest] = retained;
        ctx.report({
          messageId: 'retainReserved',
          args: { topic: first.name!, more: rest.length },
          span: awsSpan(first),
          data: {},
          related: rest.length ? rest.map((x) => ({ span: awsSpan(x), message: `\`iot:RetainPublish\` on \`${x.name}\`` })) : undefined,
        });
      }
    }
  },
});
