/**
 * Helpers shared by the rules' fix functions: reading a finding, finding the string or statement
 * it points into, and changes that several rules make (a condition added to a statement).
 */
import type { AnalyzedFinding } from '../rules/rule';
import type { PolicyModel, StatementModel } from '../policy/model';
import type { StringValue } from '../policy/tree';
import { lastStartingBefore, type Span } from '../text/span';
import { CURRENT_VERSION } from '../catalog';
import type { OffsetEdit } from '../text/edits';
import type { Fix, FixContext, StatementChange } from './types';

export function dataOf(f: AnalyzedFinding<object>): Record<string, unknown> {
  return (f.data ?? {}) as Record<string, unknown>;
}

export function suggestionsOf(f: AnalyzedFinding<object>): string[] {
  const s = dataOf(f).suggestions;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
}

export function spanText(ctx: FixContext, span: Span): string {
  return ctx.text.substr(span.offset, span.length);
}

/** The string literal (value or key) of the model that contains `span`, if any (binary search: strings are in document order). */
export function stringAt(model: PolicyModel, span: Span): StringValue | undefined {
  const list = model.strings;
  const found = lastStartingBefore(list, span.offset, (x) => x.span.offset);
  const s = found >= 0 ? list[found] : undefined;
  return s && span.offset + span.length <= s.span.offset + s.span.length ? s : undefined;
}

/** The statement whose node contains `span` (binary search: statements are in document order). */
export function statementAt(model: PolicyModel, span: Span): StatementModel | undefined {
  const list = model.statements;
  const found = lastStartingBefore(list, span.offset, (x) => x.node.offset);
  const st = found >= 0 ? list[found] : undefined;
  return st && span.offset + span.length <= st.node.offset + st.node.length ? st : undefined;
}

export function statementFor(ctx: FixContext, f: AnalyzedFinding<object>): StatementModel | undefined {
  const i = dataOf(f).statementIndex;
  if (typeof i === 'number' && ctx.model.statements[i]) {
    const st = ctx.model.statements[i];
    // Trust the index only when the finding is inside that statement (or points at the policy).
    if (f.span.offset >= st.node.offset && f.span.offset <= st.node.offset + st.node.length) return st;
  }
  return statementAt(ctx.model, f.span);
}

export const IS_ATTACHED_CONDITION = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };

/**
 * The `modify` changes (paths inside the statement) that add `cond` (`{operator: {key: value}}`)
 * to a statement, merged into its Condition; undefined when the Condition is not an object.
 */
export function conditionChanges(st: StatementModel, cond: Record<string, Record<string, unknown>>): StatementChange[] | undefined {
  const block = st.condition?.prop.value;
  if (!block) return [[['Condition'], cond]];
  if (block.type !== 'object') return undefined;
  const changes: StatementChange[] = [];
  for (const [op, keys] of Object.entries(cond)) {
    const existing = st.condition!.operators.find((o) => o.operator === op);
    if (!existing) {
      changes.push([['Condition', op], keys]);
      continue;
    }
    if (existing.prop.value?.type !== 'object') return undefined;
    for (const [k, v] of Object.entries(keys)) changes.push([['Condition', op, k], v]);
  }
  return changes;
}

export function hasIsAttached(st: StatementModel): boolean {
  return !!st.condition?.operators.some((o) => /^Bool(IfExists)?$/.test(o.operator) && o.keys.some((k) => k.key.toLowerCase() === 'iot:connection.thing.isattached'));
}

/** The action strings of a statement. */
export function actionNames(st: StatementModel): string[] {
  return (st.action?.items ?? []).map((a) => a.value);
}

/** Sets `"Version": "2012-10-17"`: replaces the value, or inserts it as the first property. */
export function setVersionEdits(ctx: FixContext): OffsetEdit[] {
  const m = ctx.model;
  if (m.versionValue) {
    const v = m.versionValue;
    if (v.value === CURRENT_VERSION) return [];
    return [ctx.writer.replaceSpan(v.span, JSON.stringify(CURRENT_VERSION), true)];
  }
  if (m.version?.value) return [ctx.writer.replaceSpan({ offset: m.version.value.offset, length: m.version.value.length }, JSON.stringify(CURRENT_VERSION), true)];
  if (m.root?.type !== 'object') return [];
  return ctx.writer.setAt(['Version'], CURRENT_VERSION, { insertFirst: true });
}


/** MQTT `+`/`#` in a resource → the policy wildcard `*` (preferred where the character can only be a mistake). */
export function wildcardToStar(ctx: FixContext, f: AnalyzedFinding<object>, preferred: boolean): Fix[] {
  const current = spanText(ctx, f.span);
  const replacement = suggestionsOf(f)[0] ?? (current === '+' || current === '#' ? '*' : undefined);
  if (replacement === undefined) return [];
  return [{ title: `Change '${current}' to '${replacement}' (the policy wildcard)`, edits: [ctx.writer.replaceSpan(f.span, replacement)], preferred }];
}
