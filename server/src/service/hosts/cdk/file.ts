/**
 * What the CDK readers share about one source file: its text and syntax tree, the string literals
 * the policies are written in (for fixes and completion), the files the stack reads its policies
 * from, and what the caller knows of the stack (region, account, a file reader).
 */
import type { Node } from 'web-tree-sitter';
import type { HostInfo } from '../../policy/model';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import type { StringBuilder } from '../strings';
import type { Literal } from './literals';
import type { PolicyBuild } from './tree';

export type CodeLanguage = 'typescript' | 'python';

export interface CdkOptions {
  /**
   * Known values of the stack's pseudo parameters, by their CloudFormation names (`AWS::Region`,
   * `AWS::AccountId`, `AWS::Partition`; the CLI's `--region`, `--account`). `Aws.REGION`,
   * `this.region`, `Stack.of(this).account` and the parts `formatArn` fills in read as these
   * values; unknown ones are opaque.
   */
  values?: ReadonlyMap<string, string>;
  /**
   * Reads a file the stack loads its policy from (`JSON.parse(fs.readFileSync('policy.json'))`,
   * `json.loads(open('policy.json').read())`), synchronously, as analysis is. `path` is absolute
   * when the code builds it from `__dirname` or `__file__` (or `require`s a relative path), else as
   * written (the CDK app reads it from its working directory). Returns the path read and its text,
   * or undefined. Without it (the editor), such a policy is not followed from the stack; the JSON
   * file is a document of its own, checked when it is opened if it is a policy by name or content.
   */
  readFile?: (path: string) => { path: string; text: string } | undefined;
  /**
   * Also read policies held as JSON text in a string constant that no `CfnPolicy` reads (found by
   * their content, `iotPolicy.detectByContent`). On unless set false.
   */
  detectByContent?: boolean;
}

/** The string literals of the policies of a file, by span (the innermost holding an offset wins). */
export class LiteralIndex {
  private readonly byOffset = new Map<number, Literal>();

  add(lit: Literal): Literal {
    const key = lit.span.offset * 2 + (lit.outer ? 1 : 0);
    const seen = this.byOffset.get(key);
    if (seen && seen.span.length === lit.span.length) {
      // A string read in a `Fn.sub` and elsewhere is written as the Sub needs it.
      if (lit.sub && !seen.sub) this.byOffset.set(key, lit);
      return this.byOffset.get(key)!;
    }
    this.byOffset.set(key, lit);
    return lit;
  }

  /** The innermost literal whose content holds [offset, end]. */
  at(offset: number, end = offset): Literal | undefined {
    let best: Literal | undefined;
    for (const l of this.byOffset.values()) {
      const c = l.content;
      if (offset < c.offset || end > c.offset + c.length) continue;
      if (!best || l.content.length < best.content.length) best = l;
    }
    return best;
  }

  /** Whether a literal lies within `span` (a string a policy already reads). */
  within(span: Span): boolean {
    for (const l of this.byOffset.values()) if (l.span.offset >= span.offset && l.span.offset + l.span.length <= span.offset + span.length) return true;
    return false;
  }

  /** Whether a substitution or placeholder of a literal overlaps `span`. */
  holeWithin(span: Span): boolean {
    const end = span.offset + span.length;
    for (const l of this.byOffset.values()) if (l.holes.some((h) => h.offset < end && h.offset + h.length > span.offset)) return true;
    return false;
  }

  /** The innermost literal whose span (delimiters included) holds `offset`. */
  around(offset: number): Literal | undefined {
    let best: Literal | undefined;
    for (const l of this.byOffset.values()) {
      const s = l.span;
      if (offset < s.offset || offset > s.offset + s.length) continue;
      if (!best || s.length < best.span.length) best = l;
    }
    return best;
  }
}

/** A policy the stack reads from another file. */
export interface LinkedPolicy {
  /** The path as the code names it (see `CdkOptions.readFile`). */
  path: string;
  /** Where the code reads it. */
  span: Span;
}

export interface CodeFile {
  text: string;
  path: string;
  language: CodeLanguage;
  root: Node;
  options: CdkOptions;
  literals: LiteralIndex;
  host: HostInfo;
}

/** A `CfnPolicy` construct of the file. */
export interface FoundPolicy {
  /** The construct id as written (decoded), or the expression that computes it. */
  id: string;
  idSpan: Span;
  /** The construct expression. */
  span: Span;
  /** `policyName`, when it is a literal. */
  policyName?: string;
  build: PolicyBuild;
  /** The policy document; undefined when it is read from another file (`linked`) or not given. */
  root?: PolicyNode;
  linked?: LinkedPolicy;
}

/** Pseudo parameters the code names (`Aws.REGION`, `this.region`), by their CloudFormation names. */
export const PSEUDO_BY_NAME: Readonly<Record<string, string>> = {
  REGION: 'AWS::Region', region: 'AWS::Region',
  ACCOUNT_ID: 'AWS::AccountId', account: 'AWS::AccountId',
  PARTITION: 'AWS::Partition', partition: 'AWS::Partition',
  URL_SUFFIX: 'AWS::URLSuffix', url_suffix: 'AWS::URLSuffix', urlSuffix: 'AWS::URLSuffix',
};

/** Children that are code (no comments). */
export function named(n: Node | null | undefined): Node[] {
  if (!n) return [];
  const out: Node[] = [];
  for (let i = 0; i < n.namedChildCount; i++) {
    const c = n.namedChild(i)!;
    if (c.type !== 'comment') out.push(c);
  }
  return out;
}

export function spanOf(n: Node): Span {
  return { offset: n.startIndex, length: n.endIndex - n.startIndex };
}

export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** The directory part of a path (`/a/b/c.ts` → `/a/b`). */
export function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** Joins path pieces with `/`, resolving `.` and `..` (no file system). */
export function joinPath(...parts: string[]): string {
  let abs = -1;
  parts.forEach((p, i) => {
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) abs = i;
  });
  const use = abs >= 0 ? parts.slice(abs) : parts;
  const out: string[] = [];
  const head = use[0]?.match(/^([A-Za-z]:)?[\\/]/)?.[0] ?? '';
  for (const seg of use.join('/').slice(head.length).split(/[\\/]+/)) {
    if (!seg || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return head.replace(/\\$/, '/') + out.join('/');
}

/** Joins path pieces when every one of them is known. */
export function joinKnown(parts: (string | undefined)[]): string | undefined {
  return parts.every((p): p is string => p !== undefined) ? joinPath(...parts) : undefined;
}

/** Appends a known value of a pseudo parameter, or one opaque character for it. */
export function appendPseudo(b: StringBuilder, file: CodeFile, name: string, span: Span, label: string): void {
  const known = file.options.values?.get(name);
  if (known === undefined) {
    b.unknown(span, label);
    return;
  }
  const offsets = new Array<number>(known.length).fill(span.offset);
  b.text(known, offsets, span.offset + span.length);
}
