/**
 * What the writers that edit by path share (templates, Terraform, CDK: each sets a value at a
 * path of the policy in its own syntax): a statement's changes as one `setAt` per changed path,
 * finding a path's node and the value to insert where it ends, joining inserts at one place,
 * replacing text in a string as the string escapes it.
 */
import type { PolicyModel, StatementModel } from '../policy/model';
import type { PolicyNode, StringValue } from '../policy/tree';
import type { OffsetEdit } from '../text/edits';
import type { Span } from '../text/span';
import { stringAt } from './helpers';
import type { PolicyPath, PolicyWriter, StatementChange } from './types';

/** `editStatement` by paths: `first`, then each change set where it goes; nothing when one cannot be written. */
export function editStatementByPaths(
  writer: Pick<PolicyWriter, 'setAt'>, model: PolicyModel, st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean },
): OffsetEdit[] {
  const base: PolicyPath = model.statementIsArray ? ['Statement', st.index] : ['Statement'];
  const edits = [...first];
  for (const [path, value] of changes) {
    const e = writer.setAt([...base, ...path], value, options);
    if (!e.length) return [];
    edits.push(...e);
  }
  return edits;
}

/** Where a path leads in a policy tree: its node, or the deepest existing node with the rest of the path. */
export interface Located {
  node?: PolicyNode;
  parent: PolicyNode | undefined;
  rest: PolicyPath;
}

/** Follows `path` from `root`; `skip` leaves out properties a writer cannot edit (generated ones). */
export function locatePath(root: PolicyNode | undefined, path: PolicyPath, skip?: (prop: PolicyNode) => boolean): Located {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    let next: PolicyNode | undefined;
    if (typeof k === 'number' && node?.type === 'array') next = node.children?.[k];
    else if (typeof k === 'string' && node?.type === 'object') next = node.children?.find((p) => p.children?.[0]?.value === k && !skip?.(p))?.children?.[1];
    if (!next) return { parent: node, rest: path.slice(i) };
    node = next;
  }
  return { node, parent: node?.parent, rest: [] };
}

/**
 * The value to insert at the first missing key of a path: `value` nested under the rest of it
 * (`['Condition', 'Bool', 'k']` missing from `Condition` on: `{ Bool: { k: value } }`).
 */
export function nestedValue(rest: PolicyPath, value: unknown): unknown {
  return rest.slice(1).reduceRight<unknown>((v, k) => (typeof k === 'number' ? [v] : { [k]: v }), value);
}

/** Several inserts at one place as one edit, in order (so that no client reorders them). */
export function joinInserts(edits: OffsetEdit[]): OffsetEdit[] {
  return edits.length > 1 ? [{ offset: edits[0].offset, length: 0, text: edits.map((e) => e.text).join('') }] : edits;
}

/**
 * `replaceSpan` for writers whose strings carry their own escapes: text inside a string is
 * escaped as that string writes it; a whole empty string becomes a value of the file's syntax.
 */
export function replaceSpanIn(
  model: PolicyModel, span: Span, replacement: string, raw: boolean,
  escapeOf: (s: StringValue) => (text: string) => string, valueText: (text: string) => string,
): OffsetEdit {
  const edit = (text: string): OffsetEdit => ({ offset: span.offset, length: span.length, text });
  if (raw) return edit(replacement);
  const s = stringAt(model, span);
  const content = s && s.spanOf(0, s.value.length);
  const inside = s && content && span.offset >= content.offset && span.offset + span.length <= content.offset + content.length && s.value.length > 0;
  if (inside) return edit(escapeOf(s)(replacement));
  const whole = s && span.offset === s.span.offset && span.length === s.span.length;
  if (whole && !replacement.startsWith('"')) return edit(valueText(replacement));
  return edit(replacement);
}
