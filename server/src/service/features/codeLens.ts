import type { CodeLens } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { policySize, QUOTAS } from '../catalog/topics';
import type { PolicyDocument } from '../document';
import type { PolicySize } from '../policy/model';

/** Share of the size limit from which the size lens warns. */
const SIZE_WARNING_RATIO = 0.9;

export interface PolicySizeInfo {
  size: number;
  limit: number;
  /** `ok`, `near` (from 90 % of the limit) or `over`. */
  level: 'ok' | 'near' | 'over';
}

export function policySizeInfo(text: string | PolicySize): PolicySizeInfo {
  const size = typeof text === 'string' ? policySize(text) : text.chars;
  const limit = QUOTAS.policyDocumentMaxChars;
  return { size, limit, level: size > limit ? 'over' : size >= limit * SIZE_WARNING_RATIO ? 'near' : 'ok' };
}

export function formatPolicySize(info: PolicySizeInfo, complete = true): string {
  const pct = Math.round((info.size / info.limit) * 100);
  const mark = info.level === 'over' ? '$(error) ' : info.level === 'near' ? '$(warning) ' : '';
  const tail = info.level === 'over' ? ' — over the AWS IoT limit' : info.level === 'near' ? ' — close to the AWS IoT limit' : '';
  const known = complete ? '' : ', known before deploy';
  return `${mark}Policy size: ${complete ? '' : 'at least '}${info.size} / ${info.limit} characters (${pct} %, white space excluded${known})${tail}`;
}

/** A lens above each policy showing its size against the 2,048-character limit. */
export function getCodeLenses(doc: TextDocument, pdoc: PolicyDocument): CodeLens[] {
  return pdoc.policies.map((p) => {
    const model = p.model;
    const offset = p.key === '' ? (model.root?.offset ?? 0) : p.span.offset;
    const at = doc.positionAt(offset);
    const size = model.size();
    return { range: { start: at, end: at }, command: { title: formatPolicySize(policySizeInfo(size), size.complete), command: '' } };
  });
}
