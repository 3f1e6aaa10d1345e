/**
 * The review engine on documents, for editors: the effective permissions of the policy the user
 * is in (`explain`), or what it grants and takes away compared with another version of it
 * (`diff`), as the table of `review/view.ts`. Every host's documents: a policy is picked by name,
 * else by the cursor, else the first; the base's policy is the one of the same name. Values a
 * template leaves unknown before deploy are compared as "anything" (the rows they touch say
 * "may"). Never throws: what cannot be reviewed comes back as `problem`.
 */
import type { PolicyDocument, PolicyEntry } from './document';
import { policyAt } from './document';
import type { EvalPolicy } from './eval/evaluate';
import { unknownValues } from './inputs';
import { lineColumn } from './text/lines';
import { diffPolicies, explainPolicies } from './review';
import { viewSections, viewSummary, type ViewSection } from './review/view';

export interface ReviewSide {
  /** The document, or undefined when it is not a policy document (or a revision lacks the file). */
  doc: PolicyDocument | undefined;
  /** How the result names its policies: `device.iot-policy.json`, `device.iot-policy.json @ HEAD`. */
  label: string;
  /** For links from the table to the statements. */
  uri?: string;
}

export interface ReviewDocumentOptions {
  kind: 'explain' | 'diff';
  next: ReviewSide;
  /** The base of a diff; `doc` undefined reads as no policy at all (a file added since). */
  base?: ReviewSide & { missing?: boolean };
  policy?: string;
  offset?: number;
}

export interface ReviewDocumentResult {
  kind: 'explain' | 'diff';
  title: string;
  sides: { label: string; names: string[] }[];
  policies: string[];
  policy?: string;
  sections: ViewSection[];
  warnings: string[];
  notes: string[];
  exact: boolean;
  summary: string;
  problem?: string;
}

const TITLES = { explain: 'Effective permissions', diff: 'Access changes' } as const;

function nameOf(entry: PolicyEntry): string {
  return entry.name ?? entry.key;
}

/** Why a policy cannot be reviewed (it would read as nothing allowed), or undefined. */
function unreadable(entry: PolicyEntry, label: string): string | undefined {
  const m = entry.model;
  if (m.syntaxErrors.length) {
    const { line, column } = lineColumn(m.text, m.syntaxErrors[0].offset);
    return `${label} has a syntax error at line ${line}, column ${column}: fix it to see the table`;
  }
  if (!m.root || m.root.type !== 'object' || !m.statementProp) return `${label} has no "Statement" yet`;
  return undefined;
}

function pickEntry(doc: PolicyDocument, policy: string | undefined, offset: number | undefined): PolicyEntry | undefined {
  if (policy !== undefined) return doc.policies.find((p) => p.key === policy || nameOf(p) === policy);
  return (offset !== undefined ? policyAt(doc, offset) : undefined) ?? doc.policies[0];
}

function displayName(side: ReviewSide, entry: PolicyEntry): string {
  return entry.key === '' ? side.label : `${side.label}#${nameOf(entry)}`;
}

function failed(o: ReviewDocumentOptions, problem: string, policies: string[] = []): ReviewDocumentResult {
  return { kind: o.kind, title: TITLES[o.kind], sides: [], policies, sections: [], warnings: [], notes: [], exact: false, summary: problem, problem };
}

/** The table of the policy `o.next` shows (and of its base). */
export function reviewDocument(o: ReviewDocumentOptions): ReviewDocumentResult {
  const doc = o.next.doc;
  if (!doc || !doc.policies.length) return failed(o, `${o.next.label} holds no IoT policy`);
  const names = doc.policies.length > 1 ? doc.policies.map(nameOf) : [];
  const entry = pickEntry(doc, o.policy, o.offset);
  if (!entry) return failed(o, `${o.next.label} has no policy "${o.policy}"`, names);
  const bad = unreadable(entry, displayName(o.next, entry));
  if (bad) return failed(o, bad, names);
  const places = new Map<string, { text: string; uri?: string }>();
  const notes: string[] = [];
  const policyOf = (side: ReviewSide, e: PolicyEntry): EvalPolicy => {
    const name = displayName(side, e);
    places.set(name, { text: e.model.text, ...(side.uri ? { uri: side.uri } : {}) });
    for (const u of unknownValues(e.model)) notes.push(`${name}: \`${u}\` is unknown before deploy and is compared as "anything"`);
    return { name, model: e.model };
  };
  const next = policyOf(o.next, entry);
  const shown = { policies: names, ...(names.length ? { policy: nameOf(entry) } : {}) };
  if (o.kind === 'explain') {
    const r = explainPolicies([next]);
    const items = r.actions.flatMap((a) => a.items);
    return {
      kind: 'explain', title: TITLES.explain, sides: [{ label: 'policy', names: [next.name] }], ...shown,
      sections: viewSections(items, places), warnings: r.warnings.map((w) => w.message), notes,
      exact: r.exact && !notes.length,
      summary: items.length ? viewSummary(items, 'explain') : 'Nothing is allowed: no request matches an Allow that no Deny takes back.',
    };
  }
  const base: EvalPolicy[] = [];
  const baseSide = o.base;
  if (baseSide?.doc && !baseSide.missing) {
    const same = baseSide.doc.policies.find((p) => p.key === entry.key) ?? (baseSide.doc.policies.length === 1 ? baseSide.doc.policies[0] : undefined);
    if (same) {
      const badBase = unreadable(same, displayName(baseSide, same));
      if (badBase) return failed(o, badBase, names);
      base.push(policyOf(baseSide, same));
    } else notes.push(`${baseSide.label} has no policy "${nameOf(entry)}": everything it allows is new`);
  } else if (baseSide) {
    notes.push(`${baseSide.label} holds no IoT policy: everything the policy allows is new`);
  }
  const r = diffPolicies(base, [next]);
  notes.push(...r.notes);
  const exact = r.exact;
  const empty = exact ? 'No difference in access.' : 'No difference found, but the comparison is not exact (see the notes).';
  return {
    kind: 'diff', title: TITLES.diff,
    sides: [{ label: 'base', names: base.map((p) => p.name) }, { label: 'new', names: [next.name] }], ...shown,
    sections: viewSections(r.items, places), warnings: [], notes, exact,
    summary: r.items.length ? viewSummary(r.items, 'diff') : empty,
  };
}
