/** The condition rules, in the order they run. */
import { conditionValueType } from './condition-value-type';
import { unknownConditionOperator } from './unknown-condition-operator';
import { unsupportedConditionKey } from './unsupported-condition-key';

export const conditionsRules = [unknownConditionOperator, unsupportedConditionKey, conditionValueType];
