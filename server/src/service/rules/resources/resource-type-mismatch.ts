/**
 * `resource-type-mismatch`: an action of the statement has no resource of the type it is
 * authorised against (Subscribe needs `topicfilter`, Publish/Receive `topic`, Connect `client`,
 * shadow/jobs `thing`, ...). One mistake, one finding:
 * - every action wants one type (`typeWord`): each resource of another type, on its type word;
 *   the fix writes the right type word (or `thing/<thing>` for a shadow topic written for a thing);
 * - the actions want different types and one has no resource of its type (`missingType`): the
 *   action; the fix splits the statement, one statement per type;
 * - a resource whose type no action of a mixed statement uses (`unusedType`): its type word.
 * Only named actions count (a wildcard action may use any resource), and a resource a template
 * leaves unknown may be of any type.
 */
import {
  ACCOUNT_PLACEHOLDERS, buildArn, PARTITION_PLACEHOLDERS, placeholderKind, REGION_PLACEHOLDERS, THING_NAME_REF,
  type ArnPart, type ResourceType,
} from '../../catalog';
import { isPatternText, namedActions, type ActionEntry } from '../../analysis/actions';
import { coversType, isLiteralPart, resourceRefs, type ResourceRef } from '../../analysis/resources';
import { contentSpan } from '../../analysis/spans';
import { dataOf, statementAt, statementFor } from '../../fixes/helpers';
import type { Fix, FixContext, OffsetEdit, StatementChange } from '../../fixes/types';
import type { StatementModel } from '../../policy/model';
import { isLiteralRange } from '../../policy/tree';
import type { Span } from '../../text/span';
import { defineRule, type AnalyzedFinding, type RelatedFinding, type RuleContext, type RuleMeta } from '../rule';

const meta: RuleMeta = {
  id: 'resource-type-mismatch', scope: 'statement', defaultSeverity: 'error', category: 'resources',
  description: 'An action of the statement has no resource of the type it needs (Subscribe needs `topicfilter`, Publish/Receive `topic`, Connect `client`, shadow/jobs `thing`, ...).',
};

/** One statement of the split: these actions, with the resources rewritten to this type. */
export interface SplitGroup {
  actions: string[];
  resourceType: string;
}

export interface ResourceTypeMismatchData {
  /** `typeWord`: the type written, and the type word that belongs there (IoT types only). */
  type?: string;
  replaceWith?: string;
  /** `typeWord`: the thing of a `topic/$aws/things/<thing>/...` ARN written where `thing/<thing>` belongs. */
  thingName?: string;
  /** `missingType`: one statement per group, when every action of the statement is named. */
  split?: SplitGroup[];
}

interface TypeWordArgs {
  /** `\`topic/\` ARN` or another service's ARN, as the subject of the sentence. */
  resource: string;
  /** `\`iot:Subscribe\`` or "this statement's shadow and job actions". */
  actions: string;
  plural: boolean;
  type: ResourceType;
  advice: string;
}

interface UnusedTypeArgs {
  actions: string;
  /** `\`topic/\` ARNs` or another service's ARNs. */
  resources: string;
  needs: string;
  advice: string;
}

interface MissingTypeArgs {
  action: string;
  needed: string;
  /** Other types AWS sources also accept, or ''. */
  alternatives: string;
  present: string;
  advice: string;
}

type Messages = {
  typeWord: (a: TypeWordArgs) => string;
  unusedType: (a: UnusedTypeArgs) => string;
  missingType: (a: MissingTypeArgs) => string;
};

const messages: Messages = {
  typeWord: (a) => `${a.resource}: ${a.actions} ${a.plural ? 'are' : 'is'} authorised against \`${a.type}/<name>\`, so this resource has no effect. ${a.advice}`,
  unusedType: (a) => `No action of this statement (${a.actions}) is authorised against ${a.resources}, so this resource has no effect: ${a.needs}${a.advice}`,
  missingType: (a) => {
    const also = a.alternatives ? ` (AWS sources also accept ${a.alternatives})` : '';
    return `\`${a.action}\` is authorised against ${a.needed}${also}, but this statement has only ${a.present} resources, so AWS never allows or denies \`${a.action}\` through this statement. ${a.advice}`;
  },
};

const IOT_TYPE_WORDS: ReadonlySet<string> = new Set(['client', 'topic', 'topicfilter', 'thing', 'rolealias']);
const TOPIC_FAMILY: ReadonlySet<string> = new Set(['topic', 'topicfilter']);

const TYPE_TEXT: Record<string, string> = {
  client: 'a `client` ARN (the MQTT client ID)',
  topic: 'a `topic` ARN (the MQTT topic name)',
  topicfilter: 'a `topicfilter` ARN (the topic filter exactly as the client subscribes with it)',
  thing: 'a `thing` ARN (the thing name)',
  rolealias: 'a `rolealias` ARN (the role alias)',
  componentVersion: 'a Greengrass component version ARN',
  '*': 'the resource `*`',
};

function describeNeeded(types: readonly ResourceType[]): string {
  return types.map((t) => TYPE_TEXT[t] ?? `\`${t}\``).join(' or ');
}

function describeType(t: string): string {
  if (t.startsWith('other:')) return `\`${t.slice(6)}\` (another service's ARN)`;
  if (t === '*') return '`*`';
  return `\`${t}/\``;
}

/** The part of an ARN to repeat in an example: not a documentation placeholder, not a template's. */
function keptPart(ref: ResourceRef | undefined, part: ArnPart | undefined, placeholders: RegExp): string | undefined {
  if (!ref || !isLiteralPart(ref, part)) return undefined;
  return !placeholders.test(part.text) || placeholderKind(part.text) === 'template' ? part.text : undefined;
}

function exampleArn(ref: ResourceRef | undefined, type: ResourceType): string {
  if (type === '*') return '`*`';
  const p = ref?.parsed;
  const region = keptPart(ref, p?.region, REGION_PLACEHOLDERS) ?? '<region>';
  const account = keptPart(ref, p?.account, ACCOUNT_PLACEHOLDERS) ?? '<account-id>';
  if (type === 'componentVersion') return `\`${buildArn({ region, account }, 'components:<name>:versions:<version>', 'greengrass')}\``;
  const partition = keptPart(ref, p?.partition, PARTITION_PLACEHOLDERS);
  const topicLike = TOPIC_FAMILY.has(type) && !!ref && TOPIC_FAMILY.has(ref.type ?? '');
  const knownName = !!ref?.name && isLiteralRange(ref.item, ref.nameStart!, ref.value.length);
  const name = topicLike && knownName ? ref.name : '...';
  return `\`${buildArn({ partition, region, account }, `${type}/${name}`)}\``;
}

const GROUP_WORDS: Record<string, string> = { mqtt: 'MQTT', retained: 'retained-message', shadow: 'shadow', jobs: 'job', credentials: 'credentials', connection: 'connection', greengrass: 'Greengrass' };

/** `iot:Subscribe` / `iot:Publish and iot:Receive` / "this statement's shadow and job actions". */
function actionsPhrase(known: ActionEntry[]): string {
  const names = [...new Set(known.map((a) => a.infos[0].name))];
  if (names.length <= 2) return names.map((n) => `\`${n}\``).join(' and ');
  const groups = [...new Set(known.map((a) => GROUP_WORDS[a.infos[0].group] ?? a.infos[0].group))];
  return `this statement's ${groups.join(' and ')} actions`;
}

function needsSentence(known: ActionEntry[]): string {
  const byType = new Map<string, string[]>();
  for (const a of known) {
    const t = a.infos[0].resourceTypes[0];
    byType.set(t, [...(byType.get(t) ?? []), `\`${a.infos[0].name}\``]);
  }
  const sentence = ([t, names]: [string, string[]]): string => `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} authorised against ${describeNeeded([t as ResourceType])}.`;
  return [...byType].map(sentence).join(' ');
}

/** The thing of `$aws/things/<thing>/...` in a resource name, when the template leaves it known. */
function shadowTopicThing(r: ResourceRef): string | undefined {
  const m = /^\$aws\/things\/([^/]+)/.exec(r.name ?? '');
  if (!m || r.nameStart === undefined) return undefined;
  const start = r.nameStart + '$aws/things/'.length;
  return isLiteralRange(r.item, start, start + m[1].length) ? m[1] : undefined;
}

type Ctx = RuleContext<ResourceTypeMismatchData, Messages>;

/** Every action wants `single`: the resource's type word is wrong. */
function reportTypeWord(ctx: Ctx, r: ResourceRef, known: ActionEntry[], single: ResourceType, related: RelatedFinding[]): void {
  const type = r.type!;
  const resource = type.startsWith('other:') ? `\`${type.slice(6)}\` ARN (an IoT policy only authorises \`iot\` resources)` : `\`${type}/\` ARN`;
  const actions = actionsPhrase(known);
  const plural = actions.startsWith('this statement') || actions.includes(' and ');
  const data: ResourceTypeMismatchData = { type };
  let advice = `Write ${exampleArn(r, single)}.`;
  if (IOT_TYPE_WORDS.has(type) && IOT_TYPE_WORDS.has(single)) {
    data.replaceWith = single;
    const thing = single === 'thing' ? shadowTopicThing(r) : undefined;
    if (thing) data.thingName = thing;
    if (thing) advice = `Write \`thing/${thing}\`.`;
    else if (single === 'thing') advice = `Write \`thing/${THING_NAME_REF}\` (or the thing name).`;
    else advice = `Write \`${single}\` instead of \`${type}\`.`;
  }
  ctx.report({
    messageId: 'typeWord',
    args: { resource, actions, plural, type: single, advice },
    span: r.spanOf(r.typeRange![0], r.typeRange![1]),
    data,
    related,
  });
}

/** No action of a mixed statement uses the resource's type. */
function reportUnusedType(ctx: Ctx, r: ResourceRef, known: ActionEntry[], single: ResourceType | undefined, related: RelatedFinding[]): void {
  const type = r.type!;
  ctx.report({
    messageId: 'unusedType',
    args: {
      actions: known.map((a) => `\`${a.infos[0].name}\``).join(', '),
      resources: type.startsWith('other:') ? `\`${type.slice(6)}\` ARNs (an IoT policy only authorises \`iot\` resources)` : `\`${type}/\` ARNs`,
      needs: needsSentence(known),
      advice: single === '*' ? ' These actions need `"Resource": "*"`.' : '',
    },
    span: r.spanOf(r.typeRange![0], r.typeRange![1]),
    data: {},
    related,
  });
}

/** One group per type word, in order: the actions to split the statement into. */
function splitGroups(known: ActionEntry[]): SplitGroup[] {
  const groups = new Map<string, string[]>();
  for (const k of known) {
    const t = k.infos[0].resourceTypes[0];
    groups.set(t, [...(groups.get(t) ?? []), k.item.value]);
  }
  return [...groups].map(([resourceType, actions]) => ({ actions, resourceType }));
}

function reportMissingType(ctx: Ctx, a: ActionEntry, refs: ResourceRef[], split: SplitGroup[] | undefined, single: boolean): void {
  const info = a.infos[0];
  const target = info.resourceTypes[0];
  let advice: string;
  if (target === '*') advice = `Use \`"Resource": "*"\` for it${single ? '' : ' in its own statement'}.`;
  else if (single) advice = `Use ${exampleArn(refs[0], target)}.`;
  else advice = `Move \`${a.item.value}\` to its own statement with ${exampleArn(refs.find((r) => r.name), target)}, or add such a resource here.`;
  const typeLabel = (r: ResourceRef): string => (r.type ? `resource of type ${describeType(r.type)}` : 'resource');
  const typeSpan = (r: ResourceRef): Span => (r.typeRange && isLiteralRange(r.item, r.typeRange[0], r.typeRange[1]) ? r.spanOf(r.typeRange[0], r.typeRange[1]) : r.span);
  ctx.report({
    messageId: 'missingType',
    args: {
      action: info.name,
      needed: describeNeeded([target]),
      alternatives: info.resourceTypes.length > 1 ? describeNeeded(info.resourceTypes.slice(1)) : '',
      present: [...new Set(refs.map((r) => r.type!))].map(describeType).join(', '),
      advice,
    },
    span: contentSpan(a.item),
    data: split ? { split } : {},
    related: refs.map((r) => ({ span: typeSpan(r), message: typeLabel(r) })),
  });
}

// ---- the fix --------------------------------------------------------------------------------

function convertibleTypes(from: string, to: string): boolean {
  return TOPIC_FAMILY.has(from) && TOPIC_FAMILY.has(to);
}

/** The statement rewritten as one statement per group, each with its actions and resources of its type. */
function splitStatement(ctx: FixContext, st: StatementModel, groups: SplitGroup[]): OffsetEdit[] {
  const items = st.resource?.items ?? [];
  if (!items.length || st.resource?.invalid.length || st.action?.invalid.length) return [];
  // A value a template fills in cannot be copied as text.
  if (items.some((sv) => sv.opaque.length)) return [];
  const refs = resourceRefs(ctx.model, st);
  const used = new Set<ResourceRef>();
  const variants: StatementChange[][] = [];
  groups.forEach((g, gi) => {
    let resources: string[];
    if (g.resourceType === '*') resources = ['*'];
    else {
      const typed = refs.filter((r) => r.parsed.resourceType);
      const same = typed.filter((r) => r.parsed.resourceType!.text === g.resourceType);
      const convertible = typed.filter((r) => r.parsed.resourceType!.text !== '*' && convertibleTypes(r.parsed.resourceType!.text, g.resourceType));
      const chosen = same.length ? same : convertible;
      resources = chosen.map((r) => {
        used.add(r);
        const t = r.parsed.resourceType!;
        return r.value.slice(0, t.start) + g.resourceType + r.value.slice(t.end);
      });
      if (!resources.length) return;
    }
    // Resources that fit no group stay with the last statement, so nothing the user wrote is lost.
    if (gi === groups.length - 1) {
      const anyStar = groups.some((gg) => gg.resourceType === '*');
      for (const r of refs) {
        if (used.has(r) || (g.resourceType === '*' && r.value === '*')) continue;
        if (!anyStar || r.parsed.resourceType) resources.push(r.value);
      }
    }
    const unique = [...new Set(resources)];
    const actionValue = st.action!.isArray ? g.actions : g.actions.length === 1 ? g.actions[0] : g.actions;
    const resourceValue = st.resource!.isArray || unique.length > 1 ? unique : unique[0];
    const changes: StatementChange[] = [[['Action'], actionValue], [['Resource'], resourceValue]];
    if (gi > 0 && st.sid?.value?.type === 'string') {
      const suffix = g.resourceType === '*' ? 'All' : g.resourceType[0].toUpperCase() + g.resourceType.slice(1);
      changes.push([['Sid'], `${st.sid.value.value}${suffix}`]);
    }
    variants.push(changes);
  });
  return variants.length < 2 ? [] : ctx.writer.splitStatement(st, variants);
}

/** The resource the finding points into. */
function refAt(ctx: FixContext, span: Span): ResourceRef | undefined {
  const st = statementAt(ctx.model, span);
  if (!st) return undefined;
  return resourceRefs(ctx.model, st).find((r) => r.span.offset <= span.offset && span.offset + span.length <= r.span.offset + r.span.length);
}

function typeWordFixes(ctx: FixContext, f: AnalyzedFinding<ResourceTypeMismatchData>, type: string, replaceWith: string): Fix[] {
  const thingName = f.data?.thingName;
  if (thingName) {
    // `topic/$aws/things/<thing>/shadow/...` written for a thing action: the ARN is `thing/<thing>`.
    const r = refAt(ctx, f.span);
    const t = r?.parsed.resourceType;
    if (!r || !t) return [];
    const thing = `${replaceWith}/${thingName}`;
    const edit = ctx.writer.replaceInString(r.item, t.start, r.value.length, thing);
    return [{ title: `Change '${type}/${r.parsed.name?.text ?? ''}' to '${thing}'`, edits: [edit], preferred: true, safe: true }];
  }
  const swap = TOPIC_FAMILY.has(type) && TOPIC_FAMILY.has(replaceWith);
  const fixes: Fix[] = [{ title: `Change '${type}/' to '${replaceWith}/'`, edits: [ctx.writer.replaceSpan(f.span, replaceWith)], preferred: true, safe: swap }];
  // The same mistake on the other resources of the statement, in one go.
  const st = statementAt(ctx.model, f.span);
  const byStatement = ctx.memo('type-words', () => {
    const m = new Map<StatementModel | undefined, AnalyzedFinding[]>();
    for (const g of ctx.findings) {
      if (g.ruleId !== 'resource-type-mismatch' || typeof dataOf(g).replaceWith !== 'string' || typeof dataOf(g).type !== 'string') continue;
      const k = statementAt(ctx.model, g.span);
      m.set(k, [...(m.get(k) ?? []), g]);
    }
    return m;
  });
  const same = (byStatement.get(st) ?? []).filter((g) => dataOf(g).type === type && dataOf(g).replaceWith === replaceWith);
  if (st && same.length > 1) {
    fixes.push({ title: `Change all ${same.length} '${type}/' of this statement to '${replaceWith}/'`, edits: same.map((g) => ctx.writer.replaceSpan(g.span, replaceWith)) });
  }
  return fixes;
}

function covered(r: ResourceRef, a: ActionEntry): boolean {
  for (const t of a.infos[0].resourceTypes) if (coversType(r, t)) return true;
  return false;
}

function coveredByAny(refs: readonly ResourceRef[], a: ActionEntry): boolean {
  for (const r of refs) if (covered(r, a)) return true;
  return false;
}

/** A resource whose type is written in full and fits none of the actions. */
function unusedBy(r: ResourceRef, known: readonly ActionEntry[]): boolean {
  if (!r.type || r.type === '*' || isPatternText(r.type) || !r.typeRange || !isLiteralRange(r.item, r.typeRange[0], r.typeRange[1])) return false;
  for (const a of known) if (covered(r, a)) return false;
  return true;
}

export const resourceTypeMismatch = defineRule<ResourceTypeMismatchData, Messages>({
  meta,
  messages,
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (!st.action || !st.resource) continue;
      const refs = resourceRefs(ctx.model, st);
      if (refs.length === 0) continue;
      const known = namedActions(ctx.model, st);
      if (known.length === 0) continue;
      // A wildcard action, or one that is not an IoT policy action, may use any resource: only
      // the named actions are checked, and unused resources are not reported.
      const allKnown = known.length === st.action.items.length;
      const undetermined = refs.some((r) => r.type === undefined);
      // Most statements are consistent: settle that without building the lists below.
      if ((undetermined || known.every((a) => coveredByAny(refs, a))) && (!allKnown || !refs.some((r) => unusedBy(r, known)))) continue;
      const missing = undetermined ? [] : known.filter((a) => !coveredByAny(refs, a));
      const primaryTypes = [...new Set(known.map((a) => a.infos[0].resourceTypes[0]))];
      const single = allKnown && primaryTypes.length === 1 ? primaryTypes[0] : undefined;
      const unused = allKnown ? refs.filter((r) => unusedBy(r, known)) : [];
      if (!missing.length && !unused.length) continue;
      const actionRelated: RelatedFinding[] = known.map((a) => ({ span: contentSpan(a.item), message: `\`${a.infos[0].name}\` is authorised against ${describeNeeded(a.infos[0].resourceTypes)}` }));
      // Homogeneous statement: the resources are wrong, report their type words.
      if (single && single !== '*' && unused.length && (missing.length === 0 || missing.length === known.length)) {
        for (const r of unused) reportTypeWord(ctx, r, known, single, actionRelated);
        continue;
      }
      const split = allKnown && !single ? splitGroups(known) : undefined;
      for (const a of missing) reportMissingType(ctx, a, refs, split, !!single);
      if (missing.length) continue;
      for (const r of unused) reportUnusedType(ctx, r, known, single, actionRelated);
    }
  },
  fix(ctx, f) {
    const d = f.data ?? {};
    const fixes = d.replaceWith && d.type ? typeWordFixes(ctx, f, d.type, d.replaceWith) : [];
    if (d.split) {
      const st = statementFor(ctx, f);
      const groups = d.split.filter((g) => Array.isArray(g.actions) && typeof g.resourceType === 'string');
      const edits = st && groups.length > 1 ? splitStatement(ctx, st, groups) : [];
      const title = groups.map((g) => `${g.actions.join(', ')} on ${g.resourceType === '*' ? '*' : `${g.resourceType}/`}`).join('; ');
      if (edits.length) fixes.push({ title: `Split the statement: ${title}`, edits, preferred: !fixes.length });
    }
    return fixes;
  },
});
