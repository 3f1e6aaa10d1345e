/**
 * Decides a request locally, the way AWS IoT Core evaluates the policies attached to a principal.
 * Pure: a function of the policy models and the request. Semantics (reference §1.4, §2, §4, §7;
 * written up with examples in docs/evaluation.md):
 *
 * - Everything is denied by default (`ImplicitDeny`); a matching `Allow` statement in any policy
 *   allows; a matching `Deny` statement in any policy wins over every allow (`ExplicitDeny`).
 * - A statement matches when its `Effect` is exactly `Allow`/`Deny`, its `Action` (or `NotAction`)
 *   matches the action, its `Resource` (or `NotResource`) matches the resource, and every
 *   condition is true.
 * - Actions: `*` and `?` wildcards, case-insensitive. Resources: `*` and `?`, case-sensitive; `*`
 *   spans `/`; MQTT `+` and `#` are literal.
 * - Policy variables (`${...}`) are substituted from `request.context` when the policy's `Version`
 *   is `2012-10-17`; otherwise they are literal text. `${*}`, `${?}`, `${$}` are the literal
 *   characters. A substituted value is literal text (its `*` is not a wildcard). A variable with
 *   no value makes that resource entry or condition value match nothing (a note says so); IAM's
 *   default form `${key, 'default'}` supplies a value. Certificate variables whose value contains
 *   `*`, `$`, `+`, `?` or `#` (or is longer than 1024 characters) are not substituted, as in AWS IoT.
 * - Conditions: every IAM operator, `...IfExists`, `ForAnyValue:`/`ForAllValues:` (an absent or
 *   empty key makes `ForAllValues` true and `ForAnyValue` false), `Null`, negated operators true
 *   when the key is absent, several values of one key ORed (NORed for negated operators), keys and
 *   operators ANDed.
 * - Context keys are the condition key / variable names. Condition keys are matched exactly first,
 *   then ignoring case (as IAM matches keys); variable names in `${...}` only exactly (the linter's
 *   `policy-variable-case` rule says AWS does not substitute a mis-cased name). Multi-valued keys are arrays. For certificate attributes given as an array, the plain
 *   name is the first value, `.N` the value at index N (zero-based, `.1` is the second value, as
 *   AWS describes it) and `.List` all values.
 */
import type { Range } from 'vscode-languageserver-types';
import type { ConditionKeyEntry, ConditionOperatorEntry, ElementList, PolicyModel, Span, StatementModel, StringValue } from '../policy/model';
import { lookupConditionKey, parseDateValue, parseNumericValue, parseOperator, type OperatorInfo, type ParsedOperator } from '../catalog/conditions';
import { matchWildcard, parsePattern, type PatternToken } from '../match/wildcard';
import { cidrContains, parseCidr, parseIp } from '../catalog/ip';
import { lineColumn } from '../text/lines';
import { ownCopy } from '../text/memo';

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
export type ContextScalar = string | number | boolean;
export type ContextValue = ContextScalar | readonly ContextScalar[];

export interface EvalRequest {
  /** e.g. `iot:Publish`. */
  action: string;
  /** The full ARN, e.g. `arn:aws:iot:eu-west-1:493812760155:topic/sensors/t1`, or `*`. */
  resource: string;
  /** Condition keys and policy variables by name, e.g. `{"iot:ClientId": "t1", "iot:ConnectAttributes": ["PersistentConnect"]}`. */
  context?: Readonly<Record<string, ContextValue | null | undefined>>;
}

export interface EvalPolicy {
  /** Shown in notes and results (a file name, a policy name). */
  name: string;
  model: PolicyModel;
}

export interface MatchedStatement {
  /** The `name` of the policy. */
  policy: string;
  /** Zero-based index in `Statement` (notes and the CLI print it one-based). */
  statementIndex: number;
  effect: 'Allow' | 'Deny';
  /** The statement object in its document (offsets). */
  span: Span;
  /** The same as an LSP range (zero-based lines, UTF-16 characters), for highlighting. */
  range: Range;
  sid?: string;
}

export interface EvalResult {
  decision: Decision;
  /** Every statement that matched the request, in policy then statement order. */
  matched: MatchedStatement[];
  /** The statement that decided: the first matching Deny, else the first matching Allow. */
  deciding?: MatchedStatement;
  /** Explanations: unresolved variables, literal variables under an old Version, near misses. */
  notes: string[];
}

/** Evaluates `request` against all `policies` together (deny wins across policies). Never throws. */
/**
 * Why a standalone policy document cannot be evaluated, or undefined. AWS refuses a policy that
 * is not JSON, so evaluating what a tolerant parse recovered would answer for a policy that cannot
 * exist; without a `Statement` every answer would be an implicit deny that says nothing.
 */
export function unusablePolicyReason(model: PolicyModel): string | undefined {
  if (model.syntaxErrors.length) {
    const e = model.syntaxErrors[0];
    const { line, column } = lineColumn(model.text, e.offset);
    return `is not valid JSON: ${e.code} at line ${line}, column ${column}`;
  }
  if (!model.root || model.root.type !== 'object') return 'must be a JSON object with "Statement"';
  if (!model.statementProp) return 'has no "Statement"';
  if (model.omittedStatements) return omittedReason(model);
  return undefined;
}

function omittedReason(model: PolicyModel): string {
  const total = model.statements.length + (model.omittedStatements ?? 0);
  return `has ${total} statements, and only the first ${model.statements.length} are read (an AWS IoT policy holds at most 2,048 characters)`;
}

export function evaluate(policies: readonly EvalPolicy[], request: EvalRequest): EvalResult {
  const ctx = new Context(request.context ?? {});
  const matched: MatchedStatement[] = [];
  const notes: string[] = [];
  const nearMisses: (() => string)[] = [];
  for (const policy of policies) {
    const many = policies.length > 1;
    let versionNoted = false;
    // Inputs are refused before this (unusablePolicyReason); a caller that did not check still hears it.
    if (policy.model.omittedStatements) notes.push(`${policy.name} ${omittedReason(policy.model)}: the statements past them were not evaluated, so this answer may be wrong.`);
    for (const st of policy.model.statements) {
      // A statement that is no object, or whose Action (or NotAction) leaves the action out, adds
      // nothing, not even a note (one with both is read: it has a note).
      if (!st.isObject || (!(st.action && st.notAction) && !takesAction(st, request.action))) continue;
      const ev = new StatementEval(policy.model, st, many ? policy.name : undefined, ctx, request);
      const r = ev.run();
      if (r.literalVariables && !versionNoted) {
        versionNoted = true;
        const v = policy.model.versionValue?.value;
        notes.push(
          `${many ? `${policy.name}: ` : ''}${v ? `Version is "${v}"` : 'the policy has no Version'}, so \${...} is literal text, not a policy variable (variables need "Version": "2012-10-17")`,
        );
      }
      notes.push(...r.notes);
      if (r.matches && r.effect) {
        const sid = st.sid?.value?.type === 'string' ? String(st.sid.value.value) : undefined;
        const span = { offset: st.node.offset, length: st.node.length };
        matched.push({ policy: policy.name, statementIndex: st.index, effect: r.effect, span, range: rangeIn(policy.model, span), ...(sid ? { sid } : {}) });
      } else if (r.nearMiss && r.effect === 'Allow') nearMisses.push(r.nearMiss);
    }
  }
  const deny = matched.find((m) => m.effect === 'Deny');
  const allow = matched.find((m) => m.effect === 'Allow');
  const decision: Decision = deny ? 'ExplicitDeny' : allow ? 'Allow' : 'ImplicitDeny';
  if (decision === 'ImplicitDeny') {
    if (nearMisses.length) notes.push(...nearMisses.map((m) => m()));
    else if (!notes.length) notes.push(`no Allow statement matches action ${request.action}, so the request is implicitly denied`);
  }
  return { decision, matched, deciding: deny ?? allow, notes: dedupe(notes) };
}

/** Zero-based line/character range of a span (characters are UTF-16 code units, as in LSP). */
export function spanToRange(text: string, span: Span): Range {
  const pos = (offset: number) => {
    let line = 0;
    let lineStart = 0;
    const end = Math.min(offset, text.length);
    for (let i = 0; i < end; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, character: end - lineStart };
  };
  return { start: pos(span.offset), end: pos(span.offset + span.length) };
}

/** Where each line of a model's text starts, found once per model: a matched statement's range is then a binary search, not a scan of the text. */
const LINE_STARTS = new WeakMap<PolicyModel, number[]>();

function rangeIn(model: PolicyModel, span: Span): Range {
  let starts = LINE_STARTS.get(model);
  if (!starts) {
    starts = [0];
    for (let i = model.text.indexOf('\n'); i !== -1; i = model.text.indexOf('\n', i + 1)) starts.push(i + 1);
    LINE_STARTS.set(model, starts);
  }
  const lines = starts;
  const pos = (offset: number) => {
    const at = Math.min(offset, model.text.length);
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (lines[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - lines[lo] };
  };
  return { start: pos(span.offset), end: pos(span.offset + span.length) };
}

function dedupe(a: string[]): string[] {
  return [...new Set(a)];
}

function statementLabel(st: StatementModel, policyName: string | undefined): string {
  const sid = st.sid?.value?.type === 'string' ? String(st.sid.value.value) : undefined;
  return `statement ${st.index + 1}${sid ? ` ("${sid}")` : ''}${policyName ? ` of ${policyName}` : ''}`;
}

/**
 * One statement's parts on a request, with the evaluator's own semantics: the review engine
 * (service/review/) builds its regions from these, so that what it decides symbolically is what
 * `evaluate` decides. The statement matches exactly when `effect` is set, the resource entries hit
 * (`negated`: none hits) and every condition holds.
 */
export interface StatementProbe {
  /** Undefined when the statement's action does not match or AWS ignores it (no valid Effect, both Action and NotAction, ...). */
  effect?: 'Allow' | 'Deny';
  /** The Resource (or, `negated`, NotResource) entries with the request's values substituted; undefined for an entry that cannot match. */
  resource: { negated: boolean; entries: (PatternToken[] | undefined)[] };
  /** The truth of each key of each condition operator; undefined when the Condition block is invalid (the statement never matches). */
  conditions?: { operator: string; key: string; holds: boolean }[];
}

/** The parts of `st` (a statement of `model`) on `request`; see {@link StatementProbe}. Never throws. */
export function probeStatement(model: PolicyModel, st: StatementModel, request: EvalRequest): StatementProbe {
  return new StatementEval(model, st, undefined, new Context(request.context ?? {}), request).probe();
}

/** Does a probed statement match the resource? (The condition is checked separately.) */
export function probeResourceHit(probe: StatementProbe, resource: string): boolean {
  const hit = probe.resource.entries.some((t) => t !== undefined && matchWildcard(t, resource));
  return probe.resource.negated ? !hit : hit;
}

// ---------------------------------------------------------------------------------------------
// Request context

interface ContextEntry {
  values: string[];
  /** Given as an array. */
  multi: boolean;
}

const CERT_UNSUBSTITUTABLE = /[*$+?#]/;

class Context {
  private readonly exact = new Map<string, ContextEntry>();
  private readonly lower = new Map<string, ContextEntry>();

  constructor(raw: Readonly<Record<string, ContextValue | null | undefined>>) {
    for (const [k, v] of Object.entries(raw)) {
      if (v === null || v === undefined) continue;
      const entry: ContextEntry = Array.isArray(v)
        ? { values: (v as readonly ContextScalar[]).filter((x) => x !== null && x !== undefined).map(String), multi: true }
        : { values: [String(v)], multi: false };
      this.exact.set(k, entry);
      if (!this.lower.has(k.toLowerCase())) this.lower.set(k.toLowerCase(), entry);
    }
  }

  private direct(key: string, exact: boolean): ContextEntry | undefined {
    return this.exact.get(key) ?? (exact ? undefined : this.lower.get(key.toLowerCase()));
  }

  /**
   * The values of a condition key or variable, with the certificate `.N` / `.List` forms derived.
   * `exact`: match the name case-sensitively (policy variables); otherwise exact first, then
   * ignoring case (condition keys, which IAM matches without case).
   */
  get(key: string, exact = false): ContextEntry | undefined {
    const d = this.direct(key, exact);
    if (d) {
      // A certificate attribute given as an array: the plain name is its first value.
      if (d.multi && /^iot:certificate\./i.test(key) && !/\.list$/i.test(key) && !/^iot:certificate\.availablekeys$/i.test(key)) {
        return d.values.length ? { values: [d.values[0]], multi: false } : undefined;
      }
      return d;
    }
    const m = (exact ? /^(iot:Certificate\..*)\.(List|\d{1,2})$/ : /^(iot:Certificate\..*)\.(List|\d{1,2})$/i).exec(key);
    if (m) {
      const base = this.direct(m[1], exact);
      if (!base) return undefined;
      if (m[2].toLowerCase() === 'list') return { values: base.values.slice(0, 5), multi: true };
      const v = base.values[Number(m[2])];
      return v === undefined ? undefined : { values: [v], multi: false };
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// One statement

/**
 * Does an action pattern match an action? A statement's patterns meet the same few actions on
 * every request, so the answers are kept with the pattern (at most `ACTIONS_KEPT` actions each: a
 * request's action is anyone's text).
 */
const ACTION_HITS = new WeakMap<StringValue, Map<string, boolean>>();
const ACTIONS_KEPT = 256;

export function actionPatternMatches(pattern: StringValue, action: string): boolean {
  let hits = ACTION_HITS.get(pattern);
  if (!hits) ACTION_HITS.set(pattern, (hits = new Map()));
  let hit = hits.get(action);
  if (hit === undefined) {
    hit = matchWildcard(parsePattern(pattern.value), action, { ignoreCase: true });
    if (hits.size >= ACTIONS_KEPT) hits.clear();
    hits.set(action, hit);
  }
  return hit;
}

/** Does the statement's Action take in the action (or its NotAction leave it out)? False without either. */
function takesAction(st: StatementModel, action: string): boolean {
  if (st.action) return st.action.items.some((item) => actionPatternMatches(item, action));
  if (st.notAction) return !st.notAction.items.some((item) => actionPatternMatches(item, action));
  return false;
}

interface StatementResult {
  matches: boolean;
  effect?: 'Allow' | 'Deny';
  notes: string[];
  /** Why an Allow statement whose action matched did not apply: built only when the note is shown (the request denied by default). */
  nearMiss?: () => string;
  literalVariables: boolean;
}

interface Substituted {
  tokens: PatternToken[];
  unresolved: readonly string[];
  /** Problems with resolution other than absence (several values, unsubstitutable characters). */
  problems: readonly string[];
}

/** A substituted value's characters as literal tokens, shared (no caller changes tokens); bounded, short values only. */
const LITERALS = new Map<string, PatternToken[]>();
const LITERALS_KEPT = 1024;
const LITERAL_KEPT_LENGTH = 256;

function literalTokens(value: string): readonly PatternToken[] {
  let tokens = LITERALS.get(value);
  if (!tokens) {
    tokens = [...value].map((ch): PatternToken => ({ kind: 'lit', ch }));
    if (value.length > LITERAL_KEPT_LENGTH) return tokens;
    if (LITERALS.size >= LITERALS_KEPT) LITERALS.clear();
    LITERALS.set(ownCopy(value), tokens);
  }
  return tokens;
}

/**
 * A policy string's pattern tokens, parsed once, with `${...}` read as variables or as text (by the
 * model's Version), and its tokens with the variables substituted, for a few sets of values.
 */
const PARSED = new WeakMap<StringValue, { variables?: PatternToken[]; text?: PatternToken[]; substituted?: Map<string, PatternToken[]> }>();
const SUBSTITUTIONS_KEPT = 16;
const NONE: readonly string[] = [];

class StatementEval {
  private readonly notes: string[] = [];
  private literalVariables = false;

  constructor(
    private readonly model: PolicyModel,
    private readonly st: StatementModel,
    /** Named in the label of a statement of one of several policies. */
    private readonly policyName: string | undefined,
    private readonly ctx: Context,
    private readonly request: EvalRequest,
  ) {}

  /** "statement 2 (\"Sid\") of p.json", for notes: built only when a note needs it. */
  private get label(): string {
    return statementLabel(this.st, this.policyName);
  }

  run(): StatementResult {
    const st = this.st;
    const result = (matches: boolean, effect?: 'Allow' | 'Deny', nearMiss?: () => string): StatementResult => ({
      matches, effect, notes: this.notes, nearMiss, literalVariables: this.literalVariables,
    });
    if (!st.isObject) return result(false);
    const effectText = st.effectValue?.value;
    const effect = effectText === 'Allow' || effectText === 'Deny' ? effectText : undefined;

    // Action / NotAction.
    if (st.action && st.notAction) {
      if (this.actionMatches(st.action) || !this.actionMatches(st.notAction)) this.notes.push(`${this.label} has both Action and NotAction, which AWS rejects; it is ignored`);
      return result(false);
    }
    const actionList = st.action ?? st.notAction;
    if (!actionList) return result(false);
    const actionHit = st.action ? this.actionMatches(st.action) : !this.actionMatches(st.notAction!);
    if (!actionHit) return result(false);

    if (!effect) {
      this.notes.push(`${this.label} matches the action but its Effect is ${effectText === undefined ? 'missing' : `"${effectText}"`} (must be exactly "Allow" or "Deny"); it is ignored`);
      return result(false);
    }

    // Resource / NotResource.
    if (st.resource && st.notResource) {
      this.notes.push(`${this.label} has both Resource and NotResource, which AWS rejects; it is ignored`);
      return result(false, effect);
    }
    const resList = st.resource ?? st.notResource;
    if (!resList) {
      this.notes.push(`${this.label} has no Resource or NotResource; it is ignored`);
      return result(false, effect);
    }
    const res = this.resourceMatches(resList);
    const resourceHit = st.resource ? res.hit : !res.hit;
    if (!resourceHit) {
      if (st.resource && res.unresolved.length) {
        for (const name of res.unresolved) this.notes.push(`variable ${name} has no value in the request, so ${this.label} cannot match`);
      }
      for (const p of res.problems) this.notes.push(`${this.label}: ${p}`);
      const explained = (st.resource && res.unresolved.length > 0) || res.problems.length > 0;
      return result(false, effect, explained ? undefined : () => `${this.label} (${effect}) matches action ${this.request.action} but not resource ${this.request.resource}`);
    }
    if (st.notResource && res.unresolved.length) {
      for (const name of res.unresolved) this.notes.push(`variable ${name} has no value in the request, so its NotResource entry in ${this.label} excludes nothing`);
    }

    // Condition.
    const cond = this.conditionHolds();
    if (!cond.ok) return result(false, effect, () => `${this.label} (${effect}) matches the action and resource but its condition ${cond.failed} is false`);
    return result(true, effect);
  }

  probe(): StatementProbe {
    const st = this.st;
    const none: StatementProbe = { resource: { negated: false, entries: [] } };
    if (!st.isObject || (st.action && st.notAction)) return none;
    const actionList = st.action ?? st.notAction;
    if (!actionList) return none;
    const actionHit = st.action ? this.actionMatches(st.action) : !this.actionMatches(st.notAction!);
    const effectText = st.effectValue?.value;
    const effect = effectText === 'Allow' || effectText === 'Deny' ? effectText : undefined;
    const resList = st.resource && st.notResource ? undefined : (st.resource ?? st.notResource);
    if (!actionHit || !effect || !resList) return none;
    const entries = resList.items.map((item) => {
      const sub = this.substitute(item);
      return sub.unresolved.length || sub.problems.length ? undefined : sub.tokens;
    });
    return { effect, resource: { negated: !st.resource, entries }, conditions: this.conditionParts() };
  }

  /** The truth of every key of every operator, or undefined when the block makes the statement never match. */
  private conditionParts(): { operator: string; key: string; holds: boolean }[] | undefined {
    const block = this.st.condition;
    if (!block) return [];
    if (block.prop.value?.type !== 'object') return undefined;
    const out: { operator: string; key: string; holds: boolean }[] = [];
    for (const entry of block.operators) {
      const parsed = parseOperator(entry.operator);
      if (!parsed.valid || !parsed.operator || entry.prop.value?.type !== 'object') return undefined;
      for (const keyEntry of entry.keys) out.push({ operator: entry.operator, key: keyEntry.key, holds: this.keyHolds(entry, parsed, parsed.operator, keyEntry) });
    }
    return out;
  }

  private actionMatches(list: ElementList): boolean {
    return list.items.some((item) => actionPatternMatches(item, this.request.action));
  }

  private resourceMatches(list: ElementList): { hit: boolean; unresolved: string[]; problems: string[] } {
    const unresolved: string[] = [];
    const problems: string[] = [];
    let hit = false;
    for (const item of list.items) {
      const sub = this.substitute(item);
      if (sub.unresolved.length || sub.problems.length) {
        unresolved.push(...sub.unresolved);
        problems.push(...sub.problems);
        continue;
      }
      if (matchWildcard(sub.tokens, this.request.resource)) hit = true;
    }
    return { hit, unresolved: unresolved.length > 1 ? dedupe(unresolved) : unresolved, problems: problems.length > 1 ? dedupe(problems) : problems };
  }

  /** Pattern tokens of a policy string with variables replaced by their (literal) values. */
  private substitute(sv: StringValue | string): Substituted {
    const text = typeof sv === 'string' ? sv : sv.value;
    const enabled = this.model.variablesEnabled;
    if (!enabled && text.includes('${')) this.literalVariables = true;
    const kept = typeof sv === 'string' ? undefined : (PARSED.get(sv) ?? PARSED.set(sv, {}).get(sv)!);
    let tokens = enabled ? kept?.variables : kept?.text;
    if (!tokens) {
      tokens = parsePattern(text, { variables: enabled });
      if (kept) kept[enabled ? 'variables' : 'text'] = tokens;
    }
    // Nothing to substitute: the parsed tokens themselves (no caller changes them).
    if (!tokens.some((t) => t.kind === 'var')) return { tokens, unresolved: NONE, problems: NONE };
    // The same values give the same tokens: kept per string, for a few sets of values.
    const resolved: ReturnType<StatementEval['resolveVariable']>[] = [];
    // The values, each as its length, `:` and itself; undefined when one is missing.
    let key: string | undefined = '';
    for (const t of tokens) {
      if (t.kind !== 'var') continue;
      const r = this.resolveVariable(t.name);
      resolved.push(r);
      if (key !== undefined) key = r.value === undefined ? undefined : `${key}${r.value.length}:${r.value}`;
    }
    const byValues = key !== undefined && kept ? (kept.substituted ??= new Map()) : undefined;
    const known = key === undefined ? undefined : byValues?.get(key);
    if (known) return { tokens: known, unresolved: NONE, problems: NONE };
    const out: PatternToken[] = [];
    const unresolved: string[] = [];
    const problems: string[] = [];
    let at = 0;
    for (const t of tokens) {
      if (t.kind !== 'var') {
        out.push(t);
        continue;
      }
      const r = resolved[at++];
      if (r.value === undefined) {
        if (r.problem) problems.push(r.problem);
        else unresolved.push(r.key);
        out.push(t);
        continue;
      }
      for (const t of literalTokens(r.value)) out.push(t);
    }
    if (byValues && key !== undefined) {
      if (byValues.size >= SUBSTITUTIONS_KEPT) byValues.clear();
      byValues.set(key, out);
    }
    return { tokens: out, unresolved, problems };
  }

  private resolveVariable(raw: string): { value?: string; key: string; problem?: string } {
    // IAM default values: ${key, 'default'}.
    let key = raw.trim();
    let fallback: string | undefined;
    const comma = raw.indexOf(',');
    if (comma !== -1) {
      const def = raw.slice(comma + 1).trim();
      if (def.length >= 2 && def.startsWith("'") && def.endsWith("'")) {
        key = raw.slice(0, comma).trim();
        fallback = def.slice(1, -1);
      }
    }
    const entry = this.ctx.get(key, true);
    if (!entry || entry.values.length === 0) {
      if (fallback !== undefined) return { value: fallback, key };
      if (this.ctx.get(key)) {
        return { key, problem: `variable \${${key}} differs in case from the request's key; variable names are case-sensitive, so AWS does not substitute it and the entry cannot match` };
      }
      return { key };
    }
    if (entry.values.length > 1) return { key, problem: `variable ${key} has several values in the request; a variable needs exactly one, so the entry cannot match` };
    const value = entry.values[0];
    if (/^iot:certificate/i.test(key) && (CERT_UNSUBSTITUTABLE.test(value) || value.length > 1024)) {
      return { key, problem: `variable ${key} is not substituted because its value contains *, $, +, ? or # or is longer than 1024 characters (AWS IoT leaves it as literal text), so the entry cannot match` };
    }
    return { value, key };
  }

  private conditionHolds(): { ok: true } | { ok: false; failed: string } {
    const block = this.st.condition;
    if (!block) return { ok: true };
    if (block.prop.value?.type !== 'object') {
      this.notes.push(`${this.label}: Condition is not an object, which AWS rejects; the statement is ignored`);
      return { ok: false, failed: 'block' };
    }
    for (const entry of block.operators) {
      const parsed = parseOperator(entry.operator);
      if (!parsed.valid || !parsed.operator) {
        this.notes.push(`${this.label}: "${entry.operator}" is not a valid condition operator (${parsed.problem ?? 'unknown'}${parsed.suggestion ? `; did you mean ${parsed.suggestion}?` : ''}); AWS rejects such a policy, so the statement is treated as not matching`);
        return { ok: false, failed: entry.operator };
      }
      if (entry.prop.value?.type !== 'object') {
        this.notes.push(`${this.label}: the value of ${entry.operator} must be an object of condition keys; the statement is treated as not matching`);
        return { ok: false, failed: entry.operator };
      }
      for (const keyEntry of entry.keys) {
        if (!this.keyHolds(entry, parsed, parsed.operator, keyEntry)) return { ok: false, failed: `${entry.operator} on ${keyEntry.key}` };
      }
    }
    return { ok: true };
  }

  private keyHolds(entry: ConditionOperatorEntry, parsed: ParsedOperator, op: OperatorInfo, keyEntry: ConditionKeyEntry): boolean {
    if (op.base === 'Numeric' || op.base === 'Date') {
      // The linter warns of the same doubt (condition-value-type, `stringKeyCompared`).
      const info = lookupConditionKey(keyEntry.key);
      if (info?.info.valueType === 'string') {
        this.notes.push(`${this.label}: ${entry.operator} on ${info.canonical}: AWS documents this key as a string, and not whether AWS IoT compares it as a ${op.base === 'Numeric' ? 'number' : 'date'}; this decision assumes it does`);
      }
    }
    const policyValues: (StringValue | string)[] = [];
    for (const v of keyEntry.values) {
      if (v.kind === 'string' && v.str) policyValues.push(v.str);
      else if (v.kind === 'boolean' || v.kind === 'number') policyValues.push(String(v.node.value));
      else this.notes.push(`${this.label}: a ${v.kind} value for ${keyEntry.key} in ${entry.operator} is not a condition value and is ignored`);
    }
    const ctx = this.ctx.get(keyEntry.key);
    const present = !!ctx && ctx.values.length > 0;

    if (op.base === 'Null') {
      // "true": the key must be absent; "false": present. An empty array counts as absent.
      return policyValues.some((pv) => {
        const raw = typeof pv === 'string' ? pv : pv.value;
        const v = raw.toLowerCase();
        const holds = v === 'true' ? !present : v === 'false' && present;
        if (holds && raw !== v) this.notes.push(`${this.label}: Null on ${keyEntry.key} read "${raw}" without case; AWS writes it in lower case and does not document this (condition-value-type warns of it)`);
        return holds;
      });
    }

    const matchesOne = (value: string): boolean => {
      const any = policyValues.some((pv) => this.compare(op, value, pv, keyEntry.key));
      return op.negated ? !any : any;
    };

    if (parsed.setPrefix === 'ForAllValues') {
      // Vacuously true for an absent key or an empty set (IAM).
      if (!present) return true;
      return ctx!.values.every(matchesOne);
    }
    if (parsed.setPrefix === 'ForAnyValue') {
      if (!present) return parsed.ifExists;
      return ctx!.values.some(matchesOne);
    }
    if (!present) {
      if (parsed.ifExists) return true;
      return op.negated;
    }
    if (ctx!.values.length > 1) {
      this.notes.push(`${this.label}: ${keyEntry.key} has several values in the request; ${entry.operator} without ForAnyValue:/ForAllValues: is evaluated as true when any value satisfies it`);
      return ctx!.values.some(matchesOne);
    }
    return matchesOne(ctx!.values[0]);
  }

  private compare(op: OperatorInfo, value: string, pv: StringValue | string, key: string): boolean {
    const raw = typeof pv === 'string' ? pv : pv.value;
    switch (op.base) {
      case 'String': {
        const sub = this.substituteValue(pv, key);
        if (!sub) return false;
        if (op.comparison === 'like') return matchWildcard(sub, value);
        const literal = sub.map((t) => (t.kind === 'lit' ? t.ch : t.kind === 'star' ? '*' : '?')).join('');
        return op.ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value;
      }
      case 'Arn': {
        const sub = this.substituteValue(pv, key);
        return sub ? arnMatches(sub, value) : false;
      }
      case 'Numeric': {
        const a = parseNumericValue(value);
        const b = parseNumericValue(raw);
        if (a === undefined || b === undefined) return false;
        return compareNumbers(op, a, b);
      }
      case 'Date': {
        const a = parseDateValue(value);
        const b = parseDateValue(raw);
        if (a === undefined || b === undefined) return false;
        return compareNumbers(op, a, b);
      }
      case 'Bool': {
        const ok = raw.toLowerCase() === value.toLowerCase() && (raw.toLowerCase() === 'true' || raw.toLowerCase() === 'false');
        if (ok && raw !== raw.toLowerCase()) {
          this.notes.push(`${this.label}: ${key} compared "${raw}" with "${value}" without case; AWS writes Bool values in lower case and does not document this (condition-value-type warns of it)`);
        }
        return ok;
      }
      case 'Binary':
        return normBase64(raw) === normBase64(value);
      case 'IpAddress': {
        const block = parseCidr(raw);
        const ip = parseIp(value);
        return !!block && !!ip && cidrContains(block, ip);
      }
      default:
        return false;
    }
  }

  /** A String/Arn condition value as tokens with variables substituted; undefined if a variable has no value. */
  private substituteValue(pv: StringValue | string, key: string): PatternToken[] | undefined {
    const sub = this.substitute(pv);
    if (sub.unresolved.length || sub.problems.length) {
      for (const name of sub.unresolved) this.notes.push(`variable ${name} has no value in the request, so a value of ${key} in ${this.label} cannot match`);
      for (const p of sub.problems) this.notes.push(`${this.label}: ${p}`);
      return undefined;
    }
    return sub.tokens;
  }
}

function compareNumbers(op: OperatorInfo, a: number, b: number): boolean {
  switch (op.comparison) {
    case 'equals': return a === b;
    case 'lessThan': return a < b;
    case 'lessThanEquals': return a <= b;
    case 'greaterThan': return a > b;
    case 'greaterThanEquals': return a >= b;
    default: return false;
  }
}

function normBase64(s: string): string {
  return s.replace(/\s+/g, '').replace(/=+$/, '');
}

/** ARN operators: the six `:`-separated parts are matched separately, each with `*` and `?`. */
function arnMatches(pattern: PatternToken[], arn: string): boolean {
  const pparts: PatternToken[][] = [[]];
  for (const t of pattern) {
    if (t.kind === 'lit' && t.ch === ':' && pparts.length < 6) pparts.push([]);
    else pparts[pparts.length - 1].push(t);
  }
  // Not an ARN pattern: only a bare `*` matches (anything).
  if (pparts.length < 6) return pattern.length > 0 && pattern.every((t) => t.kind === 'star');
  const vparts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const c = rest.indexOf(':');
    if (c === -1) return false;
    vparts.push(rest.slice(0, c));
    rest = rest.slice(c + 1);
  }
  vparts.push(rest);
  return pparts.every((p, i) => matchWildcard(p, vparts[i]));
}
