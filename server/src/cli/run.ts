/** Running the analysis over the files `lint` found: the same `parsePolicy` + `analyze` as the editor. */
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, parsePolicy, type AnalyzedFinding, type PolicyConfig, type PolicyModel } from '../service';
import { internalError } from '../service/rules/internal-error';
import { fileErrorReason } from '../node/files';
import type { Target, UnreadableFile } from './discover';
import type { CliIo } from './io';

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

function lintText(file: string, abs: string, text: string, config: PolicyConfig, model?: PolicyModel): LintedFile {
  const doc = TextDocument.create(pathToFileURL(abs).href, 'json', 0, text);
  let findings: AnalyzedFinding[];
  try {
    findings = analyze(model ?? parsePolicy(text), config);
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

/** Reads (unless detection already did) and lints every target; a file that cannot be read is listed, not linted. */
export function lintTargets(
  targets: readonly Target[], config: PolicyConfig, io: Pick<CliIo, 'readFile'>,
): { linted: LintedFile[]; unreadable: UnreadableFile[] } {
  const linted: LintedFile[] = [];
  const unreadable: UnreadableFile[] = [];
  for (const t of targets) {
    let text = t.text;
    if (text === undefined) {
      try {
        text = io.readFile(t.abs);
      } catch (err) {
        unreadable.push({ file: t.file, abs: t.abs, reason: fileErrorReason(err) });
        continue;
      }
    }
    linted.push(lintText(t.file, t.abs, text, config, t.model));
  }
  return { linted, unreadable };
}
