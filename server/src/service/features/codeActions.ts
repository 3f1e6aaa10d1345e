import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PolicyConfig } from '../config';
import type { PolicyModel } from '../model';

export interface CodeActionOptions {
  config?: PolicyConfig;
  /** Requested kinds (LSP `CodeActionContext.only`). */
  only?: string[];
}

/** Quick fixes for our diagnostics in `range`, plus the "fix all" source action. */
export function getCodeActions(
  _doc: TextDocument,
  _model: PolicyModel,
  _range: Range,
  _diagnostics: readonly Diagnostic[],
  _options?: CodeActionOptions,
): CodeAction[] {
  return [];
}
