/** The structure rules, in the order they run: strict JSON first, then the shape of the policy. */
import { CURRENT_VERSION } from '../../catalog';
import { contentSpan } from '../../analysis/spans';
import type { PolicyModel, Span } from '../../policy/model';
import { duplicateKey } from './duplicate-key';
import { duplicateValue } from './duplicate-value';
import { invalidEffect } from './invalid-effect';
import { invalidValueType } from './invalid-value-type';
import { invalidVersion } from './invalid-version';
import { jsonSyntax } from './json-syntax';
import { missingElement } from './missing-element';
import { missingStatement } from './missing-statement';
import { missingVersion } from './missing-version';
import { policyTooLarge } from './policy-too-large';
import { principalNotSupported } from './principal-not-supported';
import { unknownElement } from './unknown-element';

export const structureRules = [
  jsonSyntax, duplicateKey, missingVersion, invalidVersion, missingStatement, unknownElement,
  principalNotSupported, missingElement, invalidEffect, invalidValueType, policyTooLarge, duplicateValue,
];

/**
 * TEMPORARY: `rules/variables.ts` still puts this in its finding data until its own conversion
 * (its fix recomputes the edits with `setVersionEdits`). Delete with that import.
 */
export function versionFix(model: PolicyModel): { span: Span; text: string } | undefined {
  if (model.versionValue) return { span: contentSpan(model.versionValue), text: CURRENT_VERSION };
  if (model.version?.value) return { span: { offset: model.version.value.offset, length: model.version.value.length }, text: `"${CURRENT_VERSION}"` };
  if (model.root?.type !== 'object') return undefined;
  const hasProps = (model.root.children?.length ?? 0) > 0;
  return { span: { offset: model.root.offset + 1, length: 0 }, text: `\n  "Version": "${CURRENT_VERSION}"${hasProps ? ',' : ''}` };
}
