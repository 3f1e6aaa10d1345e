/** The resource rules, in the order they run. */
import { arnPlaceholder } from './arn-placeholder';
import { invalidArn } from './invalid-arn';
import { invalidTopic } from './invalid-topic';
import { mqttWildcardIsLiteral } from './mqtt-wildcard-is-literal';
import { reservedTopic } from './reserved-topic';
import { resourceTypeMismatch } from './resource-type-mismatch';

export const resourcesRules = [invalidArn, arnPlaceholder, resourceTypeMismatch, mqttWildcardIsLiteral, invalidTopic, reservedTopic];
