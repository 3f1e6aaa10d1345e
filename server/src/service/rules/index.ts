/** Every rule, in the order findings are reported for one span. */
import type { Rule } from './types';
import { structureRules } from './structure';

export const ALL_RULES: readonly Rule[] = [...structureRules];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
