import type { CodeLens } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { policySize, QUOTAS } from '../catalog/topics';
import type { PolicyModel } from '../policy/model';

/** Share of the size limit from which the size lens warns. */
export const SIZE_WARNING_RATIO = 0.9;

export interface PolicySizeInfo {
  size: number;
  limit: number;
  /** `ok`, `near` (from 90 % of the limit) or `over`. */
  level: 'ok' | 'near' | 'over';
}

export function policySizeInfo(text: string): PolicySizeInfo {
  const size = policySize(text);
  const limit = QUOTAS.policyDocumentMaxChars;
  return { size, limit, level: size > limit ? 'over' : size >= limit * SIZE_WARNING_RATIO ? 'near' : 'ok' };
}

export function formatPolicySize(info: PolicySizeInfo): string {
  const pct = Math.round((info.size / info.limit) * 100);
  const mark = info.level === 'over' ? '$(error) ' : info.level === 'near' ? '$(warning) ' : '';
  const tail = info.level === 'over' ? ' — over the AWS IoT limit' : info.level === 'near' ? ' — close to the AWS IoT limit' : '';
  return `${mark}Policy size: ${info.size} / ${info.limit} characters (${pct} %, white space excluded)${tail}`;
}

/** A lens above the document showing its size against the 2,048-character limit. */
export function getCodeLenses(doc: TextDocument, model: PolicyModel): CodeLens[] {
  const at = model.root ? doc.positionAt(model.root.offset) : { line: 0, character: 0 };
  const info = policySizeInfo(model.text);
  return [{ range: { start: at, end: at }, command: { title: formatPolicySize(info), command: '' } }];
}
