import type { DocumentSymbol } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PolicyModel } from '../model';

/** One symbol per statement, named by Sid or by a summary. */
export function getDocumentSymbols(_doc: TextDocument, _model: PolicyModel): DocumentSymbol[] {
  return [];
}
