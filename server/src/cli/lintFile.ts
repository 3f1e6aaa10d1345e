/**
 * One file's work for `iot-policy lint`, the same on the main thread and in a worker: read it
 * once, let the host decide whether it holds policies (its cheap text checks first), analyse it
 * with the configuration in force for its path, and, with `--fix` or `--fix-dry-run`, compute the
 * editor's Fix all. The result is plain data (positions already resolved), so that it can cross
 * a thread boundary and be printed as soon as it is its turn.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeDocument,
  POLICY_FILE_GLOBS,
  readingKey,
  RULES_BY_ID,
  type AnalyzedFinding,
  type PolicyConfig,
  type PolicyDocument,
  type Severity,
} from '../service';
import { computeFixAll } from '../service/features/codeActions';
import type { PolicyRef } from '../service/findings';
import { internalError } from '../service/rules/internal-error';
import { fileErrorReason } from '../node/files';
import type { CliIo } from './io';
import { openFile } from './open';
import { displayPath } from './paths';

/** A file to lint, in the order the output lists files. */
export interface Job {
  /** The path as given on the command line, or as found under a given directory or glob. */
  file: string;
  abs: string;
  /** Named on the command line: linted even when no host claims it (as a standalone policy). */
  named: boolean;
}

export type FixMode = 'off' | 'write' | 'dry-run';

/** A zero-based position, `character` in UTF-16 code units (as in LSP). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A finding as the formats print it. */
export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  policy?: PolicyRef;
  related?: { message: string; range: Range }[];
}

/** One linted file. */
export interface FileReport {
  file: string;
  abs: string;
  /** What remains (with a fix: after it). */
  findings: ReportedFinding[];
  /** Fixes `--fix` would apply (verified), when not fixing. */
  fixable: number;
  /** Warnings `--quiet` left out (they still count for `--max-warnings`). */
  hiddenWarnings?: number;
  /** With `--fix` or `--fix-dry-run`, when some fix applies: the text before and after, and what the file holds now. */
  fixed?: { original: string; text: string; applied: number; before: ReportedFinding[] };
}

/** What became of one job. */
export type JobOutcome =
  | { kind: 'linted'; reports: FileReport[]; notes: string[] }
  | { kind: 'unreadable'; file: string; abs: string; reason: string; notes: string[] }
  /** A named file that holds no policy (a YAML file that is no template). */
  | { kind: 'empty'; notes: string[] }
  /** A file found under a directory or glob that holds no policy. */
  | { kind: 'not-a-policy'; notes: string[] };

/** What a job needs besides the file: the rule levels for a path, and what to do about fixes. */
export interface JobContext {
  io: Pick<CliIo, 'readFile' | 'cwd'>;
  configFor(abs: string): PolicyConfig;
  fix: FixMode;
  /** Only errors are reported (`--quiet`). */
  quiet: boolean;
}

/** Zero-based line/character of offsets in one text, computed from its line starts once. */
function positions(text: string): (offset: number) => Position {
  const doc = TextDocument.create('file:///x', 'plaintext', 0, text);
  return (offset) => doc.positionAt(offset);
}

function safeAnalyze(document: PolicyDocument, config: PolicyConfig): AnalyzedFinding[] {
  try {
    return analyzeDocument(document, config);
  } catch (err) {
    // The library must never throw; if it does, say so instead of losing the file.
    return [{
      ruleId: internalError.meta.id,
      severity: 'error',
      span: { offset: 0, length: 0 },
      message: `The analysis failed on this document (${err instanceof Error ? err.message : String(err)}). Please report this.`,
    }];
  }
}

function report(findings: readonly AnalyzedFinding[], text: string, quiet: boolean): ReportedFinding[] {
  const shown = quiet ? findings.filter((f) => f.severity === 'error') : findings;
  if (!shown.length) return [];
  const at = positions(text);
  const range = (offset: number, length: number): Range => ({ start: at(offset), end: at(offset + length) });
  return shown.map((x) => {
    const r: ReportedFinding = { ruleId: x.ruleId, severity: x.severity, message: x.message, range: range(x.span.offset, x.span.length) };
    if (x.policy) r.policy = x.policy;
    if (x.related?.length) r.related = x.related.map((rel) => ({ message: rel.message, range: range(rel.span.offset, rel.span.length) }));
    return r;
  });
}

/** True when some finding's rule has a fix at all (a file without one needs no Fix all). */
function mayFix(findings: readonly AnalyzedFinding[]): boolean {
  return findings.some((f) => RULES_BY_ID.get(f.ruleId)?.fix !== undefined || !!(f.data as { suggestions?: unknown[] } | undefined)?.suggestions?.length);
}

/** Lints one document (a file, or a file another names) and computes its fixes. */
function lintDocument(file: string, abs: string, document: PolicyDocument, ctx: JobContext): FileReport {
  const config = ctx.configFor(abs);
  const findings = safeAnalyze(document, config);
  const text = document.text;
  if (!findings.length) return { file, abs, findings: [], fixable: 0 };
  const all = mayFix(findings) ? computeFixAll(document, config) : undefined;
  if (ctx.fix === 'off' || !all?.applied || all.text === text) {
    return withHidden(findings, { file, abs, findings: report(findings, text, ctx.quiet), fixable: all?.applied ?? 0 }, ctx.quiet);
  }
  const after = safeAnalyze(document.reparse(all.text), config);
  return withHidden(after, {
    file, abs,
    findings: report(after, all.text, ctx.quiet),
    fixable: 0,
    fixed: { original: text, text: all.text, applied: all.applied, before: report(findings, text, ctx.quiet) },
  }, ctx.quiet);
}

/** Notes the warnings `--quiet` leaves out of `r`. */
function withHidden(findings: readonly AnalyzedFinding[], r: FileReport, quiet: boolean): FileReport {
  if (!quiet) return r;
  const n = findings.filter((f) => f.severity === 'warning').length;
  if (n) r.hiddenWarnings = n;
  return r;
}

/**
 * What a text came to, for files that read it the same way (readingKey): the same policy copied
 * into many folders is analysed once per thread. Only outcomes that depend on nothing but the
 * text, the reading key and the configuration are kept (no linked files, no notes).
 */
interface Remembered {
  kind: 'linted' | 'empty' | 'not-a-policy';
  report?: Omit<FileReport, 'file' | 'abs'>;
}

/** Bounds of {@link RememberedOutcomes}. */
export interface RememberedBounds {
  /** Outcomes kept at most. */
  entries: number;
  /** Characters of text kept at most (the texts are the keys). */
  chars: number;
  /** Longer texts are never kept. */
  textChars: number;
  /** Texts the first-sight filter notes before it starts again. */
  sightings: number;
}

/** Bits of the first-sight filter: 2^19 bits (64 KB). */
const SIGHT_BITS = 19;

/**
 * Outcomes of texts seen more than once, by exact text. A text is kept only on its second sight:
 * the first only sets a bit for its hash in a filter, so a tree whose texts are all distinct (most
 * repositories) holds no text and no outcome, and copies of one policy are analysed twice, then
 * recalled. A hash collision only lets a text in early; a lookup always compares the whole text.
 * Past a bound, the oldest outcomes go first; the filter starts again after `sightings` texts, so
 * that it never fills up.
 */
export class RememberedOutcomes<T> {
  /** By context (how the text is read and configured), then by text. */
  private readonly byContext = new Map<string, Map<string, T>>();
  /** In the order kept, for eviction: the context and text of each outcome. */
  private readonly order: [Map<string, T>, string][] = [];
  private oldest = 0;
  private chars = 0;
  private readonly seen = new Int32Array(1 << (SIGHT_BITS - 5));
  private sightings = 0;

  constructor(private readonly bounds: RememberedBounds) {}

  get size(): number {
    return this.order.length - this.oldest;
  }

  /** The outcome kept for `text` in `context`, if any. */
  get(context: string, text: string): T | undefined {
    if (text.length > this.bounds.textChars) return undefined;
    return this.byContext.get(context)?.get(text);
  }

  /** Keeps `value` for `text` in `context` when the text was seen before (see the class). */
  offer(context: string, text: string, value: T): void {
    if (text.length > this.bounds.textChars || !this.sightedBefore(context, text)) return;
    let texts = this.byContext.get(context);
    if (!texts) this.byContext.set(context, (texts = new Map()));
    if (texts.has(text)) return;
    texts.set(text, value);
    this.order.push([texts, text]);
    this.chars += text.length;
    while (this.size > this.bounds.entries || this.chars > this.bounds.chars) this.evictOldest();
  }

  private evictOldest(): void {
    const [texts, text] = this.order[this.oldest];
    this.order[this.oldest++] = undefined as never;
    texts.delete(text);
    this.chars -= text.length;
    // Drop the evicted slots now and then, rather than shifting the array each time.
    if (this.oldest > 1024 && this.oldest * 2 > this.order.length) {
      this.order.splice(0, this.oldest);
      this.oldest = 0;
    }
  }

  /** Sets the filter's bit for this text; true when it was set already. */
  private sightedBefore(context: string, text: string): boolean {
    if (this.sightings >= this.bounds.sightings) {
      this.seen.fill(0);
      this.sightings = 0;
    }
    const h = fnv1a(context, fnv1a(text, 0x811c9dc5)) >>> (32 - SIGHT_BITS);
    const word = h >>> 5;
    const bit = 1 << (h & 31);
    if (this.seen[word] & bit) return true;
    this.seen[word] |= bit;
    this.sightings++;
    return false;
  }
}

/** 32-bit FNV-1a over UTF-16 code units, continuing from `h`. */
function fnv1a(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const remembered = new RememberedOutcomes<Remembered>({
  entries: 4096,
  chars: 4 * 1024 * 1024,
  textChars: 64 * 1024,
  sightings: 1 << (SIGHT_BITS - 3),
});
const configIds = new WeakMap<PolicyConfig, number>();
let nextConfigId = 0;

/** Everything besides the text that decides a job's outcome; undefined when the outcome may depend on more. */
function contextKey(job: Job, config: PolicyConfig, ctx: JobContext): string | undefined {
  const reading = readingKey(job.abs, POLICY_FILE_GLOBS);
  if (reading === undefined) return undefined;
  let id = configIds.get(config);
  if (id === undefined) {
    id = nextConfigId++;
    configIds.set(config, id);
  }
  return `${reading}\u0000${id}\u0000${job.named ? 1 : 0}${ctx.fix}${ctx.quiet ? 1 : 0}`;
}

function recall(job: Job, r: Remembered): JobOutcome {
  if (r.kind !== 'linted') return { kind: r.kind, notes: [] };
  return { kind: 'linted', reports: [{ file: job.file, abs: job.abs, ...r.report! }], notes: [] };
}

/**
 * Reads, opens and lints one job. A file found under a directory or glob that no host claims
 * as a policy file is `not-a-policy`; a named one is linted as a standalone policy, or `empty`
 * when it is a YAML, Terraform or code file without policies.
 */
export async function lintJob(job: Job, ctx: JobContext): Promise<JobOutcome> {
  let text: string;
  try {
    text = ctx.io.readFile(job.abs);
  } catch (err) {
    return { kind: 'unreadable', file: job.file, abs: job.abs, reason: fileErrorReason(err), notes: [] };
  }
  const context = contextKey(job, ctx.configFor(job.abs), ctx);
  const known = context === undefined ? undefined : remembered.get(context, text);
  if (known) return recall(job, known);
  const outcome = await lintText(job, text, ctx);
  if (context !== undefined && !outcome.notes.length) {
    if (outcome.kind === 'linted' && outcome.reports.length === 1) {
      const r = outcome.reports[0];
      remembered.offer(context, text, { kind: 'linted', report: { findings: r.findings, fixable: r.fixable, hiddenWarnings: r.hiddenWarnings, fixed: r.fixed } });
    } else if (outcome.kind === 'empty' || outcome.kind === 'not-a-policy') remembered.offer(context, text, { kind: outcome.kind });
  }
  return outcome;
}

async function lintText(job: Job, text: string, ctx: JobContext): Promise<JobOutcome> {
  const notes: string[] = [];
  let document: PolicyDocument | undefined;
  try {
    document = await openFile(text, job.abs, job.named, undefined, { ...ctx.io, note: (m) => notes.push(m) });
  } catch (err) {
    return { kind: 'unreadable', file: job.file, abs: job.abs, reason: fileErrorReason(err), notes };
  }
  if (!document) return job.named ? { kind: 'empty', notes } : { kind: 'not-a-policy', notes };
  const reports = [lintDocument(job.file, job.abs, document, ctx)];
  // The files its policies name (`file("policy.json")`): their findings, and fixes, are theirs.
  for (const l of document.linked ?? []) reports.push(lintDocument(displayPath(l.path, ctx.io.cwd), l.path, l.document, ctx));
  return { kind: 'linted', reports, notes };
}
