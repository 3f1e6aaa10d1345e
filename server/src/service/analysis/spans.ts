/**
 * Where findings point. A finding on a string points at its content without the quotes (the
 * whole literal when the string is empty), and its `suggestions` replace exactly that span. A
 * finding on a key points at the key's content; on an object or array, at its first character.
 */
import type { Property } from '../policy/model';
import type { PolicyNode, StringValue } from '../policy/tree';
import type { Span } from '../text/span';

/** The span of a string's content (without quotes); the whole literal when it is empty. */
export function contentSpan(sv: StringValue): Span {
  if (sv.value.length === 0) return sv.span;
  return sv.spanOf(0, sv.value.length);
}

/** Suggestions fitted to `contentSpan(sv)`: string values (quoted) when the string is empty. */
export function fitToContent(sv: StringValue, suggestions: string[]): string[] {
  return sv.value.length === 0 ? suggestions.map((x) => JSON.stringify(x)) : suggestions;
}

/** The span of a key's content. */
export function keyContentSpan(p: Property): Span {
  return contentSpan(p.keyValue);
}

/** The span of a node's first character (e.g. the `{` of an object). */
export function openerSpan(node: PolicyNode): Span {
  return { offset: node.offset, length: 1 };
}
