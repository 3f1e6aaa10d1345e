/** Lines and positions in a text: 1-based line:column for people, 0-based ranges for LSP. */
import type { Span } from './span';

export interface LineColumn {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/** The 1-based line and column of `offset`. */
export function lineColumn(text: string, offset: number): LineColumn {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** `3:5`: the 1-based line and column of `offset`. */
export function lineColumnLabel(text: string, offset: number): string {
  const p = lineColumn(text, offset);
  return `${p.line}:${p.column}`;
}

/** Zero-based line/character range of a span (characters are UTF-16 code units, as in LSP). */
export function spanToLspRange(text: string, span: Span): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const pos = (offset: number) => {
    const p = lineColumn(text, Math.min(offset, text.length));
    return { line: p.line - 1, character: p.column - 1 };
  };
  return { start: pos(span.offset), end: pos(span.offset + span.length) };
}

/** The leading white space of the line that contains `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Offset of the end of the line that contains `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  return n === -1 ? text.length : n;
}

export function isJsonWhiteSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Offset of the previous non-white-space character before `offset`, or -1. */
export function prevSignificant(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && isJsonWhiteSpace(text[i])) i--;
  return i;
}

/** Offset of the next non-white-space character at or after `offset`, or the text's length. */
export function nextSignificant(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && isJsonWhiteSpace(text[i])) i++;
  return i;
}
