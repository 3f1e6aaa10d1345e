/**
 * Output of `diff`, `check` and `explain`: text for people, markdown for pull request comments,
 * JSON for scripts. Each item is told the same way in all three: what changed (a line in IoT
 * terms), the resource, its conditions, what is carved out, where it comes from, and the witness.
 */
import type { AccessItem, ExplainWarning, ItemPart, StatementRef, Witness } from '../../service/review';
import { sharedPrefix, shortResource, statementLabel } from '../../service/review';
import { lineColumn } from '../../service/text/lines';

/** What the formatters need besides the result: the policies' texts (for line numbers) and names. */
export interface ReviewContext {
  texts: ReadonlyMap<string, string>;
  /** Names of the policies on each side (`policy` for explain and access checks). */
  sides: { label: string; names: readonly string[] }[];
  /** A heading: `IoT policy access changes`, `Effective permissions`... */
  title: string;
}

function lineOf(ref: StatementRef, ctx: ReviewContext): number | undefined {
  const text = ctx.texts.get(ref.policy);
  return text === undefined ? undefined : lineColumn(text, ref.span.offset).line;
}

function where(ref: StatementRef, ctx: ReviewContext): string {
  const line = lineOf(ref, ctx);
  return `${statementLabel(ref)}${line ? `, line ${line}` : ''}`;
}

const VERB: Record<string, string> = { Allow: 'allowed by', Deny: 'denied by' };

function partVerb(p: ItemPart, change: AccessItem['change']): string {
  if (p.effect === 'Deny') return 'denied by';
  return change === 'allowed' ? VERB.Allow : 'already allowed by';
}

function contextText(w: Witness): string {
  return JSON.stringify(w.request.context ?? {});
}

function decisionsText(w: Witness): string {
  return Object.entries(w.decisions).map(([side, d]) => `${side} ${d}`).join(', ');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function byAction(items: readonly AccessItem[]): Map<string, AccessItem[]> {
  const out = new Map<string, AccessItem[]>();
  for (const i of items) out.set(i.action, [...(out.get(i.action) ?? []), i]);
  return out;
}

function counts(items: readonly AccessItem[]): string {
  const newly = items.filter((i) => i.change === 'newly-allowed').length;
  const gone = items.filter((i) => i.change === 'no-longer-allowed').length;
  const allowed = items.filter((i) => i.change === 'allowed').length;
  const may = items.filter((i) => i.certainty === 'may').length;
  const parts: string[] = [];
  if (newly || gone) parts.push(`${newly} newly allowed`, `${gone} no longer allowed`);
  if (allowed) parts.push(`${plural(allowed, 'allowed item')}`);
  const actions = byAction(items).size;
  return `${parts.join(', ')} (${plural(actions, 'action')})${may ? `; ${may} of them "may": the engine could not decide exactly` : ''}`;
}

// ---- text -------------------------------------------------------------------------------------

function itemText(item: AccessItem, ctx: ReviewContext): string[] {
  const prefix = sharedPrefix([item.resource, ...item.except.flatMap((e) => e.resources), ...item.within.flatMap((w) => w.resources)].filter((r) => r !== '*'));
  const short = (r: string): string => shortResource(r, prefix);
  const lines = [`  ${item.change === 'no-longer-allowed' ? '-' : '+'} ${item.summary}`];
  const row = (label: string, text: string): void => void lines.push(`      ${label.padEnd(10)}${text}`);
  row('resource', item.notResources ? `every resource except ${item.notResources.join(', ')}` : item.resource);
  for (const c of item.conditions) row('when', c);
  for (const w of item.within) row('where', `${w.resources.map(short).join(', ')}${w.conditions.length ? ` when ${w.conditions.join(' and ')}` : ''}: ${partVerb(w, item.change)} ${where(w.statement, ctx)}`);
  for (const e of item.except) {
    const res = e.notResource ? `every resource except ${e.resources.map(short).join(', ')}` : e.resources.map(short).join(', ');
    row('except', `${res}${e.conditions.length ? ` when ${e.conditions.join(' and ')}` : ''}: ${partVerb(e, item.change)} ${where(e.statement, ctx)}`);
  }
  row('from', where(item.statement, ctx));
  if (item.certainty === 'may') row('may', item.reason ?? 'the engine could not decide exactly');
  for (const n of item.notes) row('note', n);
  if (item.witness) {
    const w = item.witness;
    row(item.change === 'allowed' ? 'example' : 'witness', `${w.request.action} on ${w.request.resource}`);
    row('', `context ${contextText(w)}`);
    row('', decisionsText(w));
  }
  return lines;
}

export function formatItemsText(items: readonly AccessItem[], ctx: ReviewContext, extra: { notes?: readonly string[]; warnings?: readonly ExplainWarning[]; empty: string }): string {
  const out = [`${ctx.title}: ${ctx.sides.map((s) => `${s.label} ${s.names.join(', ') || '(no policy)'}`).join(' → ')}`, ''];
  for (const [action, list] of byAction(items)) {
    out.push(action);
    for (const item of list) out.push(...itemText(item, ctx), '');
  }
  for (const n of extra.notes ?? []) out.push(`note: ${n}`);
  if (extra.warnings?.length) {
    out.push('warnings:');
    for (const w of extra.warnings) out.push(`  ${w.message}`);
    out.push('');
  }
  out.push(items.length ? counts(items) : extra.empty);
  return out.join('\n') + '\n';
}

// ---- markdown ---------------------------------------------------------------------------------

/** A code span that survives any content, escaped for a table cell. */
function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  const pad = ticks.length > 1 ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`.replace(/\|/g, '\\|');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The summary line in markdown: its backticks are already code spans. */
function mdSummary(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const CHANGE_MARK: Record<AccessItem['change'], string> = { 'newly-allowed': '➕ newly allowed', 'no-longer-allowed': '➖ no longer allowed', allowed: '✅ allowed' };

export function formatItemsMarkdown(items: readonly AccessItem[], ctx: ReviewContext, extra: { notes?: readonly string[]; warnings?: readonly ExplainWarning[]; empty: string }): string {
  const out = [`## ${ctx.title}`, '', ctx.sides.map((s) => `**${s.label}**: ${s.names.map(code).join(', ') || '(no policy)'}`).join(' · '), ''];
  out.push(items.length ? `**${counts(items)}**` : extra.empty, '');
  if (items.length) {
    for (const item of items) out.push(`- ${item.certainty === 'may' ? '⚠️ ' : ''}${mdSummary(item.summary)}`);
    out.push('');
  }
  for (const [action, list] of byAction(items)) {
    out.push(`### ${code(action)}`, '');
    out.push('| Change | Resource | When | Except | From | Witness |', '|---|---|---|---|---|---|');
    for (const item of list) {
      const prefix = sharedPrefix([item.resource, ...item.except.flatMap((e) => e.resources)].filter((r) => r !== '*'));
      const short = (r: string): string => code(shortResource(r, prefix));
      const resource = item.notResources ? `every resource except ${item.notResources.map(code).join(', ')}` : code(item.resource);
      const when = [...item.conditions.map(code), ...item.within.map((w) => `${partVerb(w, item.change)} ${cell(statementLabel(w.statement))}`)].join('<br>') || '—';
      const except = item.except.map((e) => `${e.notResource ? 'all but ' : ''}${e.resources.map(short).join(', ')}${e.conditions.length ? ` when ${e.conditions.map(code).join(', ')}` : ''} (${partVerb(e, item.change)} ${cell(statementLabel(e.statement))})`).join('<br>') || '—';
      const line = lineOf(item.statement, ctx);
      const from = cell(`${statementLabel(item.statement)}${line ? `, line ${line}` : ''}`);
      const witness = item.witness ? `${code(item.witness.request.resource)}<br>${code(contextText(item.witness))}<br>${cell(decisionsText(item.witness))}` : '—';
      const change = `${CHANGE_MARK[item.change]}${item.certainty === 'may' ? ` ⚠️ may: ${cell(item.reason ?? '')}` : ''}`;
      out.push(`| ${change} | ${resource} | ${when} | ${except} | ${from} | ${witness} |`);
    }
    out.push('');
  }
  for (const n of extra.notes ?? []) out.push(`> ${cell(n)}`, '');
  if (extra.warnings?.length) {
    out.push('### Warnings', '');
    for (const w of extra.warnings) out.push(`- ${mdSummary(w.message)}`);
    out.push('');
  }
  return out.join('\n');
}

// ---- JSON -------------------------------------------------------------------------------------

function refJson(ref: StatementRef, ctx: ReviewContext): Record<string, unknown> {
  const line = lineOf(ref, ctx);
  return { policy: ref.policy, statement: ref.index + 1, ...(ref.sid ? { sid: ref.sid } : {}), ...(line ? { line } : {}) };
}

function partJson(p: ItemPart, ctx: ReviewContext): Record<string, unknown> {
  return {
    ...(p.side ? { side: p.side } : {}), effect: p.effect, [p.notResource ? 'notResources' : 'resources']: p.resources,
    conditions: p.conditions, statement: refJson(p.statement, ctx),
  };
}

export function itemJson(item: AccessItem, ctx: ReviewContext): Record<string, unknown> {
  return {
    action: item.action,
    change: item.change,
    certainty: item.certainty,
    ...(item.reason ? { reason: item.reason } : {}),
    summary: item.summary,
    resource: item.resource,
    ...(item.notResources ? { notResources: item.notResources } : {}),
    conditions: item.conditions,
    within: item.within.map((w) => partJson(w, ctx)),
    except: item.except.map((e) => partJson(e, ctx)),
    statement: refJson(item.statement, ctx),
    ...(item.witness ? { witness: { ...item.witness.request, decisions: item.witness.decisions } } : {}),
    ...(item.notes.length ? { notes: item.notes } : {}),
  };
}

export function formatItemsJson(items: readonly AccessItem[], ctx: ReviewContext, extra: Record<string, unknown>): string {
  const sides = Object.fromEntries(ctx.sides.map((s) => [s.label, s.names]));
  return JSON.stringify({ ...sides, ...extra, items: items.map((i) => itemJson(i, ctx)) }, null, 2) + '\n';
}
