/**
 * Incremental analysis. A keystroke changes one statement; the rules whose meta says
 * `scope: 'statement'` read one statement at a time, so their findings on every other statement
 * are those of the last analysis, moved by however far the statement moved. They are kept here,
 * keyed by the statement's text and what else such a rule reads of the policy (the host, whether
 * `2012-10-17` enables variables, which rules are on), and shared between documents.
 *
 * Reuse needs a policy whose statements mean what their text says (`selfContained`: no template
 * value resolved from elsewhere) and that parses without syntax errors (an error can change how
 * the text around it is read). A statement whose findings reach outside it, or on which a rule
 * failed, is analysed again every time. The result is the same as running every rule on the
 * whole policy: `test/property/incremental.test.ts` checks it on random edits.
 */
import type { PolicyModel, StatementModel, StringValue } from './policy/model';
import { ownCopy } from './text/memo';
import type { Finding, Rule } from './rules/rule';

/** A statement's findings of one analysis, with every document offset made relative to the statement. */
interface Kept {
  rule: number;
  finding: Finding;
}

/**
 * Fewer statements than this are analysed whole: keeping and looking up findings costs more than
 * the rules save on a policy this small.
 */
const MIN_STATEMENTS = 4;

/** At most this many statements are kept, and at most this many characters of their texts. */
const MAX_ENTRIES = 4096;
const MAX_CHARS = 2_000_000;
/** A statement longer than this (no real one comes near) is analysed every time, not kept. */
const MAX_STATEMENT_CHARS = 65_536;

/**
 * The statements of the last few analyses, in order, with their findings: a statement is first
 * compared with the one at its index in these (before the edit) or at its index from the end
 * (after it), in place in the document's text, which is cheaper than cutting and hashing its text
 * for `kept`. `absolute` holds the findings as the analysis reported them, at `starts`: a
 * statement still at the same offset takes them as they are, without moving a copy.
 */
interface Recent {
  context: string;
  texts: string[];
  found: (readonly Kept[] | undefined)[];
  starts: number[];
  absolute: (readonly Finding[] | undefined)[];
}
const RECENT = 4;
const recent: Recent[] = [];

/** By context (host, version, rules), then by statement text; the oldest statements go first. */
const kept = new Map<string, Map<string, readonly Kept[]>>();
let keptEntries = 0;
let keptChars = 0;

/** The context string of the last call, and what it was built from. */
let lastContext = { host: '', variables: false, indexes: [] as readonly number[], key: '' };

/** The key of what else a statement-scoped rule reads of the policy: the host, the version in force, the rules on. */
function contextOf(model: PolicyModel, indexes: readonly number[]): string {
  const c = lastContext;
  if (c.host === model.host.id && c.variables === model.variablesEnabled && c.indexes.length === indexes.length && c.indexes.every((x, i) => x === indexes[i])) return c.key;
  const key = `${model.host.id}\u0001${model.variablesEnabled ? 1 : 0}\u0001${indexes.join(',')}`;
  lastContext = { host: model.host.id, variables: model.variablesEnabled, indexes: [...indexes], key };
  return key;
}

/** Can the statement-scoped rules of `model` reuse findings from earlier analyses? */
export function canReuse(model: PolicyModel): boolean {
  return model.selfContained === true && model.syntaxErrors.length === 0 && model.statements.length >= MIN_STATEMENTS && !model.omittedStatements;
}

const NONE: readonly Finding[] = [];

/**
 * Runs the statement-scoped rules `indexes` (positions in `rules`) over `model`, reusing each
 * statement's findings while its text is unchanged. `push` receives each finding with the index
 * of the rule that reported it; `run` runs one rule over a model.
 */
export function runStatementRules(
  model: PolicyModel,
  rules: readonly Rule[],
  indexes: readonly number[],
  run: (rule: Rule, model: PolicyModel, push: (f: Finding) => void) => void,
  push: (index: number, f: Finding) => void,
): void {
  const context = contextOf(model, indexes);
  const inContext = kept.get(context);
  const text = model.text;
  const count = model.statements.length;
  const now: Recent = { context, texts: new Array<string>(count), found: new Array(count), starts: new Array<number>(count), absolute: new Array(count) };
  /** The statements analysed again, in document order, with their place in `now`. */
  const missed: { st: StatementModel; start: number; end: number; keepable: boolean; at: number; mine: Kept[]; local: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const st = model.statements[i];
    const start = st.node.offset;
    const end = start + st.node.length;
    const keepable = end - start <= MAX_STATEMENT_CHARS;
    let key = '';
    let found: readonly Kept[] | undefined;
    let absolute: readonly Finding[] | undefined;
    if (keepable) {
      // A recent analysis with the same text at the same place from the start or the end.
      for (let r = 0; r < recent.length && !found; r++) {
        const before = recent[r];
        if (before.context !== context) continue;
        const n = before.texts.length;
        for (let j = i, tries = 0; tries < 2; tries++, j = i + n - count) {
          if (j < 0 || j >= n || !before.found[j] || !sameText(before.texts[j], text, start, end)) continue;
          key = before.texts[j];
          found = before.found[j];
          if (before.starts[j] === start) absolute = before.absolute[j];
          break;
        }
      }
      if (!found) {
        key = text.slice(start, end);
        found = inContext?.get(key);
        // Carried from analysis to analysis while the statement is unchanged: never the document's text.
        if (found) key = ownCopy(key);
      }
    }
    now.texts[i] = key;
    now.found[i] = found;
    now.starts[i] = start;
    if (found) {
      if (!absolute) {
        if (!found.length) absolute = NONE;
        else {
          const moves: Finding[] = new Array<Finding>(found.length);
          for (let k = 0; k < found.length; k++) moves[k] = moved(found[k].finding, start) as Finding;
          absolute = moves;
        }
      }
      now.absolute[i] = absolute;
      for (let k = 0; k < found.length; k++) push(found[k].rule, absolute[k]);
    } else missed.push({ st, start, end, keepable, at: i, mine: [], local: true });
  }
  if (missed.length) {
    // One view of every statement analysed again: a statement-scoped rule's findings on it are
    // those on each statement alone, each within its statement.
    const strings: StringValue[] = [];
    let from = 0; // strings are sorted by offset, and so are statements
    for (const m of missed) {
      while (from < model.strings.length && model.strings[from].span.offset < m.start) from++;
      while (from < model.strings.length && model.strings[from].span.offset < m.end) strings.push(model.strings[from++]);
    }
    const view = statementView(model, 'statements', missed.map((m) => m.st), strings);
    let stray = false;
    let i = 0;
    const found = (f: Finding): void => {
      push(i, f);
      const m = statementAt(missed, f.span.offset);
      if (!m) stray = true;
      else {
        m.mine.push({ rule: i, finding: f });
        if (m.local && (f.ruleId !== rules[i].meta.id || !within(f, m.start, m.end))) m.local = false;
      }
    };
    for (i of indexes) run(rules[i], view, found);
    // A finding outside every statement analysed cannot be told apart: keep none of them.
    for (const m of stray ? [] : missed) {
      if (!m.local || !m.keepable) continue;
      const own = ownCopy(now.texts[m.at]);
      const relativeFindings = m.mine.map((k) => ({ rule: k.rule, finding: relative(k.finding, m.start) }));
      keep(context, own, relativeFindings);
      now.texts[m.at] = own;
      now.found[m.at] = relativeFindings;
    }
  }
  remember(now);
  // What is outside every statement (the Version value, the top-level keys).
  const view = statementView(model, 'rest', [], outside(model));
  let rule = 0;
  const foundOutside = (f: Finding): void => push(rule, f);
  for (rule of indexes) run(rules[rule], view, foundOutside);
}

/** The statement of `missed` (in document order) whose span holds `offset`. */
function statementAt<T extends { start: number; end: number }>(missed: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = missed.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = missed[mid];
    if (offset < m.start) hi = mid - 1;
    else if (offset > m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}

/** Is `prev` the text of `text` from `start` to `end`? Compared in place, without cutting it out. */
function sameText(prev: string, text: string, start: number, end: number): boolean {
  return prev.length === end - start && text.startsWith(prev, start);
}

/**
 * Keeps the statements of an analysis among the recent ones. The texts of statements with
 * findings are own copies; the others are cut from the document, and are never carried to a
 * later analysis: at most RECENT documents' texts stay alive.
 */
function remember(now: Recent): void {
  recent.unshift(now);
  if (recent.length > RECENT) recent.pop();
}

/** The policy as a statement-scoped rule sees it: only `statements` and their strings, or only the rest. */
function statementView(model: PolicyModel, part: 'statements' | 'rest', statements: StatementModel[], strings: StringValue[]): PolicyModel {
  return { ...model, part, statements, strings };
}

/**
 * Strings of the model outside every statement that hold a `${...}` reference (a statement-scoped
 * rule reads the policy's strings only for their references).
 */
function outside(model: PolicyModel): StringValue[] {
  const out: StringValue[] = [];
  const sts = model.statements;
  let s = 0;
  for (const sv of model.strings) {
    const at = sv.span.offset;
    while (s < sts.length && sts[s].node.offset + sts[s].node.length <= at) s++;
    if (s < sts.length && sts[s].node.offset <= at) continue;
    if (sv.variables.length) out.push(sv);
  }
  return out;
}

/** Does every offset of `f` (its span, related spans, offsets in its data) lie within [start, end]? */
function within(f: Finding, start: number, end: number): boolean {
  let ok = true;
  visitOffsets(f, (offset, length) => {
    if (offset < start || offset + length > end) ok = false;
  });
  return ok;
}

function visitOffsets(value: unknown, visit: (offset: number, length: number) => void): void {
  if (Array.isArray(value)) {
    for (const x of value) visitOffsets(x, visit);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.offset === 'number') visit(o.offset, typeof o.length === 'number' ? o.length : 0);
    for (const k in o) if (k !== 'offset') visitOffsets(o[k], visit);
  }
}

/**
 * A copy of `f` with every `offset` moved by `-start`, sharing nothing with the document: the
 * JSON round trip copies every string, so that a kept message or name never keeps the text it
 * was cut from alive (see `ownCopy`).
 */
function relative(f: Finding, start: number): Finding {
  return JSON.parse(JSON.stringify(f, (k, v: unknown) => (k === 'offset' && typeof v === 'number' ? v - start : v))) as Finding;
}

/** A copy of a kept value with every `offset` moved by `by`. */
function moved(value: unknown, by: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((x) => moved(x, by));
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = o[k];
    out[k] = typeof v === 'object' ? moved(v, by) : k === 'offset' && typeof v === 'number' ? v + by : v;
  }
  return out;
}

function keep(context: string, key: string, findings: readonly Kept[]): void {
  let inContext = kept.get(context);
  if (!inContext) kept.set(context, (inContext = new Map()));
  if (inContext.has(key)) return;
  inContext.set(key, findings);
  keptEntries++;
  keptChars += key.length;
  // Oldest first: a statement kept long ago and still in an open document is simply analysed and
  // kept again at its next change.
  while (keptEntries > MAX_ENTRIES || keptChars > MAX_CHARS) {
    const [c, oldest] = kept.entries().next().value as [string, Map<string, readonly Kept[]>];
    const k = oldest.keys().next().value as string | undefined;
    if (k === undefined) {
      kept.delete(c);
      continue;
    }
    oldest.delete(k);
    keptEntries--;
    keptChars -= k.length;
    if (!oldest.size) kept.delete(c);
  }
}

/** How many statements are kept, and the characters of their texts (tests). */
export function statementReuseStats(): { statements: number; chars: number } {
  return { statements: keptEntries, chars: keptChars };
}

/** Forgets every kept statement (tests; a process short of memory). */
export function clearStatementReuse(): void {
  kept.clear();
  recent.length = 0;
  keptEntries = 0;
  keptChars = 0;
}
