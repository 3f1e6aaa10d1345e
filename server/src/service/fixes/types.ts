/**
 * What a fix is, and what it may ask of the host that writes it. Rules describe a change in terms
 * of the policy (this string's decoded text, this statement's `Condition`, a new statement); the
 * host's writer turns it into edits in the file's own syntax (JSON, YAML, HCL, code), keeping its
 * layout, quoting and escapes.
 */
import type { AnalyzedFinding } from '../findings';
import type { PolicyConfig } from '../config';
import type { PolicyModel, Property, StatementModel } from '../policy/model';
import type { PolicyNode, StringValue } from '../policy/tree';
import type { OffsetEdit } from '../text/edits';
import type { Span } from '../text/span';

export type { OffsetEdit } from '../text/edits';

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** The single obvious fix for its diagnostic. */
  preferred?: boolean;
  /** Applied by "Fix all safe problems": it only makes the policy say what it evidently means. */
  safe?: boolean;
}

/** A path from the policy root: keys and array indices. */
export type PolicyPath = (string | number)[];

/** A change of a statement's content: set (or insert) the value at a path inside it, or remove it (`undefined`). */
export type StatementChange = [PolicyPath, unknown];

/**
 * Writes changes of one policy in the syntax of the file that holds it. Every method returns
 * edits of the document, or `[]` when it cannot write the change there (a fix is then not offered).
 */
export interface PolicyWriter {
  /** Replaces decoded characters [start, end) of a string value with decoded `text` (escaped as the place needs). */
  replaceInString(sv: StringValue, start: number, end: number, text: string): OffsetEdit;
  /**
   * Replaces a finding's span. Inside a string the replacement is decoded text; a span that is a
   * whole (empty) string gets a string value; `raw` text is written as it is (syntax fixes).
   */
  replaceSpan(span: Span, text: string, raw?: boolean): OffsetEdit;
  /** Sets, inserts or removes (`undefined`) the value at `path` from the policy root. */
  setAt(path: PolicyPath, value: unknown, options?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[];
  /** Edits of one statement: `first` (edits inside it), then `changes` (paths inside it), as minimal edits. */
  editStatement(st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean }): OffsetEdit[];
  /** Inserts statements (plain values) after `after`, or at the end. A single statement object becomes a list. */
  insertStatements(after: StatementModel | undefined, statements: unknown[]): OffsetEdit[];
  /** Replaces a statement by several: each is the statement with its own changes. */
  splitStatement(st: StatementModel, variants: StatementChange[][]): OffsetEdit[];
  /** Removes one item (by node) from the list that holds it, with its separator. */
  removeItem(item: PolicyNode): OffsetEdit[];
  /** Removes a property of the policy or of a statement. */
  removeProperty(prop: Property): OffsetEdit[];
  /** Wraps a string value in `Fn::Sub` (`!Sub` in YAML), escaping the policy variables it holds. Templates only. */
  wrapInSub?(sv: StringValue): OffsetEdit[];
  /** Turns a single string value into a list of it and `add`, before or after it (`"a"` → `["b", "a"]`). */
  toList(item: StringValue, add: string, where: 'before' | 'after'): OffsetEdit[];
}

export interface FixContext {
  model: PolicyModel;
  /** The document text. */
  text: string;
  config?: PolicyConfig;
  /** All current findings of the policy (some fixes look at the others). */
  findings: readonly AnalyzedFinding[];
  writer: PolicyWriter;
  /** Per-context memo for indexes that several fixes use. */
  memo<T>(key: string, make: () => T): T;
}

/** The fix function of a rule. */
export type FixProvider<F extends AnalyzedFinding = AnalyzedFinding> = (ctx: FixContext, finding: F) => Fix[];
