/** Running the analysis over the files `lint` found: the same hosts and `analyzeDocument` as the editor. */
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type AnalyzedFinding, type PolicyConfig, type PolicyDocument } from '../service';
import { internalError } from '../service/rules/internal-error';
import { fileErrorReason } from '../node/files';
import type { Target, UnreadableFile } from './discover';
import type { CliIo } from './io';
import { openFile } from './open';
import { displayPath } from './paths';

/** One linted document. */
export interface LintedFile {
  /** The path as given on the command line, or as found under a given directory or glob. */
  file: string;
  /** Absolute path. */
  abs: string;
  text: string;
  doc: TextDocument;
  findings: AnalyzedFinding[];
}

function lintDocument(file: string, abs: string, text: string, config: PolicyConfig, document: PolicyDocument): LintedFile {
  const doc = TextDocument.create(pathToFileURL(abs).href, 'plaintext', 0, text);
  let findings: AnalyzedFinding[];
  try {
    findings = analyzeDocument(document, config);
  } catch (err) {
    // The library must never throw; if it does, say so instead of losing the file.
    findings = [{
      ruleId: internalError.meta.id,
      severity: 'error',
      span: { offset: 0, length: 0 },
      message: `The analysis failed on this document (${err instanceof Error ? err.message : String(err)}). Please report this.`,
    }];
  }
  return { file, abs, text, doc, findings };
}

/**
 * Reads and opens (unless detection already did) and lints every target. A file that cannot be
 * read is listed, not linted; a named file that holds no policy (a YAML file that is no template)
 * is listed in `empty`.
 */
export async function lintTargets(
  targets: readonly Target[], config: PolicyConfig, io: Pick<CliIo, 'readFile' | 'cwd' | 'stderr'>,
): Promise<{ linted: LintedFile[]; unreadable: UnreadableFile[]; empty: string[] }> {
  const linted: LintedFile[] = [];
  const unreadable: UnreadableFile[] = [];
  const empty: string[] = [];
  const access = { ...io, note: (m: string) => io.stderr(`iot-policy lint: ${m}\n`) };
  // Each file once: a policy file a Terraform file or stack names is also found by the walk.
  const done = new Set<string>();
  for (const t of targets) {
    if (done.has(t.abs)) continue;
    done.add(t.abs);
    let text = t.text;
    if (text === undefined) {
      try {
        text = io.readFile(t.abs);
      } catch (err) {
        unreadable.push({ file: t.file, abs: t.abs, reason: fileErrorReason(err) });
        continue;
      }
    }
    let document;
    try {
      document = t.document ?? (await openFile(text, t.abs, true, undefined, access));
    } catch (err) {
      unreadable.push({ file: t.file, abs: t.abs, reason: fileErrorReason(err) });
      continue;
    }
    if (!document) {
      empty.push(t.file);
      continue;
    }
    linted.push(lintDocument(t.file, t.abs, text, config, document));
    // The files its policies name (`file("policy.json")`): their findings are theirs.
    for (const l of document.linked ?? []) {
      if (done.has(l.path)) continue;
      done.add(l.path);
      linted.push(lintDocument(displayPath(l.path, io.cwd), l.path, l.document.text, config, l.document));
    }
  }
  return { linted, unreadable, empty };
}
