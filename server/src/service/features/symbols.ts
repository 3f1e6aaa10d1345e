/**
 * Document symbols (outline): `Version`, then one symbol per statement named by its `Sid` or by a
 * summary such as "Allow iot:Publish → topic/fleet/…", with children for the statement's
 * `Action`/`NotAction`, `Resource`/`NotResource` and `Condition` (for the first MAX_SYMBOLS
 * symbols of a policy; the statements after them are listed without children).
 */
import { DocumentSymbol, SymbolKind, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PolicyNode as Node } from '../policy/tree';
import type { PolicyDocument } from '../document';
import type { ElementList, PolicyModel, Property, Span, StatementModel } from '../policy/model';
import { MAX_SYMBOLS } from '../limits';

const MAX_NAME = 40;
const MAX_ITEMS = 2;

function range(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.offset), end: doc.positionAt(span.offset + span.length) };
}

function nodeSpan(n: Node): Span {
  return { offset: n.offset, length: n.length };
}

/** Cuts `s` to `max` characters, ending in `…`. */
function shorten(s: string, max = MAX_NAME): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : oneLine.slice(0, Math.max(1, max - 1)) + '…';
}

/** `a, b`, or `a, b +3` for longer lists. */
function summarizeList(values: string[], max = MAX_ITEMS): string {
  if (values.length <= max) return values.join(', ');
  return `${values.slice(0, max).join(', ')} +${values.length - max}`;
}

/** The interesting part of a resource ARN: `topic/fleet/*` instead of the whole ARN. */
function shortResource(value: string): string {
  if (value === '*') return '*';
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/s.exec(value);
  // `${...}` may hold `:`; the model's ARN parser is not needed for a label.
  if (m) return m[1] || value;
  return value;
}

function symbol(doc: TextDocument, name: string, detail: string | undefined, kind: SymbolKind, full: Span, selection: Span, children?: DocumentSymbol[]): DocumentSymbol {
  const r = range(doc, full);
  let sel = range(doc, selection);
  // The selection range must be inside the full range.
  if (selection.offset < full.offset || selection.offset + selection.length > full.offset + full.length) sel = r;
  const s = DocumentSymbol.create(name.trim() ? name : '(unnamed)', detail, kind, r, sel, children);
  return s;
}

function propSpan(p: Property): Span {
  return nodeSpan(p.node);
}

function listSymbol(doc: TextDocument, list: ElementList, kind: SymbolKind, itemKind: SymbolKind, show: (v: string) => string): DocumentSymbol {
  const values = list.items.map((i) => i.value);
  const children = list.items.map((i) => symbol(doc, shorten(show(i.value) || '""', 80), undefined, itemKind, i.span, i.span));
  return symbol(doc, list.prop.key, values.length ? shorten(summarizeList(values.map(show)), 80) : undefined, kind, propSpan(list.prop), list.prop.keySpan, list.isArray ? children : []);
}

/** `${iot:Connection.Thing.ThingName}` → `${ThingName}` for labels: the last segment of each variable. */
function compactVariables(s: string): string {
  // A scan rather than /\$\{([^}]*)\}/g, which retries from every `${` to the end of a string
  // with no `}` (quadratic on a hostile string of millions of `${`). Same matches: the first `}`
  // after each `${`, left to right, not overlapping.
  let out = '';
  let from = 0;
  for (let i = s.indexOf('${'); i !== -1; i = s.indexOf('${', from)) {
    const close = s.indexOf('}', i + 2);
    if (close === -1) break;
    const name = s.slice(i + 2, close);
    const last = /([A-Za-z0-9_]+(?:\[[^\]]*\])?)$/.exec(name);
    out += s.slice(from, i) + (last && last[1] !== name ? '${' + last[1] + '}' : s.slice(i, close + 1));
    from = close + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** "Allow iot:Publish → topic/fleet/…" */
function statementSummary(st: StatementModel): string {
  const effect = st.effectValue?.value ?? '?';
  const actions = (st.action ?? st.notAction)?.items.map((i) => i.value.trim()).filter(Boolean) ?? [];
  const resources = (st.resource ?? st.notResource)?.items.map((i) => compactVariables(shortResource(i.value.trim()))).filter(Boolean) ?? [];
  const notA = !st.action && st.notAction ? 'not ' : '';
  const notR = !st.resource && st.notResource ? 'not ' : '';
  const a = actions.length ? notA + shorten(summarizeList(actions), MAX_NAME) : '(no action)';
  const r = resources.length ? notR + shorten(summarizeList(resources.map((x) => shorten(x, 28))), MAX_NAME) : '(no resource)';
  return `${effect} ${a} → ${r}`;
}

/** Symbols left to give with their children (MAX_SYMBOLS for a document). */
interface Budget {
  left: number;
}

function count(symbols: readonly DocumentSymbol[]): number {
  let n = symbols.length;
  for (const c of symbols) if (c.children?.length) n += count(c.children);
  return n;
}

function statementSymbol(doc: TextDocument, st: StatementModel, budget: Budget): DocumentSymbol {
  const full = nodeSpan(st.node);
  if (!st.isObject) return symbol(doc, `Statement ${st.index + 1}`, 'not an object', SymbolKind.Object, full, full);
  const sid = st.sid?.value?.type === 'string' && typeof st.sid.value.value === 'string' && st.sid.value.value.trim() ? st.sid.value.value : undefined;
  const summary = statementSummary(st);
  const name = sid ? shorten(sid, 60) : summary;
  const selection = st.sid && sid ? st.sid.keySpan : full;
  // Past the document's budget, the statement alone: its summary still says what it grants.
  if (budget.left <= 0) return symbol(doc, name, sid ? summary : undefined, SymbolKind.Object, full, selection);
  const children: DocumentSymbol[] = [];
  if (st.effect) {
    children.push(symbol(doc, 'Effect', st.effectValue?.value, SymbolKind.Property, propSpan(st.effect), st.effect.keySpan));
  }
  for (const list of [st.action, st.notAction]) if (list) children.push(listSymbol(doc, list, SymbolKind.Array, SymbolKind.Function, (v) => v));
  for (const list of [st.resource, st.notResource]) if (list) children.push(listSymbol(doc, list, SymbolKind.Array, SymbolKind.String, shortResource));
  if (st.condition) {
    const c = st.condition;
    const ops = c.operators.map((op) => {
      const keys = op.keys.map((k) => {
        const vals = k.values.map((v) => (v.str ? v.str.value : v.kind));
        return symbol(doc, k.key || '""', vals.length ? shorten(summarizeList(vals), 60) : undefined, SymbolKind.Key, propSpan(k.prop), k.prop.keySpan);
      });
      return symbol(doc, op.operator || '""', keys.length ? shorten(summarizeList(op.keys.map((k) => k.key)), 60) : undefined, SymbolKind.Operator, propSpan(op.prop), op.prop.keySpan, keys);
    });
    children.push(symbol(doc, 'Condition', ops.length ? shorten(summarizeList(c.operators.map((o) => o.operator)), 60) : undefined, SymbolKind.Object, propSpan(c.prop), c.prop.keySpan, ops));
  }
  budget.left -= 1 + count(children);
  return symbol(doc, name, sid ? summary : undefined, SymbolKind.Object, full, selection, children);
}

/** One symbol per statement, named by Sid or by a summary. */
export function getDocumentSymbols(doc: TextDocument, model: PolicyModel): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const p of model.topProps) {
    if (p.key === 'Version') {
      const v = typeof p.value?.value === 'string' ? p.value.value : undefined;
      out.push(symbol(doc, 'Version', v, SymbolKind.Constant, propSpan(p), p.keySpan));
    } else if (p.key === 'Id') {
      const v = typeof p.value?.value === 'string' ? p.value.value : undefined;
      out.push(symbol(doc, 'Id', v, SymbolKind.Constant, propSpan(p), p.keySpan));
    }
  }
  const budget: Budget = { left: MAX_SYMBOLS };
  for (const st of model.statements) out.push(statementSymbol(doc, st, budget));
  return out;
}

/**
 * The outline of a document: a standalone policy's own symbols, or one symbol per policy of a
 * template (by logical id, resource address or construct id) with its statements inside.
 */
export function getPolicyDocumentSymbols(doc: TextDocument, pdoc: PolicyDocument): DocumentSymbol[] {
  if (pdoc.policies.length === 1 && pdoc.policies[0].key === '') return getDocumentSymbols(doc, pdoc.policies[0].model);
  return pdoc.policies.map((p) => {
    const name = p.name ?? p.key;
    return symbol(doc, name, p.detail ?? 'IoT policy', SymbolKind.Module, p.span, p.nameSpan ?? p.span, getDocumentSymbols(doc, p.model));
  });
}
