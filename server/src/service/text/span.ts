/** A half-open range of document offsets: the unit every finding, edit and node is placed by. */
export interface Span {
  offset: number;
  length: number;
}

/** `offset` lies in [span.offset, span end). */
export function inSpan(span: Span, offset: number): boolean {
  return offset >= span.offset && offset < span.offset + span.length;
}

/** `offset` lies in [span.offset, span end], the end included (a cursor just after a node is in it). */
export function touchesSpan(span: Span, offset: number): boolean {
  return offset >= span.offset && offset <= span.offset + span.length;
}

/** `inner` lies wholly inside `outer`. */
export function spanContains(outer: Span, inner: Span): boolean {
  return inner.offset >= outer.offset && inner.offset + inner.length <= outer.offset + outer.length;
}

export function isSpan(v: unknown): v is Span {
  return !!v && typeof v === 'object' && typeof (v as Span).offset === 'number' && typeof (v as Span).length === 'number';
}
