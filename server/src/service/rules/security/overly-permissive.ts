/**
 * `overly-permissive`: the Device Defender overly-permissive patterns. On an action: `*`/`iot:*`
 * (`allActions`; `allActionsNarrow`/`allActionsNone` when the resources are narrow), or an Allow
 * with `NotAction` (`notAction`). On a resource that gives a fleet-sensitive action access to every
 * device (`analysis/resources.ts` `broadAccess`): one message per kind. The fix scopes the
 * resource to the connected thing (`client/*` also gets the IsAttached condition).
 */
import { findAction, IOT_POLICY_ACTIONS, THING_NAME_REF, type ResourceType } from '../../catalog';
import { actionMatches, effectOf } from '../../analysis/actions';
import { broadAccess, coversType, resourceRefs, type BroadKind } from '../../analysis/resources';
import { contentSpan } from '../../analysis/spans';
import { conditionChanges, hasIsAttached, IS_ATTACHED_CONDITION, spanText, statementFor, suggestionsOf } from '../../fixes/helpers';
import type { PolicyModel, StatementModel } from '../../policy/model';
import { defineRule, type RuleContext, type RuleMeta } from '../rule';
import { grantsAllIotActions, OVERLY_PERMISSIVE } from './shared';

const meta: RuleMeta = {
  id: 'overly-permissive', scope: 'statement', defaultSeverity: 'warning', category: 'security',
  description: 'Device Defender overly-permissive patterns: `iot:*` or `*` actions, `*` resources for data-plane actions, `client/*`, `thing/*`, other devices\' reserved topics.',
  deviceDefender: { check: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK', reason: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS' },
};

export interface OverlyPermissiveData {
  /** Replacement for the span: the thing's own resource, or the one action narrow resources allow. */
  suggestions?: string[];
}

interface BroadArgs {
  /** The resource part at fault, as written. */
  resource: string;
  actions: string[];
  /** The resource type, for `anyTopic`. */
  type?: string;
}

type Where = 'this resource' | 'these resources';

type Messages = {
  allActions: (a: { pattern: string; bare: boolean }) => string;
  allActionsNarrow: (a: { pattern: string; where: Where; actions: string[] }) => string;
  allActionsNone: (a: { pattern: string; where: Where }) => string;
  notAction: (a: { actions: string[]; scope: 'this resource' | 'these resources' | 'fleet' }) => string;
} & Record<'allResources' | 'anyClient' | 'clientIdVariable' | 'anyThing' | 'anyTopic' | 'otherDevicesTopics', (a: BroadArgs) => string>;

const MESSAGE_IDS: Record<BroadKind, keyof Messages> = {
  'all-resources': 'allResources', 'any-client': 'anyClient', 'client-id-variable': 'clientIdVariable',
  'any-thing': 'anyThing', 'any-topic': 'anyTopic', 'other-devices-topics': 'otherDevicesTopics',
};

const IS_ATTACHED_TEXT = '`"Bool": {"iot:Connection.Thing.IsAttached": "true"}`';
const code = (s: string): string => `\`${s}\``;
const codes = (xs: string[]): string => xs.map(code).join(', ');

/** What a fleet-wide resource gives one action, e.g. `iot:Connect` → "any client ID". */
function reachOf(action: string): string {
  const info = findAction(action);
  switch (info?.resourceTypes[0]) {
    case 'client': return 'any client ID';
    case 'topic': return info.name === 'iot:Publish' || info.name === 'iot:Receive' ? 'any topic (other devices\' shadow and jobs topics included)' : 'any topic';
    case 'topicfilter': return 'any topic filter';
    case 'thing': return info.group === 'shadow' ? 'any thing\'s shadows' : info.group === 'jobs' ? 'any thing\'s jobs' : 'any thing';
    case 'rolealias': return 'any role alias';
    default: return 'any resource';
  }
}

function scopedExample(t: ResourceType): string {
  return `\`${t}/${THING_NAME_REF}${t === 'topic' || t === 'topicfilter' ? '/*' : ''}\``;
}

/** "read or change the shadows" / "the jobs" / "the shadows and jobs", from the actions' groups. */
function thingReach(actions: string[]): string {
  const groups = new Set(actions.map((a) => findAction(a)?.group));
  const shadow = groups.has('shadow');
  const jobs = groups.has('jobs');
  if (shadow && jobs) return 'read or change the shadows and jobs';
  if (jobs) return 'read or update the jobs';
  if (!shadow) return 'act on';
  const writes = actions.some((a) => /Update|Delete/.test(a));
  const reads = actions.some((a) => /Get|List/.test(a));
  if (writes && reads) return 'read or change the shadows';
  return writes ? 'change or delete the shadows' : 'read the shadows';
}

function allResources(a: BroadArgs): string {
  const one = a.actions.length === 1;
  const types = [...new Set(a.actions.map((x) => findAction(x)?.resourceTypes[0]).filter((t): t is ResourceType => !!t))];
  const reach = one ? reachOf(a.actions[0]) : a.actions.map((x) => `\`${x}\` ${reachOf(x)}`).join(', ');
  const who = one ? code(a.actions[0]) : 'this statement\'s actions';
  const connect = types.includes('client') ? ' (with `iot:Connection.Thing.IsAttached` for Connect)' : '';
  return `${code(a.resource)} gives ${who} the whole fleet: ${reach}, so one compromised device certificate reaches every device. Scope ${one ? 'it' : 'each'} to the device, e.g. ${types.map(scopedExample).join(', ')}${connect}.`;
}

const audit = (text: string): string => `${text} (${OVERLY_PERMISSIVE}.)`;

const messages: Messages = {
  allActions: (a) => {
    const services = a.bare ? 'every action of every AWS service, and so ' : '';
    const what = 'connecting with any client ID, publishing, subscribing, receiving, and reading or changing shadows, jobs and retained messages';
    const advice = 'list them (e.g. `iot:Connect`, `iot:Publish`, `iot:Subscribe`, `iot:Receive`) on its own resources';
    return `${code(a.pattern)} allows ${services}every AWS IoT data-plane action: ${what}. A device needs only a few; ${advice} (${OVERLY_PERMISSIVE}).`;
  },
  allActionsNarrow: (a) => `${code(a.pattern)} on ${a.where} allows ${codes(a.actions)}; list only those the device needs (AWS recommends naming actions instead of wildcards, so that a later action does not become allowed by accident).`,
  allActionsNone: (a) => `${code(a.pattern)} on ${a.where} allows no AWS IoT data-plane action (none is authorised against ${a.where}); name the actions the device needs.`,
  notAction: (a) => {
    const shown = codes(a.actions.slice(0, 6)) + (a.actions.length > 6 ? ` and ${a.actions.length - 6} more` : '');
    const scope = a.scope === 'fleet' ? 'on every device\'s resources' : `on ${a.scope}`;
    const granted = a.actions.length ? `here ${shown} ${scope}` : 'no AWS IoT action here, but';
    return `An Allow with \`NotAction\` allows every action it does not list: ${granted}, and any action AWS adds later. Name the actions the device needs in \`Action\` instead${a.scope === 'fleet' ? ` (${OVERLY_PERMISSIVE})` : ''}.`;
  },
  allResources: (a) => audit(allResources(a)),
  anyClient: (a) => audit(`${code(a.resource)} lets a device connect with any client ID, including another device's (AWS IoT keeps one connection per client ID, so the other device is disconnected). Use \`client/${THING_NAME_REF}\` with the condition ${IS_ATTACHED_TEXT}.`),
  clientIdVariable: () => audit(`\`client/\${iot:ClientId}\` matches whatever client ID the device sends, so without a condition requiring \`iot:Connection.Thing.IsAttached\` it is the same as \`client/*\`. Use \`client/${THING_NAME_REF}\` and add ${IS_ATTACHED_TEXT}.`),
  anyThing: (a) => audit(`${code(a.resource)} lets ${codes(a.actions)} ${thingReach(a.actions)} of every thing in the account. Use \`thing/${THING_NAME_REF}\` (or list the things).`),
  anyTopic: (a) => audit(`${code(a.resource)} lets ${codes(a.actions)} use every ${a.type === 'topicfilter' ? 'topic filter' : 'topic'}, including other devices' reserved shadow and jobs topics. Name the device's own topics, e.g. \`${a.type}/${THING_NAME_REF}/*\`.`),
  otherDevicesTopics: (a) => audit(`${code(a.resource)} lets ${codes(a.actions)} use the reserved shadow or jobs topics of every device, not only the connected one's. Put \`${THING_NAME_REF}\` in the thing level.`),
};

/**
 * The IoT policy actions a wildcard action (or a NotAction list) can take effect with on the
 * statement's resources, or undefined when a resource is `*`, a type pattern or unparsed (any
 * action can take effect) or is itself fleet-wide.
 */
function effectiveActions(model: PolicyModel, st: StatementModel, granted: (action: string) => boolean): string[] | undefined {
  const refs = resourceRefs(model, st);
  if (!refs.length) return undefined;
  for (const r of refs) {
    if (r.type === undefined || r.type === '*' || r.not || r.type.includes('*') || r.type.includes('?')) return undefined;
    if (broadAccess(model, st, r)) return undefined;
  }
  return IOT_POLICY_ACTIONS.filter((a) => granted(a.name) && refs.some((r) => a.resourceTypes.some((t) => coversType(r, t)))).map((a) => a.name);
}

type Ctx = RuleContext<OverlyPermissiveData, Messages>;

/** An Allow with `NotAction` grants every action it does not list. */
function reportAllowNotAction(ctx: Ctx, st: StatementModel): void {
  const value = st.notAction!.prop.value!;
  const excluded = st.notAction!.items.map((i) => i.value);
  const granted = (a: string): boolean => !excluded.some((x) => actionMatches(x, a));
  const effective = effectiveActions(ctx.model, st, granted);
  const actions = effective ?? IOT_POLICY_ACTIONS.filter((a) => granted(a.name)).map((a) => a.name);
  const scope = !effective ? 'fleet' : resourceRefs(ctx.model, st).length === 1 ? 'this resource' : 'these resources';
  ctx.report({ messageId: 'notAction', args: { actions, scope }, span: { offset: value.offset, length: value.length }, data: {} });
}

export const overlyPermissive = defineRule<OverlyPermissiveData, Messages>({
  meta,
  messages,
  check(ctx) {
    const { model } = ctx;
    for (const st of model.statements) {
      if (effectOf(st) !== 'Allow') continue;
      if (!st.action && st.notAction?.prop.value) {
        reportAllowNotAction(ctx, st);
        continue;
      }
      if (!st.action) continue;
      const refs = resourceRefs(model, st);
      const all = st.action.items.find((i) => grantsAllIotActions(i.value));
      if (all) {
        const pattern = all.value;
        const related = refs.map((r) => ({ span: r.span, message: 'resource the actions apply to' }));
        const effective = effectiveActions(model, st, (a) => actionMatches(pattern, a));
        const where: Where = refs.length === 1 ? 'this resource' : 'these resources';
        const span = contentSpan(all);
        // Narrow resources: only the actions authorised against them can take effect.
        if (effective?.length) {
          const data = effective.length === 1 ? { suggestions: effective } : {};
          ctx.report({ messageId: 'allActionsNarrow', args: { pattern, where, actions: effective }, span, data, related });
        } else if (effective) ctx.report({ messageId: 'allActionsNone', args: { pattern, where }, span, data: {}, related });
        else ctx.report({ messageId: 'allActions', args: { pattern, bare: pattern.replace(/\*+/g, '*') === '*' }, span, data: {}, related });
        continue;
      }
      for (const ref of refs) {
        const b = broadAccess(model, st, ref);
        if (!b) continue;
        ctx.report({
          messageId: MESSAGE_IDS[b.kind] as 'allResources',
          args: { resource: ref.resourcePart ?? ref.value, actions: b.actions, type: ref.type },
          span: ref.spanOf(b.range[0], b.range[1]),
          data: b.suggestion ? { suggestions: [b.suggestion] } : {},
        });
      }
    }
  },
  /**
   * The resource scoped to the connected thing: `client/*` and `client/${iot:ClientId}` become
   * `client/${iot:Connection.Thing.ThingName}` with the IsAttached condition; a narrow `iot:*`
   * becomes the one action its resources allow.
   */
  fix(ctx, f) {
    const st = statementFor(ctx, f);
    const suggestion = suggestionsOf(f)[0];
    if (!st || suggestion === undefined) return [];
    const first = [ctx.writer.replaceSpan(f.span, suggestion)];
    const current = spanText(ctx, f.span);
    if (f.messageId === 'allActionsNarrow') return [{ title: `Change '${current}' to '${suggestion}'`, edits: first, preferred: true }];
    if (f.messageId !== 'anyClient' && f.messageId !== 'clientIdVariable') {
      return [{ title: `Change '${current}' to '${suggestion}' (only the thing's own resources)`, edits: first, preferred: suggestionsOf(f).length === 1 }];
    }
    const changes = hasIsAttached(st) ? [] : conditionChanges(st, IS_ATTACHED_CONDITION);
    const edits = changes ? ctx.writer.editStatement(st, first, changes) : [];
    if (!edits.length) return [];
    return [{ title: `Allow only the thing's own client ID: client/${THING_NAME_REF} with iot:Connection.Thing.IsAttached`, edits, preferred: true }];
  },
});
