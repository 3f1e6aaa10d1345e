/**
 * What several structure rules share: the element names a policy and a statement may have, the
 * element a misspelled key most likely means, and how to tell a template value from a wrong one.
 */
import { STATEMENT_ELEMENTS, TOP_ELEMENTS, type PolicyModel, type Property } from '../../policy/model';
import type { PolicyNode } from '../../policy/tree';
import { nearest } from '../../text/distance';

export const TOP_SET: ReadonlySet<string> = new Set<string>(TOP_ELEMENTS);
export const STATEMENT_SET: ReadonlySet<string> = new Set<string>(STATEMENT_ELEMENTS);
/** Reported by principal-not-supported, so never as unknown elements. */
export const PRINCIPALS: ReadonlySet<string> = new Set(['Principal', 'NotPrincipal']);

/** Well-known misspellings that edit distance alone ranks badly. */
const ELEMENT_ALIASES: Record<string, string> = {
  actions: 'Action', resources: 'Resource', conditions: 'Condition', statements: 'Statement', effects: 'Effect',
  notactions: 'NotAction', notresources: 'NotResource', 'not-resource': 'NotResource', 'not-action': 'NotAction',
  not_resource: 'NotResource', not_action: 'NotAction', policyversion: 'Version', policy_version: 'Version', statementid: 'Sid',
};

/** The element a misspelled key most likely means at this level, best first. */
export function elementSuggestions(key: string, level: 'top' | 'statement'): string[] {
  const own: readonly string[] = level === 'top' ? TOP_ELEMENTS : STATEMENT_ELEMENTS;
  const alias = ELEMENT_ALIASES[key.toLowerCase().trim()];
  const out: string[] = [];
  if (alias && own.includes(alias)) out.push(alias);
  const ci = own.find((e) => e.toLowerCase() === key.trim().toLowerCase());
  if (ci && !out.includes(ci)) out.push(ci);
  for (const n of nearest(key.trim(), own, Math.max(1, Math.min(3, Math.floor(key.length / 3))))) if (!out.includes(n)) out.push(n);
  return out;
}

/** The properties of an object the model did not read as a statement (under a misspelled `Statement`). */
export function rawProps(model: PolicyModel, obj: PolicyNode): Property[] {
  const out: Property[] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (!k || k.type !== 'string' || typeof k.value !== 'string') continue;
    const keyValue = model.stringOf(k);
    out.push({ key: keyValue.value, keyValue, keySpan: keyValue.span, node: p, value: p.children?.[1] });
  }
  return out;
}

/**
 * A value a template leaves unknown until deploy (`{"Ref": ...}`, `!GetAtt`): it could be
 * anything, so it is never the wrong type, never missing, never unknown.
 */
export function isOpaque(node: PolicyNode | undefined): boolean {
  return node?.type === 'opaque';
}

/** The arguments of a message that has none. */
export type NoArgs = Record<string, never>;
