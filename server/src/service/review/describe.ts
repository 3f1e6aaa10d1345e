/**
 * Words for the review engine's items: conditions as written, resources without the ARN prefix
 * they share, and a one-line summary in IoT terms ("client IDs that differ from the connecting
 * thing's name"). Message parts are named and joined; nothing here decides anything.
 */
import { findAction } from '../catalog/actions';
import type { ConditionPart, StatementRef } from './statements';

/** `statement 2 ("NoConfig") of base.json`. */
export function statementLabel(ref: StatementRef): string {
  return `statement ${ref.index + 1}${ref.sid ? ` ("${ref.sid}")` : ''} of ${ref.policy}`;
}

/** A condition part as one line: `Bool iot:Connection.Thing.IsAttached = "true"`. */
export function conditionText(c: ConditionPart): string {
  const values = c.values.map((v) => JSON.stringify(v));
  const rhs = values.length === 1 ? `= ${values[0]}` : `in [${values.join(', ')}]`;
  return `${c.operator} ${c.key} ${rhs}`;
}

/** Phrases for the variables people meet most; others are shown as written. */
const VARIABLE_PHRASES: Record<string, string> = {
  'iot:Connection.Thing.ThingName': "the connecting thing's name",
  'iot:ClientId': "the connection's client ID",
  'iot:Connection.Thing.ThingTypeName': "the connecting thing's type",
  'iot:CertificateId': "the certificate's ID",
  'iot:Certificate.Subject.CommonName': "the certificate's subject common name",
  'cognito-identity.amazonaws.com:sub': "the caller's Cognito identity ID",
};

function variablePhrase(name: string): string {
  return VARIABLE_PHRASES[name] ?? `\`\${${name}}\``;
}

/** The resource type nouns of IoT ARNs. */
const NOUNS: Record<string, string> = {
  client: 'client IDs', topic: 'topics', topicfilter: 'topic filters', thing: 'things', rolealias: 'role aliases',
};

/** `arn:aws:iot:r:a:client/x` → { prefix: 'arn:aws:iot:r:a:', type: 'client', name: 'x' }; undefined for another shape. */
function splitResource(text: string): { prefix: string; type?: string; name: string } | undefined {
  if (!text.startsWith('arn:')) return undefined;
  let at = 0;
  for (let i = 0; i < 5; i++) {
    at = text.indexOf(':', at);
    if (at === -1) return undefined;
    at++;
  }
  const prefix = text.slice(0, at);
  const rest = text.slice(at);
  const slash = rest.indexOf('/');
  if (slash <= 0 || /[*?$]/.test(rest.slice(0, slash))) return { prefix, name: rest };
  return { prefix, type: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/**
 * The ARN prefix every resource of a list shares (`arn:aws:iot:eu-west-1:493812760155:`), so it
 * can be said once; undefined when they do not share one.
 */
export function sharedPrefix(resources: readonly string[]): string | undefined {
  let prefix: string | undefined;
  for (const r of resources) {
    const s = splitResource(r);
    if (!s) return undefined;
    if (prefix === undefined) prefix = s.prefix;
    else if (prefix !== s.prefix) return undefined;
  }
  return prefix;
}

/** A resource pattern without a prefix the reader already knows. */
export function shortResource(text: string, prefix: string | undefined): string {
  return prefix && text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** `${name}` when the text is exactly one variable. */
function onlyVariable(text: string): string | undefined {
  const m = /^\$\{([^${}]+)\}$/.exec(text);
  return m?.[1];
}

export interface SummaryParts {
  change: string;
  action: string;
  resource: string;
  notResources?: readonly string[];
  conditions: readonly string[];
  excepts: readonly { resources: readonly string[]; conditions: readonly string[] }[];
}

/** What one item says, in a line: "newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name". */
export function summarize(p: SummaryParts): string {
  const head = `${p.change}: \`${p.action}\``;
  const where = resourcePhrase(p);
  const when = p.conditions.length ? `, when ${p.conditions.map((c) => `\`${c}\``).join(' and ')}` : '';
  return `${head} ${where}${when}`;
}

function resourcePhrase(p: SummaryParts): string {
  if (p.notResources) return `on every resource except ${p.notResources.map((r) => `\`${r}\``).join(', ')}${exceptPhrase(p, undefined)}`;
  const split = splitResource(p.resource);
  const noun = split?.type ? NOUNS[split.type] : undefined;
  if (!split || !noun) return `on \`${p.resource}\`${exceptPhrase(p, undefined)}`;
  const variable = onlyVariable(split.name);
  const base = split.name === '*' ? `on ${noun}` : variable ? `on ${noun} equal to ${variablePhrase(variable)}` : `on ${noun} matching \`${split.name}\``;
  return base + exceptPhrase(p, split);
}

function exceptPhrase(p: SummaryParts, anchor: { prefix: string; type?: string } | undefined): string {
  const differs: string[] = [];
  const others: string[] = [];
  for (const e of p.excepts) {
    const conditional = e.conditions.length ? ` (when ${e.conditions.map((c) => `\`${c}\``).join(' and ')})` : '';
    for (const r of e.resources) {
      const split = splitResource(r);
      const sameKind = anchor && split && split.prefix === anchor.prefix && split.type === anchor.type;
      const variable = sameKind ? onlyVariable(split.name) : undefined;
      if (variable && !conditional) differs.push(variablePhrase(variable));
      else others.push(`\`${sameKind ? split.name : r}\`${conditional}`);
    }
  }
  const parts: string[] = [];
  if (differs.length) parts.push(`that differ from ${differs.join(' and ')}`);
  if (others.length) parts.push(`other than ${others.join(', ')}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/**
 * Why a resource pattern can never name a real request of the action (`topic/x` for
 * `iot:Subscribe`, which is authorised on topic filters), or undefined.
 */
export function resourceTypeNote(action: string, resource: string): string | undefined {
  const info = findAction(action);
  if (!info || resource === '*' ) return undefined;
  const split = splitResource(resource);
  if (!split) return undefined;
  const types = info.resourceTypes;
  if (types.includes('*') && types.length === 1) return `${info.name} is authorised on the resource \`*\` only`;
  if (!split.type) return undefined;
  if ((types as readonly string[]).includes(split.type)) return undefined;
  const expected = types.filter((t) => t !== '*').map((t) => `\`${t}/\``).join(' or ');
  return `${info.name} requests name ${expected} resources, so \`${split.type}/...\` never matches a real request`;
}
