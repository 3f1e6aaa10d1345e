/**
 * Code actions: a quick fix for each fixable diagnostic, and "Fix all safe problems"
 * (`source.fixAll.iot-policy`) that applies every safe, unambiguous fix at once.
 *
 * Fixes are built from the diagnostics' `code` and `data` (see each rule's comment), matched
 * against a fresh analysis of the model so that edits always fit the current text. Messages are
 * never parsed.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type AnalyzedFinding } from '../analyze';
import type { PolicyConfig } from '../config';
import { DIAGNOSTIC_SOURCE } from '../lsp';
import { parsePolicy, type PolicyModel } from '../model';
import { RULES_BY_ID } from '../rules';
import { applyOffsetEdits, dedupeEdits, type Fix, type FixContext, inferFormatting, type OffsetEdit, overlaps } from './fixes/context';
import { diffEdits } from './fixes/diff';
import { fixesFor, hasProvider } from './fixes/providers';

export const FIX_ALL_KIND = 'source.fixAll.iot-policy';
export const FIX_ALL_TITLE = 'Fix all safe problems';

export interface CodeActionOptions {
  config?: PolicyConfig;
  /** Requested kinds (LSP `CodeActionContext.only`). */
  only?: string[];
}

function kindWanted(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

function safeAnalyze(model: PolicyModel, config: PolicyConfig | undefined): AnalyzedFinding[] {
  try {
    return analyze(model, config);
  } catch {
    return [];
  }
}

export function fixContext(model: PolicyModel, config: PolicyConfig | undefined, findings?: readonly AnalyzedFinding[]): FixContext {
  return { model, text: model.text, config, findings: findings ?? safeAnalyze(model, config), fmt: inferFormatting(model.text) };
}

type FindingIndex = Map<string, AnalyzedFinding[]>;

function indexFindings(findings: readonly AnalyzedFinding[]): FindingIndex {
  const m: FindingIndex = new Map();
  for (const f of findings) {
    const k = `${f.ruleId}:${f.span.offset}:${f.span.offset + f.span.length}`;
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return m;
}

/** The current finding a client diagnostic stands for (same rule and range), if it is not stale. */
function findingFor(doc: TextDocument, index: FindingIndex, d: Diagnostic): AnalyzedFinding | undefined {
  if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof d.code === 'string' ? d.code : undefined;
  if (!code || !d.range) return undefined;
  const same = index.get(`${code}:${doc.offsetAt(d.range.start)}:${doc.offsetAt(d.range.end)}`) ?? [];
  if (same.length <= 1) return same[0];
  // Several findings of one rule on one span: the one whose data the client sent.
  const sent = JSON.stringify(d.data ?? null);
  return same.find((f) => JSON.stringify({ ruleId: f.ruleId, ...(f.data ?? {}) }) === sent) ?? same[0];
}

/** Findings of one rule on a model (the whole analysis when the rule is not registered by that id). */
function countRule(model: PolicyModel, ruleId: string, config: PolicyConfig | undefined): number {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) return safeAnalyze(model, config).filter((f) => f.ruleId === ruleId).length;
  let n = 0;
  try {
    rule.check({ model, report: (f) => void ((f.ruleId ?? ruleId) === ruleId && n++) });
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  return n;
}

/** Beyond these, a request gets no more quick fixes / no fix-all (no real policy comes close: AWS caps them at 2,048 characters). */
export const MAX_DIAGNOSTICS_PER_REQUEST = 200;
export const MAX_FIX_ALL_CHARS = 64 * 1024;
/** Quick fixes tried per request (VS Code asks for the line under the cursor; whole-document requests get the rest untried, and only fixes written for their rule). */
export const MAX_VERIFIED_FIXES = 24;

function toTextEdits(doc: TextDocument, edits: readonly OffsetEdit[]): TextEdit[] {
  return dedupeEdits(edits).map((e) => ({ range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) }, newText: e.text }));
}

/** Quick fixes for our diagnostics in `range`, plus the "fix all" source action. */
export function getCodeActions(
  doc: TextDocument,
  model: PolicyModel,
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
  const ctx = fixContext(model, config);
  const index = indexFindings(ctx.findings);

  if (wantQuick) {
    // Every quick fix is tried before it is offered: applied, it must remove a finding of its rule
    // and leave the JSON no worse. (Large documents, which no real policy is, skip the check and get
    // only the fixes written for their rule's data.)
    // Only the fix's own rule is re-run on the fixed text, so a check costs a parse and one rule.
    const small = model.text.length <= MAX_FIX_ALL_CHARS;
    const baseErrors = model.syntaxErrors.length;
    const before = new Map<string, number>();
    const parsed = new Map<string, PolicyModel | null>();
    let budget = MAX_VERIFIED_FIXES;
    const check = (f: AnalyzedFinding, fix: Fix): boolean => {
      if (!small || budget <= 0) return hasProvider(f.ruleId);
      budget--;
      const text = applyOffsetEdits(model.text, fix.edits);
      let m = parsed.get(text);
      if (m === undefined) {
        m = parsePolicy(text);
        if (m.syntaxErrors.length > baseErrors) m = null;
        parsed.set(text, m);
      }
      if (!m) return false;
      if (!before.has(f.ruleId)) before.set(f.ruleId, countRule(model, f.ruleId, config));
      return countRule(m, f.ruleId, config) < before.get(f.ruleId)!;
    };
    const byKey = new Map<string, CodeAction>();
    for (const d of diagnostics.slice(0, MAX_DIAGNOSTICS_PER_REQUEST)) {
      const f = findingFor(doc, index, d);
      if (!f) continue;
      for (const fix of fixesFor(ctx, f)) {
        if (!check(f, fix)) continue;
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
  if (wantFixAll && (only !== undefined || out.length > 0) && model.text.length <= MAX_FIX_ALL_CHARS) {
    const all = computeFixAll(model.text, config, 5, ctx);
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

/** The first safe fix of each finding. */
function safeFixes(ctx: FixContext): { fix: Fix; ruleId: string }[] {
  const out: { fix: Fix; ruleId: string }[] = [];
  for (const f of ctx.findings) {
    const fix = fixesFor(ctx, f).find((x) => x.safe);
    if (fix) out.push({ fix, ruleId: f.ruleId });
  }
  return out;
}

/** Picks fixes whose edits do not overlap any already picked (identical edits merge). */
function compatible(fixes: { fix: Fix; ruleId: string }[]): { fix: Fix; ruleId: string }[] {
  const picked: { fix: Fix; ruleId: string }[] = [];
  const edits: OffsetEdit[] = [];
  const sorted = [...fixes].sort((a, b) => Math.min(...a.fix.edits.map((e) => e.offset)) - Math.min(...b.fix.edits.map((e) => e.offset)));
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

function syntaxErrorCount(text: string): number {
  return parsePolicy(text).syntaxErrors.length;
}

/**
 * Applies every safe fix, in rounds (a fix may only become possible after another, or two fixes
 * may touch the same statement), never making the JSON worse.
 */
export function computeFixAll(original: string, config?: PolicyConfig, maxRounds = 5, initial?: FixContext): FixAllResult {
  let text = original;
  let applied = 0;
  let rounds = 0;
  let firstRoundEdits: OffsetEdit[] = [];
  const fixedRules = new Set<string>();
  const baseErrors = syntaxErrorCount(original);
  for (let round = 0; round < maxRounds; round++) {
    const ctx = round === 0 && initial && initial.text === text ? initial : fixContext(parsePolicy(text), config);
    const picked = compatible(safeFixes(ctx));
    if (!picked.length) break;
    let accepted = picked;
    let next = applyOffsetEdits(text, picked.flatMap((p) => p.fix.edits));
    if (syntaxErrorCount(next) > baseErrors) {
      // Apply one at a time, keeping only fixes that leave the JSON as valid as it was.
      accepted = [];
      next = text;
      const edits: OffsetEdit[] = [];
      for (const p of picked) {
        const candidate = applyOffsetEdits(text, [...edits, ...p.fix.edits]);
        if (syntaxErrorCount(candidate) <= baseErrors) {
          edits.push(...p.fix.edits);
          accepted.push(p);
          next = candidate;
        }
      }
      if (!accepted.length) break;
    }
    if (next === text) break;
    if (round === 0) firstRoundEdits = dedupeEdits(accepted.flatMap((p) => p.fix.edits));
    for (const p of accepted) fixedRules.add(p.ruleId);
    applied += accepted.length;
    text = next;
    rounds++;
  }
  const edits = rounds === 0 ? [] : rounds === 1 ? firstRoundEdits : diffEdits(original, text);
  return { text, edits, applied, fixedRules };
}
