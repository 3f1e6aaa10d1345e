/**
 * The action classifier shared by the four action rules: each action of `Action`/`NotAction` gets
 * at most one report, from the most specific rule (`unknown-action`, `not-an-iot-policy-action`,
 * `legacy-job-action` or `action-case`). The rules' message templates render the reports.
 *
 * Every report points at the action string's content (without quotes); for white space around a
 * name, at that white space. `data.suggestions` replace that span.
 */
import {
  ACTION_MISNOMERS, GREENGRASS_V1_POLICY_ACTIONS, IOT_CONTROL_PLANE_ACTIONS, IOT_POLICY_ACTIONS, OTHER_AWS_SERVICE_PREFIXES,
  findAction, findControlPlaneAction,
} from '../../catalog';
import { contentSpan } from '../../analysis/spans';
import { matchWildcard } from '../../match/wildcard';
import { modelMemo, type PolicyModel, type StatementModel } from '../../policy/model';
import type { StringValue } from '../../policy/tree';
import { codePointLabel, isInvisibleCharacter } from '../../text/chars';
import { editDistance, nearest } from '../../text/distance';
import { memoizeString } from '../../text/memo';
import type { Span } from '../../text/span';
import type { RelatedFinding } from '../rule';

const POLICY_PREFIXES = ['iot', 'iotjobsdata', 'greengrass'];
const ALL_NAMES = IOT_POLICY_ACTIONS.map((a) => a.name);
const GREENGRASS_V1 = new Set(GREENGRASS_V1_POLICY_ACTIONS.map((a) => a.toLowerCase()));
const PREFERRED_NAMES = IOT_POLICY_ACTIONS.filter((a) => !a.preferred).map((a) => a.name);

function isPattern(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Policy actions a pattern matches (action names ignore case). */
function policyActionsMatching(pattern: string): string[] {
  return [...ALL_NAMES, ...GREENGRASS_V1_POLICY_ACTIONS].filter((a) => matchWildcard(pattern, a, { ignoreCase: true }));
}

function controlActionsMatching(pattern: string): string[] {
  return IOT_CONTROL_PLANE_ACTIONS.filter((a) => matchWildcard(pattern, a, { ignoreCase: true }));
}

/** Suggestions for a name that is not an IoT policy action, best first. */
function suggestFor(name: string): string[] {
  const colon = name.indexOf(':');
  const op = colon >= 0 ? name.slice(colon + 1) : name;
  // Same operation under the right prefix (`iotdata:Publish`, `Publish`).
  const sameOp = PREFERRED_NAMES.filter((n) => n.slice(n.indexOf(':') + 1).toLowerCase() === op.toLowerCase());
  if (sameOp.length) return sameOp;
  const full = colon >= 0 ? name : `iot:${name}`;
  const near = nearest(full, ALL_NAMES);
  if (near.length) return near.slice(0, 3);
  // A misspelled prefix and operation: compare operations only.
  const ops = new Map(PREFERRED_NAMES.map((n) => [n.slice(n.indexOf(':') + 1), n]));
  return nearest(op, ops.keys()).slice(0, 3).map((o) => ops.get(o)!);
}

/** A prefix that is probably a misspelling of an IoT policy prefix (`iotdata`, `iot-jobs-data`, `greengras`). */
function misspelledPolicyPrefix(prefix: string): boolean {
  const p = prefix.toLowerCase();
  if (OTHER_AWS_SERVICE_PREFIXES.has(p)) return false;
  if (p.startsWith('iot') || p.startsWith('greengrass')) return true;
  return POLICY_PREFIXES.some((q) => editDistance(p, q, 2) <= (q.length > 4 ? 2 : 1));
}

// ---- the reports, by rule and message -------------------------------------------------------

/** Arguments of the `unknown-action` messages. */
export interface UnknownActionArgs {
  joined: { name: string; parts: string[] };
  patternWithoutPrefix: { name: string };
  withoutPrefix: { name: string; suggestion?: string };
  misnomer: { name: string; why: string; suggestion?: string };
  patternMatchesNothing: { name: string };
  greengrassTypo: { name: string; suggestion: string };
  unknown: { name: string; prefix?: string; suggestion?: string; foreign?: string };
  invisible: { count: number; character: string; where: 'at the end of' | 'at the start of' | 'inside'; shown: string; before?: string; alsoWrong?: NameReport };
  whitespace: { name: string; side: 'before' | 'after' };
}

export interface UnknownActionData {
  kind: 'unknown' | 'no-prefix' | 'pattern' | 'invisible' | 'whitespace' | 'joined';
  suggestions: string[];
  /** `joined`: the actions written in one string. */
  parts?: string[];
  /** `invisible`: the code point of the first invisible character, and the spans of all of them. */
  codePoint?: string;
  characters?: Span[];
}

export interface NotAnIotPolicyActionArgs {
  controlPattern: { name: string; matches: string[] };
  otherPattern: { name: string; prefix: string };
  control: { name: string };
  greengrassControl: { name: string };
  otherService: { name: string; prefix: string };
}

export interface NotAnIotPolicyActionData {
  kind: 'control-plane' | 'other-service';
  service?: string;
  canonical?: string;
  matches?: string[];
  suggestions: string[];
}

export interface LegacyJobActionArgs {
  one: { name: string; preferred: string };
  several: { names: string[]; example: string };
}

export interface LegacyJobActionData {
  suggestions: string[];
  /** Every legacy job action of the statement, for the fix that renames them all. */
  replacements: { span: Span; action: string; text: string }[];
}

export interface ActionCaseArgs {
  caseOnly: { name: string; canonical: string };
}

export interface ActionCaseData {
  suggestions: string[];
}

type ReportOf<R extends string, A, D> = {
  [K in keyof A & string]: { ruleId: R; messageId: K; args: A[K]; data: D };
}[keyof A & string];

/** What the classifier says about one action name. */
export type NameReport =
  | ReportOf<'unknown-action', UnknownActionArgs, UnknownActionData>
  | ReportOf<'not-an-iot-policy-action', NotAnIotPolicyActionArgs, NotAnIotPolicyActionData>
  | ReportOf<'legacy-job-action', LegacyJobActionArgs, LegacyJobActionData>
  | ReportOf<'action-case', ActionCaseArgs, ActionCaseData>;

/** A report placed in the document. */
export type ActionReport = NameReport & { span: Span; related?: RelatedFinding[]; tags?: ('unnecessary' | 'deprecated')[] };

/** Classifies one action name (no invisible characters, no variables). Memoised: a pure function of the name. */
const classifyAction = memoizeString((name) => classifyUncached(name), 2000);

function unknown(messageId: keyof UnknownActionArgs, args: UnknownActionArgs[typeof messageId], data: UnknownActionData): NameReport {
  return { ruleId: 'unknown-action', messageId, args, data } as NameReport;
}

function classifyUncached(name: string): NameReport | undefined {
  if (name === '*') return undefined;
  const parts = name.split(/[\s,;]+/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => p.includes(':') || p === '*')) {
    return unknown('joined', { name, parts }, { kind: 'joined', parts, suggestions: [] });
  }
  const colon = name.indexOf(':');
  if (colon === -1) {
    if (isPattern(name)) {
      if (policyActionsMatching(name).length) return undefined;
      return unknown('patternWithoutPrefix', { name }, { kind: 'pattern', suggestions: [] });
    }
    const suggestions = suggestFor(name);
    return unknown('withoutPrefix', { name, suggestion: suggestions[0] }, { kind: 'no-prefix', suggestions });
  }
  const prefix = name.slice(0, colon);
  const lowerPrefix = prefix.toLowerCase();
  const misnomer = ACTION_MISNOMERS.get(name.toLowerCase());
  if (misnomer) {
    return unknown('misnomer', { name, why: misnomer.why, suggestion: misnomer.suggestion }, { kind: 'unknown', suggestions: misnomer.suggestion ? [misnomer.suggestion] : [] });
  }
  if (isPattern(name)) {
    if (policyActionsMatching(name).length) return undefined;
    const control = controlActionsMatching(name);
    if (control.length) {
      return {
        ruleId: 'not-an-iot-policy-action', messageId: 'controlPattern', args: { name, matches: control },
        data: { kind: 'control-plane', matches: control.slice(0, 10), suggestions: [] },
      };
    }
    if (!POLICY_PREFIXES.includes(lowerPrefix) && !isPattern(prefix) && !misspelledPolicyPrefix(prefix)) return otherService(name, prefix);
    return unknown('patternMatchesNothing', { name }, { kind: 'pattern', suggestions: [] });
  }
  const info = findAction(name);
  if (info) {
    if (info.preferred) {
      return { ruleId: 'legacy-job-action', messageId: 'one', args: { name, preferred: info.preferred }, data: { suggestions: [info.preferred], replacements: [] } };
    }
    if (info.name !== name) {
      return { ruleId: 'action-case', messageId: 'caseOnly', args: { name, canonical: info.name }, data: { suggestions: [info.name] } };
    }
    return undefined;
  }
  const control = findControlPlaneAction(name);
  if (control) {
    return { ruleId: 'not-an-iot-policy-action', messageId: 'control', args: { name }, data: { kind: 'control-plane', canonical: control, suggestions: [] } };
  }
  if (lowerPrefix === 'greengrass') {
    if (GREENGRASS_V1.has(name.toLowerCase())) return undefined;
    const near = nearest(name, IOT_POLICY_ACTIONS.filter((a) => a.group === 'greengrass').map((a) => a.name), 3);
    if (near.length) return unknown('greengrassTypo', { name, suggestion: near[0] }, { kind: 'unknown', suggestions: near.slice(0, 3) });
    return {
      ruleId: 'not-an-iot-policy-action', messageId: 'greengrassControl', args: { name },
      data: { kind: 'other-service', service: 'greengrass', suggestions: [] },
    };
  }
  if (POLICY_PREFIXES.includes(lowerPrefix) || misspelledPolicyPrefix(prefix)) {
    const suggestions = suggestFor(name);
    return unknown('unknown', { name, prefix: POLICY_PREFIXES.includes(lowerPrefix) ? undefined : prefix, suggestion: suggestions[0] }, { kind: 'unknown', suggestions });
  }
  return otherService(name, prefix);
}

function otherService(name: string, prefix: string): NameReport {
  return {
    ruleId: 'not-an-iot-policy-action', messageId: 'otherService', args: { name, prefix },
    data: { kind: 'other-service', service: prefix, suggestions: [] },
  };
}

/**
 * unknown-action on invisible characters (one report on the whole action string; `characters`
 * are the characters' own spans, which the fix deletes) and surrounding white space; returns the
 * cleaned name.
 */
function characterReports(out: ActionReport[], item: StringValue): string {
  const v = item.value;
  let first = 0;
  while (first < v.length && !isInvisibleCharacter(v.charCodeAt(first))) first++;
  // Almost every action has no invisible character: then it is its own cleaned text.
  let cleaned = first === v.length ? v : v.slice(0, first);
  const chars: number[] = [];
  for (let i = first; i < v.length; i++) {
    if (isInvisibleCharacter(v.charCodeAt(i))) chars.push(i);
    else cleaned += v[i];
  }
  if (chars.length) {
    const ch = v[chars[0]];
    const where = chars.every((i) => i >= v.length - chars.length) ? 'at the end of' : chars.every((i) => i < chars.length) ? 'at the start of' : 'inside';
    out.push({
      ruleId: 'unknown-action', messageId: 'invisible', span: contentSpan(item),
      args: { count: chars.length, character: ch, where, shown: cleaned.trim(), before: where === 'inside' ? v.slice(0, chars[0]) : undefined },
      data: { kind: 'invisible', codePoint: codePointLabel(ch), characters: chars.map((i) => item.spanOf(i, i + 1)), suggestions: [cleaned] },
    });
  }
  const lead = cleaned.length - cleaned.trimStart().length;
  const trail = cleaned.length - cleaned.trimEnd().length;
  if ((lead || trail) && cleaned.trim().length && cleaned === v) {
    if (lead) {
      out.push({ ruleId: 'unknown-action', messageId: 'whitespace', span: item.spanOf(0, lead), args: { name: v.trim(), side: 'before' }, data: { kind: 'whitespace', suggestions: [''] } });
    }
    if (trail) {
      out.push({ ruleId: 'unknown-action', messageId: 'whitespace', span: item.spanOf(v.length - trail, v.length), args: { name: v.trim(), side: 'after' }, data: { kind: 'whitespace', suggestions: [''] } });
    }
  }
  return cleaned.trim();
}

function actionItems(st: StatementModel): StringValue[] {
  return [...(st.action?.items ?? []), ...(st.notAction?.items ?? [])];
}

const REPORTS = {};

/** Every action report of the policy, computed once per model (four rules share it). */
export function actionReports(model: PolicyModel): ActionReport[] {
  return modelMemo(model, REPORTS, (): ActionReport[] => {
    const out: ActionReport[] = [];
    for (const st of model.statements) {
      const legacy: { item: StringValue; replacement: string }[] = [];
      for (const item of actionItems(st)) {
        // Empty: invalid-value-type; `${...}`: the variable rules; a template value: could be anything.
        if (item.value.length === 0 || item.variables.length > 0 || item.opaque.length > 0) continue;
        const before = out.length;
        const cleaned = characterReports(out, item);
        if (cleaned !== item.value) {
          // The characters are the mistake; report the name only if it is wrong without them too.
          const f = cleaned ? classifyAction(cleaned) : undefined;
          if (f && f.ruleId === 'unknown-action') {
            const invisible = out.slice(before).find((x) => x.messageId === 'invisible');
            if (invisible?.messageId === 'invisible') invisible.args = { ...invisible.args, alsoWrong: f };
            else out.push({ ...f, span: contentSpan(item) });
          }
          continue;
        }
        const f = classifyAction(item.value);
        if (!f) continue;
        if (f.ruleId === 'legacy-job-action') {
          legacy.push({ item, replacement: f.data.suggestions[0] });
          continue;
        }
        const foreign = f.ruleId === 'unknown-action' && f.messageId === 'unknown' ? /[^\x00-\x7e]/.exec(item.value)?.[0] : undefined;
        const report = foreign && f.messageId === 'unknown' ? { ...f, args: { ...f.args, foreign } } : f;
        out.push({ ...report, span: contentSpan(item), ...(f.ruleId === 'not-an-iot-policy-action' ? { tags: ['unnecessary' as const] } : {}) });
      }
      if (legacy.length) out.push(legacyReport(legacy));
    }
    return out;
  });
}

/** One legacy-job-action report for a statement's legacy job actions. */
function legacyReport(legacy: { item: StringValue; replacement: string }[]): ActionReport {
  const [first] = legacy;
  const data: LegacyJobActionData = {
    suggestions: [first.replacement],
    replacements: legacy.map((l) => ({ span: contentSpan(l.item), action: l.item.value, text: l.replacement })),
  };
  const related = legacy.slice(1).map((l) => ({ span: contentSpan(l.item), message: `\`${l.item.value}\` → \`${l.replacement}\`` }));
  return legacy.length === 1
    ? { ruleId: 'legacy-job-action', messageId: 'one', args: { name: first.item.value, preferred: first.replacement }, data, span: contentSpan(first.item) }
    : { ruleId: 'legacy-job-action', messageId: 'several', args: { names: legacy.map((l) => l.item.value), example: first.replacement }, data, span: contentSpan(first.item), related };
}
