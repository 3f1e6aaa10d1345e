import type { Hover, Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PolicyModel } from '../model';

/** Markdown hover for the element under `position`, or null. */
export function doHover(_doc: TextDocument, _model: PolicyModel, _position: Position): Hover | null {
  return null;
}
