/**
 * Code actions: a quick fix for each fixable diagnostic, and "Fix all safe problems"
 * (`source.fixAll.iot-policy`) that applies every safe, unambiguous fix at once.
 *
 * Fixes are built from the diagnostics' `code` and `data` (see each rule's comment), matched
 * against a fresh analysis of the model so that edits always fit the current text. Messages are
 * never parsed.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, withinLimits, type AnalyzedFinding } from '../analyze';
import type { PolicyConfig } from '../config';
import { DIAGNOSTIC_SOURCE } from '../lsp';
import type { PolicyDocument, PolicyEntry } from '../document';
import type { PolicyModel } from '../policy/model';
import { RULES_BY_ID } from '../rules';
import { genericSuggestions } from '../fixes/suggestions';
import type { Fix, FixContext } from '../fixes/types';
import { applyOffsetEdits, dedupeEdits, diffEdits, type OffsetEdit, overlaps } from '../text/edits';

export const FIX_ALL_KIND = 'source.fixAll.iot-policy';
const FIX_ALL_TITLE = 'Fix all safe problems';

export interface CodeActionOptions {
  config?: PolicyConfig;
  /** Requested kinds (LSP `CodeActionContext.only`). */
  only?: string[];
  /**
   * The client resolves a code action's `edit` (`codeAction/resolve`): Fix all is then offered
   * without its edit, which is computed (several rounds of fixing and reparsing) only when chosen.
   */
  resolveEdits?: boolean;
}

/** The `data` of a Fix all action whose edit is left to `codeAction/resolve`. */
export interface FixAllData {
  fixAll: true;
  uri: string;
}

export function isFixAllData(data: unknown): data is FixAllData {
  return typeof data === 'object' && data !== null && (data as { fixAll?: unknown }).fixAll === true && typeof (data as { uri?: unknown }).uri === 'string';
}

function kindWanted(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function safeAnalyze(model: PolicyModel, config: PolicyConfig | undefined): AnalyzedFinding[] {
  try {
    // The rules the diagnostics came from: a document beyond the size limit gets fewer.
    return analyze(model, config, withinLimits(model.text));
  } catch {
    return [];
  }
}

function fixContext(entry: PolicyEntry, config: PolicyConfig | undefined, findings?: readonly AnalyzedFinding[]): FixContext {
  const model = entry.model;
  const memo = new Map<string, unknown>();
  return {
    model, text: model.text, config, findings: findings ?? safeAnalyze(model, config), writer: entry.writer(),
    memo: <T>(key: string, make: () => T): T => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
  };
}

/** The same policy in a reparsed document (by key). */
function samePolicy(doc: PolicyDocument, key: string): PolicyModel | undefined {
  return doc.policies.find((p) => p.key === key)?.model;
}

/** Syntax errors of the whole document: a fix must never add one. */
function syntaxErrorCount(doc: PolicyDocument): number {
  return doc.problems.length + doc.policies.reduce((n, p) => n + p.model.syntaxErrors.length, 0);
}

/** A finding with the fix context of the policy it belongs to. */
interface Owned {
  finding: AnalyzedFinding;
  ctx: FixContext;
  entry: PolicyEntry;
}

type FindingIndex = Map<string, Owned[]>;

function indexFindings(owned: readonly Owned[]): FindingIndex {
  const m: FindingIndex = new Map();
  for (const o of owned) {
    const f = o.finding;
    const k = `${f.ruleId}:${f.span.offset}:${f.span.offset + f.span.length}`;
    const list = m.get(k);
    if (list) list.push(o);
    else m.set(k, [o]);
  }
  return m;
}

/** The current finding a client diagnostic stands for (same rule and range), if it is not stale. */
function findingFor(doc: TextDocument, index: FindingIndex, d: Diagnostic): Owned | undefined {
  if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof d.code === 'string' ? d.code : undefined;
  if (!code || !d.range) return undefined;
  const same = index.get(`${code}:${doc.offsetAt(d.range.start)}:${doc.offsetAt(d.range.end)}`) ?? [];
  if (same.length <= 1) return same[0];
  // Several findings of one rule on one span: the one whose data the client sent.
  const sent = JSON.stringify(d.data ?? null);
  return same.find((o) => JSON.stringify({ ruleId: o.finding.ruleId, ...(o.finding.data ?? {}) }) === sent) ?? same[0];
}

/** Findings of one rule on a model (the whole analysis when the rule is not registered by that id). */
function countRule(model: PolicyModel, ruleId: string, config: PolicyConfig | undefined): number {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) return safeAnalyze(model, config).filter((f) => f.ruleId === ruleId).length;
  let n = 0;
  try {
    rule.check({ model, report: () => void n++ });
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return n;
}

/** Whether the rule has a fix written for its data (others get the generic did-you-mean). */
function hasProvider(ruleId: string): boolean {
  return !!RULES_BY_ID.get(ruleId)?.fix;
}

/** The fixes of a finding, from its rule (or the generic did-you-mean on `data.suggestions`). */
function fixesFor(ctx: FixContext, f: AnalyzedFinding): Fix[] {
  const fix = RULES_BY_ID.get(f.ruleId)?.fix ?? genericSuggestions;
  try {
    return fix(ctx, f).filter((x) => x.edits.length > 0);
  } catch {
    return [];
  }
}

/** Beyond these, a request gets no more quick fixes / no fix-all (no real policy comes close: AWS caps them at 2,048 characters). */
const MAX_DIAGNOSTICS_PER_REQUEST = 200;
const MAX_FIX_ALL_CHARS = 64 * 1024;
/** Quick fixes tried per request (VS Code asks for the line under the cursor; whole-document requests get the rest untried, and only fixes written for their rule). */
const MAX_VERIFIED_FIXES = 24;

function toTextEdits(doc: TextDocument, edits: readonly OffsetEdit[]): TextEdit[] {
  return dedupeEdits(edits).map((e) => ({ range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) }, newText: e.text }));
}

function ownedFindings(pdoc: PolicyDocument, config: PolicyConfig | undefined): Owned[] {
  const out: Owned[] = [];
  for (const entry of pdoc.policies) {
    const ctx = fixContext(entry, config);
    for (const finding of ctx.findings) out.push({ finding, ctx, entry });
  }
  return out;
}

/** Quick fixes for our diagnostics in `range`, plus the "fix all" source action. */
export function getCodeActions(
  doc: TextDocument,
  pdoc: PolicyDocument,
  _range: Range,
  diagnostics: readonly Diagnostic[],
  options?: CodeActionOptions,
): CodeAction[] {
  const only = options?.only;
  const config = options?.config;
  const out: CodeAction[] = [];
  const wantQuick = kindWanted(CodeActionKind.QuickFix, only);
  const wantFixAll = kindWanted(FIX_ALL_KIND, only);
  if (!wantQuick && !wantFixAll) return out;
  const owned = ownedFindings(pdoc, config);
  const index = indexFindings(owned);
  const small = pdoc.text.length <= MAX_FIX_ALL_CHARS;

  if (wantQuick) {
    // Every quick fix is tried before it is offered: applied, it must remove a finding of its rule
    // and leave the document's syntax no worse. (Large documents, which no real policy is, skip the
    // check and get only the fixes written for their rule's data.)
    // Only the fix's own rule is re-run on the fixed text, so a check costs a parse and one rule.
    const baseErrors = syntaxErrorCount(pdoc);
    const before = new Map<string, number>();
    const parsed = new Map<string, PolicyDocument | null>();
    let budget = MAX_VERIFIED_FIXES;
    const check = (o: Owned, fix: Fix): boolean => {
      const f = o.finding;
      if (!small || budget <= 0) return hasProvider(f.ruleId);
      budget--;
      const text = applyOffsetEdits(pdoc.text, fix.edits);
      let next = parsed.get(text);
      if (next === undefined) {
        next = pdoc.reparse(text);
        if (syntaxErrorCount(next) > baseErrors) next = null;
        parsed.set(text, next);
      }
      const m = next && samePolicy(next, o.entry.key);
      if (!m) return false;
      const k = `${o.entry.key}\u0000${f.ruleId}`;
      if (!before.has(k)) before.set(k, countRule(o.entry.model, f.ruleId, config));
      return countRule(m, f.ruleId, config) < before.get(k)!;
    };
    const byKey = new Map<string, CodeAction>();
    for (const d of diagnostics.slice(0, MAX_DIAGNOSTICS_PER_REQUEST)) {
      const o = findingFor(doc, index, d);
      if (!o) continue;
      for (const fix of fixesFor(o.ctx, o.finding)) {
        if (!check(o, fix)) continue;
        const edits = toTextEdits(doc, fix.edits);
        const key = `${fix.title}\u0000${JSON.stringify(edits)}`;
        const seen = byKey.get(key);
        if (seen) {
          seen.diagnostics!.push(d);
          continue;
        }
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [doc.uri]: edits } },
        };
        if (fix.preferred) action.isPreferred = true;
        byKey.set(key, action);
        out.push(action);
      }
    }
  }

  // The source action: on request (`only` names it, e.g. on save or from the Source Action menu),
  // or next to the quick fixes when it would fix more than one problem.
  // The light bulb (no `only`) asks on every cursor move: only compute it where there is a problem.
  if (wantFixAll && (only !== undefined || out.length > 0) && small && options?.resolveEdits) {
    // Offered on the first round's safe fixes (one pass, no reparse); the edit, which may take
    // several rounds, waits for codeAction/resolve.
    const safe = safeFixes(owned);
    const rules = new Set(safe.map((x) => x.ruleId));
    const count = safe.length;
    if (count > 0 && (only !== undefined || count > 1)) {
      const data: FixAllData = { fixAll: true, uri: doc.uri };
      out.push({
        title: FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: diagnostics.filter((d) => rules.has(String(d.code)) && !!findingFor(doc, index, d)),
        data,
      });
    }
  } else if (wantFixAll && (only !== undefined || out.length > 0) && small) {
    const all = computeFixAll(pdoc, config, 5, owned);
    if (all.applied > 0 && (only !== undefined || all.applied > 1)) {
      out.push({
        title: all.applied > 1 ? `${FIX_ALL_TITLE} (${all.applied})` : FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: diagnostics.filter((d) => all.fixedRules.has(String(d.code)) && !!findingFor(doc, index, d)),
        edit: { changes: { [doc.uri]: toTextEdits(doc, all.edits) } },
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fix all

/**
 * The edit of a Fix all action offered without one (`codeAction/resolve`), computed on the
 * document as it is now; undefined when nothing safe is left to fix or the document is too large.
 */
export function resolveFixAll(doc: TextDocument, pdoc: PolicyDocument, config?: PolicyConfig): WorkspaceEdit | undefined {
  if (pdoc.text.length > MAX_FIX_ALL_CHARS) return undefined;
  const all = computeFixAll(pdoc, config);
  return all.applied > 0 ? { changes: { [doc.uri]: toTextEdits(doc, all.edits) } } : undefined;
}

export interface FixAllResult {
  /** The fixed text. */
  text: string;
  /** Non-overlapping edits of the original text that produce `text`. */
  edits: OffsetEdit[];
  /** Number of fixes applied. */
  applied: number;
  /** Rule ids of the fixes applied. */
  fixedRules: Set<string>;
}

/** A safe fix, the rule whose finding it clears and the policy that finding is in. */
interface Candidate {
  fix: Fix;
  ruleId: string;
  key: string;
}

/** The first safe fix of each finding. */
function safeFixes(owned: readonly Owned[]): Candidate[] {
  const out: Candidate[] = [];
  for (const o of owned) {
    const fix = fixesFor(o.ctx, o.finding).find((x) => x.safe);
    if (fix) out.push({ fix, ruleId: o.finding.ruleId, key: o.entry.key });
  }
  return out;
}

/**
 * The fixes the re-analysis confirms: for each policy and rule that fixes were applied to, the
 * fixed document must report fewer findings of that rule in that policy than before.
 */
function confirmed(before: PolicyDocument, after: PolicyDocument, applied: readonly Candidate[], config: PolicyConfig | undefined): Candidate[] {
  const verdicts = new Map<string, boolean>();
  return applied.filter((c) => {
    const k = `${c.key}\u0000${c.ruleId}`;
    let ok = verdicts.get(k);
    if (ok === undefined) {
      const was = samePolicy(before, c.key);
      const now = samePolicy(after, c.key);
      ok = !!was && !!now && countRule(now, c.ruleId, config) < countRule(was, c.ruleId, config);
      verdicts.set(k, ok);
    }
    return ok;
  });
}

function firstOffset(fix: Fix): number {
  let min = Infinity;
  for (const e of fix.edits) if (e.offset < min) min = e.offset;
  return min;
}

/** Picks fixes whose edits do not overlap any already picked (identical edits merge). */
function compatible(fixes: Candidate[]): Candidate[] {
  const picked: Candidate[] = [];
  const edits: OffsetEdit[] = [];
  const sorted = [...fixes].sort((a, b) => firstOffset(a.fix) - firstOffset(b.fix));
  for (const c of sorted) {
    if (c.fix.edits.some((e) => edits.some((x) => overlaps(e, x)))) continue;
    // Edits within one fix must not conflict either.
    const own = dedupeEdits(c.fix.edits);
    if (own.some((e, i) => own.some((x, j) => i !== j && overlaps(e, x)))) continue;
    picked.push(c);
    edits.push(...own);
  }
  return picked;
}

/**
 * Applies every safe fix, in rounds (a fix may only become possible after another, or two fixes
 * may touch the same statement), never making the document's syntax worse, and keeping only the
 * fixes that the re-analysis of the fixed text confirms: each clears a finding of its rule.
 */
export function computeFixAll(original: PolicyDocument, config?: PolicyConfig, maxRounds = 5, initial?: readonly Owned[]): FixAllResult {
  let doc = original;
  let applied = 0;
  let rounds = 0;
  let firstRoundEdits: OffsetEdit[] = [];
  const fixedRules = new Set<string>();
  const baseErrors = syntaxErrorCount(original);
  // Each candidate text is parsed once: the syntax check and the re-analysis share it.
  const parsed = new Map<string, PolicyDocument>();
  const reparse = (text: string): PolicyDocument => {
    let d = parsed.get(text);
    if (!d) {
      d = original.reparse(text);
      parsed.set(text, d);
    }
    return d;
  };
  const errorsOf = (text: string): number => syntaxErrorCount(reparse(text));
  /** The fixes of `list` applied one at a time onto `text`, each kept only when the syntax stays as valid. */
  const oneByOne = (text: string, list: readonly Candidate[]): { kept: Candidate[]; next: string } => {
    const kept: Candidate[] = [];
    let next = text;
    const edits: OffsetEdit[] = [];
    for (const p of list) {
      const candidate = applyOffsetEdits(text, [...edits, ...p.fix.edits]);
      if (errorsOf(candidate) <= baseErrors) {
        edits.push(...p.fix.edits);
        kept.push(p);
        next = candidate;
      }
    }
    return { kept, next };
  };
  for (let round = 0; round < maxRounds; round++) {
    const owned = round === 0 && initial ? initial : ownedFindings(doc, config);
    const picked = compatible(safeFixes(owned));
    if (!picked.length) break;
    const text = doc.text;
    let accepted = picked;
    let next = applyOffsetEdits(text, picked.flatMap((p) => p.fix.edits));
    // Apply one at a time, keeping only fixes that leave the syntax as valid as it was.
    if (errorsOf(next) > baseErrors) ({ kept: accepted, next } = oneByOne(text, picked));
    if (!accepted.length || next === text) break;
    const sure = confirmed(doc, reparse(next), accepted, config);
    if (sure.length < accepted.length) {
      // Some fix did not clear its finding: apply only the confirmed ones.
      ({ kept: accepted, next } = oneByOne(text, sure));
      if (!accepted.length || next === text) break;
    }
    if (round === 0) firstRoundEdits = dedupeEdits(accepted.flatMap((p) => p.fix.edits));
    for (const p of accepted) fixedRules.add(p.ruleId);
    applied += accepted.length;
    doc = reparse(next);
    parsed.clear();
    rounds++;
  }
  const edits = rounds === 0 ? [] : rounds === 1 ? firstRoundEdits : diffEdits(original.text, doc.text);
  return { text: doc.text, edits, applied, fixedRules };
}
