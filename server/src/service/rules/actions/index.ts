/** The action rules, in the order they run. */
import { actionCase } from './action-case';
import { legacyJobAction } from './legacy-job-action';
import { notAnIotPolicyAction } from './not-an-iot-policy-action';
import { unknownAction } from './unknown-action';

export const actionsRules = [unknownAction, notAnIotPolicyAction, legacyJobAction, actionCase];
