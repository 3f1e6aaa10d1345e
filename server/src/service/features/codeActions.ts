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
import { applyOffsetEdits, dedupeEdits, type Fix, type FixContext, inferFormatting, type OffsetEdit, overlaps } from './fixes/context';
import { diffEdits } from './fixes/diff';
import { fixesFor } from './fixes/providers';

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

/** The current finding a client diagnostic stands for (same rule and range), if it is not stale. */
function findingFor(doc: TextDocument, findings: readonly AnalyzedFinding[], d: Diagnostic): AnalyzedFinding | undefined {
  if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = typeof d.code === 'string' ? d.code : undefined;
  if (!code) return undefined;
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  const same = findings.filter((f) => f.ruleId === code && f.span.offset === start && f.span.offset + f.span.length === end);
  if (same.length <= 1) return same[0];
  // Several findings of one rule on one span: the one whose data the client sent.
  const sent = JSON.stringify(d.data ?? null);
  return same.find((f) => JSON.stringify({ ruleId: f.ruleId, ...(f.data ?? {}) }) === sent) ?? same[0];
}

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

  if (wantQuick) {
    const byKey = new Map<string, CodeAction>();
    for (const d of diagnostics) {
      const f = findingFor(doc, ctx.findings, d);
      if (!f) continue;
      for (const fix of fixesFor(ctx, f)) {
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
  if (wantFixAll && (only !== undefined || out.length > 0)) {
    const all = computeFixAll(model.text, config, 5, ctx);
    if (all.applied > 0 && (only !== undefined || all.applied > 1)) {
      out.push({
        title: all.applied > 1 ? `${FIX_ALL_TITLE} (${all.applied})` : FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: diagnostics.filter((d) => !!findingFor(doc, ctx.findings, d) && all.fixedRules.has(String(d.code))),
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
