/**
 * The string values of the JSON host: a string literal of the document with its decoded text and
 * the document offset of every decoded character.
 */
import type { PolicyNode, StringValue } from '../../policy/tree';
import { NO_OPAQUE } from '../../policy/tree';
import type { Span } from '../../text/span';
import { decodeJsonString } from './string';

const NO_VARIABLES = Object.freeze([]) as unknown as StringValue['variables'];

/**
 * A string literal of the document. One object per literal, with its offset map as methods
 * rather than closures: a 1 MB policy has tens of thousands of them. Every document offset it
 * gives is `base` plus an offset within the literal, so that {@link moveStringValue} can move it
 * when an edit before it shifts the text (see `incremental.ts`).
 */
class JsonStringValue implements StringValue {
  readonly span: Span;
  /** Shared while empty: the model replaces it (never pushes into it) when the value holds `${`. */
  variables = NO_VARIABLES;
  readonly opaque = NO_OPAQUE;
  constructor(
    readonly node: PolicyNode,
    readonly value: string,
    /** Document offset of decoded index 0 when the literal has no escapes (`map` undefined), else of the literal. */
    public base: number,
    /** Offset within the literal of each decoded index, for a literal with escapes or a value jsonc-parser decoded differently. */
    private readonly map: ((i: number) => number) | undefined,
  ) {
    this.span = { offset: node.offset, length: node.length };
  }
  offsetOf(index: number): number {
    return this.map ? this.base + this.map(index) : this.base + index;
  }
  spanOf(start: number, end: number): Span {
    const a = this.offsetOf(start);
    return { offset: a, length: Math.max(0, this.offsetOf(end) - a) };
  }
}

/**
 * Moves a string value of the JSON host by `delta` characters: its span, its offset map and the
 * spans of its `${...}` references. False for a value this host did not make (it cannot be moved).
 */
export function moveStringValue(sv: StringValue, delta: number): boolean {
  if (!(sv instanceof JsonStringValue)) return false;
  sv.base += delta;
  (sv.span as { offset: number }).offset += delta;
  const refs = sv.variables;
  for (let i = 0; i < refs.length; i++) {
    refs[i].span.offset += delta;
    refs[i].nameSpan.offset += delta;
  }
  return true;
}

/** The string value of a JSON string literal of `text`. */
export function jsonStringValue(node: PolicyNode, text: string): StringValue {
  const nv = node.value;
  if (typeof nv === 'string' && node.length === nv.length + 2 && text.charCodeAt(node.offset) === 0x22
    && text.charCodeAt(node.offset + node.length - 1) === 0x22 && text.startsWith(nv, node.offset + 1)) {
    // No escapes (each one makes the literal longer than its value): decoded index i is at offset + 1 + i.
    return new JsonStringValue(node, nv, node.offset + 1, undefined);
  }
  const raw = text.substr(node.offset, node.length);
  const decoded = decodeJsonString(raw, 0);
  const value = typeof nv === 'string' ? nv : decoded.value;
  const within = decoded.value === value ? decoded.offsetOf : (i: number) => 1 + Math.min(i, Math.max(0, node.length - 2));
  return new JsonStringValue(node, value, node.offset, within);
}
