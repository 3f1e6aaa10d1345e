/**
 * Where the cursor is, as a host reads it from its own syntax, and how text is written there.
 * The completers decide what to offer; the host's place decides how it is spelled and what range
 * it replaces. The hosts that read the cursor's surroundings as characters share `wordAt` and
 * the significant characters around it.
 */
import type { PolicyPath } from '../../fixes/types';
import type { Text, ValueShape } from './text';

export interface StringAtCursor {
  /** Offset of the string's opening delimiter. */
  start: number;
  /** Offset just past the string (past its closing delimiter when closed). */
  end: number;
  contentStart: number;
  contentEnd: number;
  closed: boolean;
}

/** A text to insert and the document range it replaces. */
export interface Insertion {
  text: Text;
  start: number;
  end: number;
  /** What the client filters on by default (`"Effect"` for a key outside a string). */
  filterText?: string;
}

export interface CompletionSyntax {
  /** Writes decoded policy text inside the current string (JSON escapes; `${!` in `Fn::Sub`). */
  encode(text: string): string;
  /** A string value: inside the current string its content, outside a whole value. */
  value(t: Text, label: string): Insertion;
  /** A key, with its value unless one follows already. `withValue` says which. */
  key(key: string, value: ValueShape | undefined): Insertion & { withValue: boolean };
  /** A value where only a structure fits (a new statement, the statement list). */
  structure(v: ValueShape): Insertion;
  /** How the current string ends when it is not closed (`"`). */
  close: string;
  /**
   * What goes between `${` and a policy variable's name in this string (`!` in a `Fn::Sub`
   * string, where `${!iot:ClientId}` renders as `${iot:ClientId}`).
   */
  variableEscape: string;
  /**
   * How a policy variable opens in this string when it is not `${`: `$${` in a Terraform string
   * (Terraform's escape), `&{` in an `aws_iam_policy_document`, `\${` in a TypeScript template
   * literal (where `${` starts a substitution). A bare `${` typed there is rewritten.
   */
  variableOpen?: string;
  /** ARN parts this place writes in its own syntax (`${AWS::Region}` in a `Fn::Sub` string). */
  arnDefaults?: { partition?: string; region?: string; accountId?: string };
}

export interface CompletionPlace {
  where: { kind: 'key'; object: PolicyPath } | { kind: 'value'; path: PolicyPath };
  /** The string the cursor is in. */
  str?: StringAtCursor;
  /** Outside strings: the word at the cursor. */
  word: { start: number; end: number };
  syntax: CompletionSyntax;
}

/** The characters of a word completion replaces outside strings: names, actions, ARNs, wildcards. */
const WORD = /[A-Za-z0-9_:.*$?-]/;

/** The word at `offset`, which never starts with a key's colon (`"Effect":|`, `Effect:|`). */
export function wordAt(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  while (start < offset && text[start] === ':') start++;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  return { start, end };
}

/** The last character before `offset` that is not white space ('' at the start). */
export function prevSignificantChar(text: string, offset: number): string {
  for (let i = offset - 1; i >= 0; i--) if (!/\s/.test(text[i])) return text[i];
  return '';
}

/** The first character at or after `offset` that is not white space ('' at the end). */
export function nextSignificantChar(text: string, offset: number): string {
  for (let i = offset; i < text.length; i++) if (!/\s/.test(text[i])) return text[i];
  return '';
}
