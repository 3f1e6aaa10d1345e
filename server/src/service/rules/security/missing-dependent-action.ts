/**
 * `missing-dependent-action`: an action that does nothing without another one: Publish or
 * Subscribe with no Connect anywhere, RetainPublish without Publish on those topics, Subscribe
 * without a Receive on the topics its filters deliver. Decided by the wildcard engine; the fix
 * adds an Allow for the missing action (or adds `iot:Publish` next to `iot:RetainPublish`).
 */
import { buildArn, THING_NAME_REF } from '../../catalog';
import { effectOf, namedActions } from '../../analysis/actions';
import { isLiteralResource, literalResources, literalScope, resourceRefs, resourcePartStart, topicProblems, type LiteralResource, type ResourceRef } from '../../analysis/resources';
import { contentSpan } from '../../analysis/spans';
import { statementFor } from '../../fixes/helpers';
import type { Fix, FixContext } from '../../fixes/types';
import { statementMemo, type PolicyModel, type StatementModel } from '../../policy/model';
import { ownCopy } from '../../text/memo';
import { defineRule, type AnalyzedFinding, type RuleMeta } from '../rule';
import { allowStatements, Budget, contains, denyStatements, overlap, PAIR_BUDGET, textPat, type Pat } from './shared';

const meta: RuleMeta = {
  id: 'missing-dependent-action', defaultSeverity: 'info', category: 'security',
  description: 'Publish or Subscribe with no Connect anywhere; RetainPublish without Publish on those topics; Subscribe without a matching Receive.',
};

export interface MissingDependentActionData {
  /** The action the fix allows. */
  missingAction: 'iot:Connect' | 'iot:Publish' | 'iot:Receive';
  /**
   * The resources of the Allow the fix adds. For Connect, empty when no statement has an ARN to
   * take the region and account from: the fix then uses the configured defaults.
   */
  resources: string[];
  /** `subscribeWithoutConnectAndReceive`: the Connect the fix adds too. */
  also?: MissingDependentActionData[];
}

type Messages = {
  connectForPublish: () => string;
  subscribeWithoutConnect: () => string;
  subscribeWithoutConnectAndReceive: (a: { filters: string[] }) => string;
  subscribeWithoutReceive: (a: { filters: string[] }) => string;
  retainWithoutPublish: (a: { topics: string[] }) => string;
};

const codes = (xs: string[]): string => xs.map((x) => `\`${x}\``).join(', ');
const CONNECT_EXAMPLE = `\`client/${THING_NAME_REF}\` with \`iot:Connection.Thing.IsAttached\``;

const messages: Messages = {
  connectForPublish: () => `MQTT clients also need \`iot:Connect\` (AWS checks it on every CONNECT), which no statement here allows. Allow it (e.g. on ${CONNECT_EXAMPLE}); ignore this for HTTPS-only publishers or if another attached policy allows it.`,
  subscribeWithoutConnect: () => `\`iot:Subscribe\` needs an MQTT connection, and \`iot:Connect\` (AWS checks it on every CONNECT) is allowed by no statement here. Allow it (e.g. on ${CONNECT_EXAMPLE}), unless another attached policy does.`,
  subscribeWithoutConnectAndReceive: (a) => [
    '`iot:Subscribe` alone delivers nothing here: AWS checks `iot:Connect` on every MQTT CONNECT and `iot:Receive` on the topic of every message it delivers,',
    `and this policy allows neither (no \`iot:Receive\` on the topics of ${codes(a.filters)}).`,
    `Allow \`iot:Connect\` (e.g. on \`client/${THING_NAME_REF}\`) and \`iot:Receive\` on the matching \`topic/\` ARNs, unless another attached policy does.`,
  ].join(' '),
  subscribeWithoutReceive: (a) => `Subscribing alone delivers nothing: AWS checks \`iot:Receive\` on the topic of every message it delivers, and no statement allows \`iot:Receive\` on the topics of ${codes(a.filters)}. Allow \`iot:Receive\` on the matching \`topic/\` ARNs, unless another attached policy does.`,
  retainWithoutPublish: (a) => `\`iot:RetainPublish\` only works together with \`iot:Publish\` on the same topic (AWS checks both for a retained PUBLISH), and no statement allows \`iot:Publish\` on ${codes(a.topics)}. Allow \`iot:Publish\` there too.`,
};

/** The topics a filter delivers, as a `topic/` resource part: its MQTT wildcards read as `*`. */
function deliveredTopics(name: string): string {
  return 'topic/' + name.replace(/^\$share\/[^/]*\//, '').replace(/[+#]/g, '*');
}

function topicArnFromFilter(ref: ResourceRef): string {
  return ref.value.slice(0, resourcePartStart(ref)) + deliveredTopics(ref.name ?? '');
}

/** The Connect ARN for the connected thing, in the region and account of the statement's first full ARN. */
function connectArns(refs: ResourceRef[]): string[] {
  for (const r of refs) {
    const scope = literalScope(r);
    if (scope) return [buildArn(scope, `client/${THING_NAME_REF}`)];
  }
  return [];
}

// ---- the fix --------------------------------------------------------------------------------

/** An Allow on Connect for the thing's own client ID, with IsAttached (the configured region and account when none is given). */
function connectStatement(ctx: FixContext, resources: string[]): object {
  const d = ctx.config?.defaults ?? {};
  const fallback = buildArn({ partition: d.partition, region: d.region, account: d.accountId }, `client/${THING_NAME_REF}`);
  return {
    Effect: 'Allow',
    Action: 'iot:Connect',
    Resource: resources.length > 1 ? resources : resources[0] ?? fallback,
    Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
  };
}

function addConnect(ctx: FixContext, resources: string[]): Fix[] {
  const edits = ctx.writer.insertStatements(undefined, [connectStatement(ctx, resources)]);
  return edits.length ? [{ title: 'Add an iot:Connect statement for the thing\'s own client ID (with IsAttached)', edits, preferred: true }] : [];
}

/** An Allow on Receive after the Subscribe statement, and the Connect it lacks too when `connect` is given. */
function addReceive(ctx: FixContext, st: StatementModel | undefined, resources: string[], connect?: string[]): Fix[] {
  if (!resources.length || !st) return [];
  const receive = { Effect: 'Allow', Action: 'iot:Receive', Resource: resources.length === 1 ? resources[0] : resources };
  const statements = connect ? [receive, connectStatement(ctx, connect)] : [receive];
  const edits = ctx.writer.insertStatements(st, statements);
  const what = resources.length === 1 ? resources[0].replace(/^.*?:topic\//, 'topic/') : `${resources.length} topics`;
  const title = connect ? `Add an iot:Receive statement for ${what} and an iot:Connect statement` : `Add an iot:Receive statement for ${what}`;
  return edits.length ? [{ title, edits, preferred: true }] : [];
}

/** RetainPublish without Publish: add Publish next to it, on the same topics. */
function addPublish(ctx: FixContext, st: StatementModel | undefined): Fix[] {
  const list = st?.action;
  if (!st || !list) return [];
  const title = 'Add iot:Publish to this statement';
  if (list.isArray) {
    const at = list.prop.value?.children?.length ?? list.items.length;
    const edits = ctx.writer.editStatement(st, [], [[['Action', at], 'iot:Publish']], { arrayInsertion: true });
    return edits.length ? [{ title, edits, preferred: true }] : [];
  }
  const only = list.items[0];
  return only ? [{ title, edits: ctx.writer.toList(only, 'iot:Publish', 'before'), preferred: true }] : [];
}

function fixMissing(ctx: FixContext, f: AnalyzedFinding<MissingDependentActionData>): Fix[] {
  const d = f.data;
  if (!d) return [];
  const st = statementFor(ctx, f);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []);
  const resources = strings(d.resources);
  const connect = Array.isArray(d.also) ? d.also.find((x) => x?.missingAction === 'iot:Connect') : undefined;
  switch (d.missingAction) {
    case 'iot:Connect': return addConnect(ctx, resources);
    case 'iot:Receive': return addReceive(ctx, st, resources, connect && strings(connect.resources));
    case 'iot:Publish': return addPublish(ctx, st);
    default: return [];
  }
}

/**
 * A statement a template leaves unknown (a `{"Ref": ...}`, a Terraform `dynamic "statement"` or a
 * merged document), or whose actions it leaves unknown, could allow whatever seems missing.
 */
function mayAllowAnything(st: StatementModel): boolean {
  if (st.node.type === 'opaque') return true;
  const list = st.action ?? st.notAction;
  if (!list) return false;
  for (const n of list.invalid) if (n.type === 'opaque') return true;
  for (const i of list.items) if (i.opaque.length > 0) return true;
  return false;
}

interface Answer {
  yes: boolean;
  /** Pattern comparisons it took. */
  spent: number;
}

/** A Subscribe filter a client can use, with what this rule asks of it, kept with its statement. */
interface Filter {
  ref: LiteralResource;
  /** The topics it delivers, as a `topic/` pattern; an own copy of the text (see `pairAnswer`). */
  delivered: Pat;
  /** The Receive ARN the fix allows for it. */
  arn: string;
}

const FILTERS = {};

/**
 * The filters of `st` a client can use, in order: those no client can use are reported by
 * invalid-topic. Kept with the statement, so a keystroke elsewhere reads no filter again.
 */
function usableFilters(model: PolicyModel, st: StatementModel): Filter[] {
  return statementMemo(model, st, FILTERS, readFilters);
}

function readFilters(model: PolicyModel, st: StatementModel): Filter[] {
  const out: Filter[] = [];
  for (const r of resourceRefs(model, st)) {
    if (!isLiteralResource(r) || r.type !== 'topicfilter' || r.name === undefined || topicProblems(r).length) continue;
    out.push({ ref: r, delivered: textPat(model, ownCopy(deliveredTopics(r.name))), arn: ownCopy(topicArnFromFilter(r)) });
  }
  return out;
}

/**
 * A Subscribe statement's last report of filters without Receive: the same filters give the same
 * args and data objects back, and so the same message (`runRule` keeps it by its args).
 */
interface ReceiveReport {
  missing: Filter[];
  args?: Readonly<{ filters: string[] }>;
  data?: Readonly<MissingDependentActionData>;
}

const RECEIVE_REPORT = {};
const newReceiveReport = (): ReceiveReport => ({ missing: [] });

/** Answers of one statement to one question about a pattern, kept with the statement. */
const OVERLAPS = {};
const CONTAINS = {};
/** At most this many patterns' answers are kept per statement and question. */
const MAX_PAIR_ANSWERS = 256;
const newAnswers = (): Map<string, Answer> => new Map();

/**
 * The answer of statement `p` to a question (`kind`) about the pattern `pat`: does one of its
 * resources overlap `pat` (or the budget run out), or contain it? Kept with the statement with the
 * comparisons it took: the Receive statements a keystroke did not touch answer every Subscribe
 * filter of the next version without comparing again. A kept answer spends from `budget` what it
 * took, and is used only where the budget has that much left, so the budget runs out where it
 * would without it. `pat.text` is kept as it is: it must be an own copy (`usableFilters`).
 */
function pairAnswer(model: PolicyModel, p: StatementModel, kind: typeof OVERLAPS | typeof CONTAINS, pat: Pat, budget: Budget): boolean {
  const memo = statementMemo(model, p, kind, newAnswers);
  const known = memo.get(pat.text);
  if (known && budget.remaining >= known.spent) {
    budget.spend(known.spent);
    return known.yes;
  }
  const before = budget.remaining;
  let yes = false;
  for (const q of literalResources(model, p)) {
    if (kind === OVERLAPS ? !budget.spend() || overlap(model, q, pat) : budget.spend() && contains(model, q, pat)) {
      yes = true;
      break;
    }
  }
  if (!budget.exhausted && memo.size < MAX_PAIR_ANSWERS) memo.set(pat.text, { yes, spent: before - budget.remaining });
  return yes;
}

/**
 * Is some topic `f` delivers allowed for Receive (or deliberately denied: a Deny on Receive for
 * these topics is AWS's "deny receiving" example)?
 */
function receivableNow(model: PolicyModel, f: Filter, budget: Budget): boolean {
  for (const p of denyStatements(model, 'iot:Receive')) if (p.resource && pairAnswer(model, p, OVERLAPS, f.delivered, budget)) return true;
  for (const p of allowStatements(model, 'iot:Receive')) {
    if (p.resource ? pairAnswer(model, p, OVERLAPS, f.delivered, budget) : p.notResource && !pairAnswer(model, p, CONTAINS, f.delivered, budget)) return true;
  }
  return false;
}

export const missingDependentAction = defineRule<MissingDependentActionData, Messages>({
  meta,
  messages,
  check(ctx) {
    const { model } = ctx;
    if (model.statements.some(mayAllowAnything)) return;
    const connectAllowed = allowStatements(model, 'iot:Connect').length > 0;
    let connectReported = false;
    const refsOf = (sts: StatementModel[]): LiteralResource[] => sts.filter((p) => p.resource).flatMap((p) => literalResources(model, p));
    // Read only when a statement needs them (RetainPublish, Subscribe).
    let pubRefs: LiteralResource[] | undefined;
    const budget = new Budget(PAIR_BUDGET);
    let pubSet: Set<LiteralResource> | undefined;
    /**
     * Each filter's answer, once per filter name, with the comparisons it took, which a repeated
     * question spends again: the budget runs out where it would without the answers kept.
     */
    let answers: Map<string, Answer> | undefined;
    const receivable = (f: Filter): boolean => {
      const name = f.ref.name!;
      const known = answers?.get(name);
      if (known && budget.remaining >= known.spent) {
        budget.spend(known.spent);
        return known.yes;
      }
      const before = budget.remaining;
      const yes = receivableNow(model, f, budget);
      if (!budget.exhausted) (answers ??= new Map()).set(name, { yes, spent: before - budget.remaining });
      return yes;
    };
    for (const st of model.statements) {
      if (effectOf(st) !== 'Allow' || !st.resource) continue;
      let refs: ResourceRef[] | undefined;
      for (const a of namedActions(model, st)) {
        const name = a.infos[0].name;
        let connect: MissingDependentActionData | undefined;
        if ((name === 'iot:Publish' || name === 'iot:Subscribe') && !connectAllowed && !connectReported) {
          connectReported = true;
          connect = { missingAction: 'iot:Connect', resources: connectArns((refs ??= resourceRefs(model, st))) };
        }
        if (connect && name === 'iot:Publish') ctx.report({ messageId: 'connectForPublish', args: undefined, span: contentSpan(a.item), data: connect });
        if (name === 'iot:RetainPublish') {
          // The usual RetainPublish sits beside Publish on the same resources: a statement that
          // also allows Publish publishes to every one of its own, without a comparison.
          const publishesItself = allowStatements(model, 'iot:Publish').includes(st);
          const published = (r: LiteralResource): boolean => {
            if (publishesItself) return true;
            const pubs = (pubRefs ??= refsOf(allowStatements(model, 'iot:Publish')));
            return (pubSet ??= new Set(pubs)).has(r) || pubs.some((q) => !budget.spend() || contains(model, q, r));
          };
          const missing = (refs ??= resourceRefs(model, st)).filter(isLiteralResource).filter((r) => (r.type === 'topic' || r.type === '*') && !published(r));
          if (budget.exhausted) return;
          if (missing.length) {
            const data: MissingDependentActionData = { missingAction: 'iot:Publish', resources: missing.map((r) => r.value) };
            ctx.report({ messageId: 'retainWithoutPublish', args: { topics: missing.map((r) => r.resourcePart) }, span: contentSpan(a.item), data });
          }
        }
        if (name === 'iot:Subscribe') {
          const last = statementMemo(model, st, RECEIVE_REPORT, newReceiveReport);
          // The filters without Receive, compared as they come with the last report's.
          let missing: Filter[] | undefined;
          let same = 0;
          for (const f of usableFilters(model, st)) {
            if (receivable(f)) continue;
            if (!missing && last.missing[same] === f) same++;
            else (missing ??= last.missing.slice(0, same)).push(f);
          }
          if (budget.exhausted) return;
          if (!missing && same !== last.missing.length) missing = last.missing.slice(0, same);
          if (missing) {
            last.missing = missing;
            last.args = last.data = undefined;
          }
          const span = contentSpan(a.item);
          if (!last.missing.length) {
            if (connect) ctx.report({ messageId: 'subscribeWithoutConnect', args: undefined, span, data: connect });
            continue;
          }
          // Frozen: kept from one analysis to the next, and read by the message (see `runRule`).
          const args = (last.args ??= Object.freeze({ filters: Object.freeze(last.missing.map((f) => f.ref.resourcePart)) as string[] }));
          const receive = (last.data ??= Object.freeze({ missingAction: 'iot:Receive', resources: Object.freeze(last.missing.map((f) => f.arn)) as string[] }) as MissingDependentActionData);
          // One finding for both, whose fix adds both.
          if (connect) ctx.report({ messageId: 'subscribeWithoutConnectAndReceive', args, span, data: { ...receive, also: [connect] } });
          else ctx.report({ messageId: 'subscribeWithoutReceive', args, span, data: receive });
        }
      }
    }
  },
  fix: fixMissing,
});
