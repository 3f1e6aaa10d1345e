/** The structure rules, in the order they run: strict JSON first, then the shape of the policy. */
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
