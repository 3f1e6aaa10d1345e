/** The security rules, in the order they run. */
import { clientIdVariableUnrestricted } from './client-id-variable-unrestricted';
import { connectWithoutAttachedThing } from './connect-without-attached-thing';
import { denyBypassedByWildcard } from './deny-bypassed-by-wildcard';
import { missingDependentAction } from './missing-dependent-action';
import { mqttWildcardInDeny } from './mqtt-wildcard-in-deny';
import { notAction } from './not-action';
import { overlyPermissive } from './overly-permissive';
import { thingVariableInGreengrassPolicy } from './thing-variable-in-greengrass-policy';

export const securityRules = [
  overlyPermissive,
  notAction,
  mqttWildcardInDeny,
  denyBypassedByWildcard,
  clientIdVariableUnrestricted,
  connectWithoutAttachedThing,
  missingDependentAction,
  thingVariableInGreengrassPolicy,
];
