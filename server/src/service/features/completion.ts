import type { CompletionList, Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PolicyConfig } from '../config';
import type { PolicyModel } from '../model';

export interface CompletionOptions {
  config?: PolicyConfig;
  /** The client accepts snippet syntax in insert texts. */
  snippetSupport?: boolean;
}

/** Completion items at `position`; every item carries a textEdit over the exact range it replaces. */
export function doComplete(_doc: TextDocument, _model: PolicyModel, _position: Position, _options?: CompletionOptions): CompletionList {
  return { isIncomplete: false, items: [] };
}
