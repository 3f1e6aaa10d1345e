/**
 * The registry: every rule, in the order `analyze` runs them. Everything that lists rules (the
 * README table, the configuration schema, SARIF metadata, `--list-rules`) is derived from here.
 */
import type { Rule } from './rule';
import { structureRules } from './structure';
import { actionsRules } from './actions';
import { variablesRules } from './variables';
import { conditionsRules } from './conditions';
import { resourcesRules } from './resources';
import { securityRules } from './security';
import { analysisLimit } from './analysis-limit';
import { internalError } from './internal-error';
import { templatesRules, templateSyntaxError } from './templates';

export const ALL_RULES: readonly Rule[] = [
  ...structureRules,
  ...actionsRules,
  ...variablesRules,
  ...conditionsRules,
  ...resourcesRules,
  ...securityRules,
  ...templatesRules,
  templateSyntaxError,
];

/** Rules that are never run by `analyze` but have findings (a rule that failed, what was left out). */
const SPECIAL_RULES: readonly Rule[] = [internalError, analysisLimit];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map([...ALL_RULES, ...SPECIAL_RULES].map((r) => [r.meta.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.meta.id));
