/**
 * The review engine's items as a table an editor panel can show: one section per action, one row
 * per item, every cell plain text (line numbers resolved, the ARN prefix the row shares left out
 * of its exceptions). Transport-free: the language server hands the result to the client as is.
 */
import { lineColumn } from '../text/lines';
import { sharedPrefix, shortResource, statementLabel } from './describe';
import type { AccessItem, Change, ItemPart, Witness } from './items';
import type { StatementRef } from './statements';

export interface ViewStatement {
  label: string;
  uri?: string;
  line?: number;
}

export interface ViewRow {
  change: Change;
  certainty: 'certain' | 'may';
  reason?: string;
  summary: string;
  resource: string;
  when: string[];
  except: string[];
  from: ViewStatement;
  witness?: { action: string; resource: string; context: string; decisions: string };
  notes: string[];
}

export interface ViewSection {
  action: string;
  rows: ViewRow[];
}

/** Where the statements of each policy (by name) are: its text for line numbers, its URI for links. */
export type PolicyPlaces = ReadonlyMap<string, { text: string; uri?: string }>;

function statementOf(ref: StatementRef, places: PolicyPlaces): ViewStatement {
  const place = places.get(ref.policy);
  const line = place ? lineColumn(place.text, ref.span.offset).line : undefined;
  return { label: `${statementLabel(ref)}${line ? `, line ${line}` : ''}`, ...(place?.uri ? { uri: place.uri } : {}), ...(line ? { line } : {}) };
}

function partVerb(p: ItemPart, change: Change): string {
  if (p.effect === 'Deny') return 'denied by';
  return change === 'allowed' ? 'allowed by' : 'already allowed by';
}

function decisionsText(w: Witness): string {
  return Object.entries(w.decisions).map(([side, d]) => `${side} ${d}`).join(', ');
}

function rowOf(item: AccessItem, places: PolicyPlaces): ViewRow {
  const prefix = sharedPrefix([item.resource, ...item.except.flatMap((e) => e.resources), ...item.within.flatMap((w) => w.resources)].filter((r) => r !== '*'));
  const short = (r: string): string => shortResource(r, prefix);
  const conditional = (p: ItemPart): string => (p.conditions.length ? ` when ${p.conditions.join(' and ')}` : '');
  const where = (p: ItemPart): string => `${partVerb(p, item.change)} ${statementOf(p.statement, places).label}`;
  const w = item.witness;
  return {
    change: item.change,
    certainty: item.certainty,
    ...(item.reason ? { reason: item.reason } : {}),
    summary: item.summary,
    resource: item.notResources ? `every resource except ${item.notResources.join(', ')}` : item.resource,
    when: [...item.conditions, ...item.within.map((p) => `${p.resources.map(short).join(', ')}${conditional(p)}: ${where(p)}`)],
    except: item.except.map((p) => `${p.notResource ? 'every resource except ' : ''}${p.resources.map(short).join(', ')}${conditional(p)}: ${where(p)}`),
    from: statementOf(item.statement, places),
    ...(w ? { witness: { action: w.request.action, resource: w.request.resource, context: JSON.stringify(w.request.context ?? {}), decisions: decisionsText(w) } } : {}),
    notes: item.notes,
  };
}

/** The items grouped by action, in their order. */
export function viewSections(items: readonly AccessItem[], places: PolicyPlaces): ViewSection[] {
  const out: ViewSection[] = [];
  for (const item of items) {
    let section = out[out.length - 1];
    if (section?.action !== item.action) out.push((section = { action: item.action, rows: [] }));
    section.rows.push(rowOf(item, places));
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The line above the table: what it holds, and how many rows say "may". */
export function viewSummary(items: readonly AccessItem[], kind: 'explain' | 'diff'): string {
  const actions = new Set(items.map((i) => i.action)).size;
  const may = items.filter((i) => i.certainty === 'may').length;
  const counted = kind === 'diff'
    ? `${items.filter((i) => i.change === 'newly-allowed').length} newly allowed, ${items.filter((i) => i.change === 'no-longer-allowed').length} no longer allowed`
    : plural(items.length, 'allowed resource');
  const unsure = may ? `; ${may} of them "may": the engine could not decide exactly` : '';
  return `${counted} (${plural(actions, 'action')})${unsure}`;
}
