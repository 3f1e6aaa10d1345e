/**
 * Completion in a template: where the cursor is in the policy (by the tree, not the text, so it
 * works through `!Sub`, `!If` and YAML's layouts) and how to write there. Inside a `Fn::Sub`
 * string a policy variable is written `${!iot:...}` and an ARN with pseudo parameters; a YAML key
 * is written `Key: value` with block values in the document's indentation.
 */
import type { CompletionPlace, CompletionSyntax, Insertion } from '../../features/completion/place';
import { cat, raw, type Text, type ValueShape } from '../../features/completion/text';
import type { PolicyPath } from '../../fixes/types';
import type { PolicyModel } from '../../policy/model';
import { nodeAt, pathFromRoot, type PolicyNode } from '../../policy/tree';
import { jsonCompletionPlace } from '../json/complete';
import { compose, subEscape, yamlScalar, type ScalarIndex } from './writer';

/** Pseudo parameters, written where a `Fn::Sub` string takes them. */
const SUB_ARN = { partition: '${AWS::Partition}', region: '${AWS::Region}', accountId: '${AWS::AccountId}' };

/**
 * A value shape as YAML: in a snippet, block style indented with tabs relative to the line (the
 * editor adds the line's own indentation and turns tabs into its indentation); without snippets,
 * flow style on one line.
 */
function yamlShape(v: ValueShape): Text {
  return [{ either: [yamlBlock(v, 0), yamlFlow(v)] }];
}

function yamlBlock(v: ValueShape, depth: number): Text {
  const pad = '\t'.repeat(depth + 1);
  switch (v.kind) {
    case 'string':
      return v.text;
    case 'list':
      return cat(...v.items.flatMap((x) => [raw(`\n${pad}- `), yamlBlock(x, depth + 1)]));
    case 'object':
      return cat(...v.entries.flatMap((e) => [raw(`\n${pad}`), e.key, raw(':'), e.value.kind === 'string' ? cat(raw(' '), e.value.text) : yamlBlock(e.value, depth + 1)]));
  }
}

function yamlFlow(v: ValueShape): Text {
  switch (v.kind) {
    case 'string':
      return v.text;
    case 'list':
      return cat(raw('['), ...v.items.flatMap((x, i) => [raw(i ? ', ' : ''), yamlFlow(x)]), raw(']'));
    case 'object':
      return cat(raw('{'), ...v.entries.flatMap((e, i) => [raw(i ? ', ' : ''), e.key, raw(': '), yamlFlow(e.value)]), raw('}'));
  }
}

function yamlSyntax(text: string, offset: number, str: CompletionPlace['str'], sub: boolean, escape: (s: string) => string): CompletionSyntax {
  const close = '';
  const word = wordAt(text, offset);
  return {
    encode: escape,
    close,
    variableEscape: sub ? '!' : '',
    arnDefaults: sub ? SUB_ARN : undefined,
    value(t: Text, label: string): Insertion {
      if (str) return { text: t, start: str.contentStart, end: str.contentEnd, filterText: label };
      return { text: t, start: word.start, end: word.end, filterText: label };
    },
    key(key: string, value: ValueShape | undefined) {
      const start = str ? str.start : word.start;
      const end = str ? str.end : word.end;
      // Inside an existing key, or where a value follows: the key alone.
      const withValue = !!value && text[end] !== ':';
      const body = withValue ? cat(raw(':'), value!.kind === 'string' ? cat(raw(' '), value!.text) : yamlShape(value!)) : [];
      return { text: cat(raw(yamlScalar(key)), body), start, end, filterText: key, withValue };
    },
    structure(v: ValueShape): Insertion {
      return { text: yamlShape(v), start: word.start, end: word.end };
    },
  };
}

function wordAt(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_:.*$?-]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_:.*$?-]/.test(text[end])) end++;
  return { start, end };
}

/** The property key of the mapping line at `offset`'s indentation, when the cursor starts a new key. */
function newKeyPlace(model: PolicyModel, text: string, offset: number): CompletionPlace | undefined {
  const word = wordAt(text, offset);
  const lineStart = text.lastIndexOf('\n', word.start - 1) + 1;
  if (text.slice(lineStart, word.start).trim() !== '' && !/^\s*-\s*$/.test(text.slice(lineStart, word.start))) return undefined;
  const column = word.start - lineStart;
  // The object whose keys sit at this column: a sibling key on a line above.
  let best: PolicyNode | undefined;
  const visit = (n: PolicyNode): void => {
    if (n.type === 'object' && n.children?.length) {
      const k = n.children[0].children?.[0];
      if (k && k.offset < word.start && k.offset - (text.lastIndexOf('\n', k.offset - 1) + 1) === column && (!best || k.offset > best.children![0].offset)) best = n;
    }
    for (const c of n.children ?? []) visit(c);
  };
  if (model.root) visit(model.root);
  if (!best || !model.root) return undefined;
  const path = pathFromRoot(best, model.root);
  if (!path) return undefined;
  return { where: { kind: 'key', object: path }, word, syntax: yamlSyntax(text, offset, undefined, false, (s) => s) };
}

export function templateCompletionPlace(model: PolicyModel, offset: number, scalars: ScalarIndex, yaml: boolean, documentPath: PolicyPath): CompletionPlace | undefined {
  const root = model.root;
  if (!root) return undefined;
  const text = model.text;
  const scalar = scalars.at(offset);
  if (!yaml) {
    // A JSON template: read the JSON position, then strip the path down to the policy.
    const place = jsonCompletionPlace(model, offset);
    if (!place) return undefined;
    const full = place.where.kind === 'key' ? place.where.object : place.where.path;
    // The JSON reader gives the path from the document, or from the policy when it read the statement alone.
    const fromDocument = documentPath.length > 0 && documentPath.every((k, i) => full[i] === k);
    if (!fromDocument && full[0] !== 'Statement') return undefined;
    const rest = (fromDocument ? full.slice(documentPath.length) : full).filter((k) => !(typeof k === 'string' && k.startsWith('Fn::')));
    const where = place.where.kind === 'key' ? { kind: 'key' as const, object: rest } : { kind: 'value' as const, path: rest };
    if (!scalar?.sub) return { ...place, where };
    return { ...place, where, syntax: { ...place.syntax, encode: compose(subEscape, place.syntax.encode), variableEscape: '!', arnDefaults: SUB_ARN } };
  }
  if (scalar?.embedded) return undefined;
  const node = nodeAt(root, offset);
  if (node?.type === 'string' && scalar && offset >= scalar.span.offset && offset <= scalar.span.offset + scalar.span.length) {
    const quoted = scalar.style === 'QUOTE_DOUBLE' || scalar.style === 'QUOTE_SINGLE';
    const s = scalar.span;
    // A plain scalar may run over several lines (a half-typed key reads as one with the next line):
    // the cursor's line only.
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
    const from = Math.max(s.offset + (quoted ? 1 : 0), lineStart + (text.slice(lineStart).length - text.slice(lineStart).trimStart().length));
    const to = Math.min(s.offset + s.length - (quoted ? 1 : 0), lineEnd);
    const str = { start: quoted ? s.offset : from, end: quoted ? s.offset + s.length : to, contentStart: from, contentEnd: to, closed: true };
    const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
    const path = pathFromRoot(isKey ? node.parent!.parent! : node, root);
    if (!path) return undefined;
    const where = isKey ? { kind: 'key' as const, object: path } : { kind: 'value' as const, path };
    return { where, str, word: { start: str.start, end: str.end }, syntax: yamlSyntax(text, offset, str, scalar.sub, scalar.escape) };
  }
  // `Key: |` with no value yet (YAML reads null there): complete the value.
  if (node?.type === 'null' || (node?.type === 'property' && !node.children?.[1])) {
    const path = pathFromRoot(node, root);
    if (path) return { where: { kind: 'value', path }, word: wordAt(text, offset), syntax: yamlSyntax(text, offset, undefined, false, (s) => s) };
  }
  return newKeyPlace(model, text, offset);
}
