/** Every rule, grouped by what they read. */
import type { Rule } from './types';
import { structureRules } from './structure';
import { actionsRules } from './actions';
import { variablesRules } from './variables';
import { conditionsRules } from './conditions';
import { resourcesRules } from './resources';
import { securityRules } from './security';

export const ALL_RULES: readonly Rule[] = [
  ...structureRules,
  ...actionsRules,
  ...variablesRules,
  ...conditionsRules,
  ...resourcesRules,
  ...securityRules,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
