/**
 * Fix helpers of the variable rules: find the reference a finding points at, and replace a whole
 * `${name}` by another by changing only its name, so that escapes such as `\u0024{` and the
 * braces stay as written.
 */
import { spanText, stringAt } from '../../fixes/helpers';
import type { Fix, FixContext } from '../../fixes/types';
import type { StringValue, VariableRef } from '../../policy/tree';
import type { OffsetEdit } from '../../text/edits';
import type { Span } from '../../text/span';
import type { AnalyzedFinding } from '../rule';
import type { VariableSuggestionData } from './classify';

/** The `${...}` reference that a span points into. */
export function variableAt(ctx: FixContext, span: Span): { sv: StringValue; ref: VariableRef } | undefined {
  const sv = stringAt(ctx.model, span);
  if (!sv) return undefined;
  const ref = sv.variables.find((r) => span.offset >= r.span.offset && span.offset <= r.span.offset + r.span.length);
  return ref ? { sv, ref } : undefined;
}

/** Replaces the variable's name (keeps `${` and `}`); anything else at the span is replaced whole. */
function renameVariable(ctx: FixContext, span: Span, name: string): OffsetEdit {
  const at = variableAt(ctx, span);
  if (at && at.ref.form === 'braces') return ctx.writer.replaceInString(at.sv, at.ref.start + 2, at.ref.end - 1, name);
  return ctx.writer.replaceSpan(span, name);
}

/** True when the span is exactly a whole `${...}` reference. */
function isWholeReference(at: { ref: VariableRef } | undefined, span: Span): boolean {
  return !!at && at.ref.span.offset === span.offset && at.ref.span.length === span.length;
}

/** Suggestions may be names or whole `${name}` references; fit them to the span. */
function fitVariableSuggestion(ctx: FixContext, span: Span, s: string): string {
  const at = variableAt(ctx, span);
  const whole = at ? isWholeReference(at, span) : spanText(ctx, span).startsWith('${');
  const m = /^\$\{(.*)\}$/s.exec(s);
  if (whole && !m) return `\${${s}}`;
  if (!whole && m) return m[1];
  return s;
}

export interface VariableSuggestionOptions {
  /** Given all the (fitted) suggestions: is the first one safe for fix-all? */
  safe: (suggestions: string[]) => boolean;
  /** Given all the (fitted) suggestions: is the first one the preferred fix? */
  preferred: (suggestions: string[]) => boolean;
}

/** Did-you-mean fixes for a variable finding: up to three, each replacing the span by one suggestion. */
export function variableSuggestions(ctx: FixContext, f: AnalyzedFinding<VariableSuggestionData>, o: VariableSuggestionOptions): Fix[] {
  const all = (f.data?.suggestions ?? []).map((s) => fitVariableSuggestion(ctx, f.span, s));
  if (!all.length) return [];
  const current = spanText(ctx, f.span);
  const preferred = o.preferred(all);
  const safe = o.safe(all);
  const at = variableAt(ctx, f.span);
  const rename = at?.ref.form === 'braces' && isWholeReference(at, f.span);
  const edit = (s: string): OffsetEdit => {
    const name = rename ? /^\$\{(.*)\}$/s.exec(s)?.[1] : undefined;
    return name !== undefined ? renameVariable(ctx, f.span, name) : ctx.writer.replaceSpan(f.span, s);
  };
  const fixes: Fix[] = [];
  all.slice(0, 3).forEach((s, i) => {
    if (s === current) return;
    fixes.push({ title: `Change '${current}' to '${s}'`, edits: [edit(s)], preferred: i === 0 && preferred, safe: i === 0 && safe });
  });
  return fixes;
}
