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

/**
 * The index of the last item of `list` (sorted by start offset) that starts at or before `offset`
 * (before it, when `strict`), or -1: a binary search over document order.
 */
export function lastStartingBefore<T>(list: readonly T[], offset: number, startOf: (item: T) => number, strict = false): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = startOf(list[mid]);
    if (strict ? start < offset : start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
