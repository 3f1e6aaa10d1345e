/**
 * "Did you mean": fixes that replace a finding's span with each of its `data.suggestions`, the
 * generic fix of every rule that has no fix of its own.
 */
import type { AnalyzedFinding } from '../rules/rule';
import { dataOf, spanText, stringAt, suggestionsOf } from './helpers';
import type { Fix, FixContext, FixProvider } from './types';

function quote(s: string): string {
  return s === '' ? 'nothing' : `'${s}'`;
}

export interface SuggestOptions {
  /** Applied by fix-all when this returns true for the first suggestion. */
  safe?: (ctx: FixContext, f: AnalyzedFinding<object>, suggestions: string[]) => boolean;
  preferred?: (ctx: FixContext, f: AnalyzedFinding<object>, suggestions: string[]) => boolean;
  title?: (s: string, current: string) => string;
  max?: number;
  /** Suggestions are raw document text (json-syntax), never escaped. */
  raw?: boolean;
}

export function suggestionFixes(ctx: FixContext, f: AnalyzedFinding<object>, o: SuggestOptions = {}): Fix[] {
  const all = suggestionsOf(f);
  const sugg = all.slice(0, o.max ?? 3);
  if (!sugg.length) return [];
  const current = spanText(ctx, f.span);
  const preferred = o.preferred ? o.preferred(ctx, f, all) : all.length === 1;
  const safe = !!o.safe?.(ctx, f, all);
  return sugg
    .map((s, i) => ({
      title: o.title ? o.title(s, current) : s === '' ? `Remove ${removedText(f, current)}` : `Change ${quote(current)} to ${quote(s)}`,
      edits: [ctx.writer.replaceSpan(f.span, s, o.raw)],
      preferred: i === 0 && preferred,
      safe: i === 0 && safe,
      same: s === current,
    }))
    .filter((x) => !x.same)
    .map(({ same: _same, ...fix }) => fix);
}

/** How to name text that a fix deletes: invisible characters by code point. */
function removedText(f: AnalyzedFinding<object>, current: string): string {
  const cp = dataOf(f).codePoint;
  if (typeof cp === 'string') return `the invisible character ${cp}`;
  if (/^\s+$/.test(current)) return 'the white space';
  return quote(current);
}

export const single = (_c: FixContext, _f: AnalyzedFinding<object>, s: string[]) => s.length === 1;
export const always = () => true;

/** A generic did-you-mean for any rule whose data has `suggestions` (replacement texts for the span). */
export const genericSuggestions: FixProvider = (ctx, f) => {
  // Renaming a key (a condition operator or key, ...) to one its object already has would make a duplicate key.
  const sv = stringAt(ctx.model, f.span);
  const prop = sv?.node.parent;
  if (sv && prop?.type === 'property' && prop.children?.[0] === sv.node && sv.spanOf(0, sv.value.length).offset === f.span.offset && sv.spanOf(0, sv.value.length).length === f.span.length) {
    const keys = new Set((prop.parent?.children ?? []).map((p) => p.children?.[0]?.value));
    const usable = suggestionsOf(f).filter((x) => !keys.has(x));
    return suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: usable } }, { preferred: single });
  }
  return suggestionFixes(ctx, f, { preferred: single });
};

