/**
 * What the condition rules share: the operator entries of every statement, and when a name is
 * not theirs to check (a policy variable in a name is `policy-variable-not-allowed-here`'s).
 *
 * Every finding points at the content of an operator name, a key name or a value (without
 * quotes; the literal for numbers and booleans), and `data.suggestions` replace exactly that span.
 */
import type { ConditionOperatorEntry, PolicyModel } from '../../policy/model';

/** Finding data of the condition rules: replacements for the span, best first (the generic did-you-mean). */
export interface ConditionSuggestionData {
  suggestions: string[];
}

export function hasVariable(s: string): boolean {
  return s.includes('${') || s.includes('$(');
}

/** Every condition operator entry of the policy, in document order. */
export function* operatorEntries(model: PolicyModel): Generator<ConditionOperatorEntry> {
  for (const st of model.statements) yield* st.condition?.operators ?? [];
}

/** Lower-cases the first letter of a sentence, but not of an acronym (`IAM`, `AWS`). */
export function lowerFirst(s: string): string {
  return /^[A-Z][A-Z0-9]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Catalogue prose quotes names with `"`; messages put them in code format. */
export function codeQuotes(s: string): string {
  return s.replace(/"([^"]*)"/g, '`$1`');
}
