/**
 * Completion in CDK code: where the cursor is in the policy (read from the neutral tree and the
 * literals of the file) and how to write there. Inside a string the item is escaped for that
 * literal: a policy variable is written `\${iot:...}` in a template literal (a bare `${` there is
 * rewritten so), `${{iot:...}}` in an f-string, `${!iot:...}` in a `Fn.sub` string; a
 * substitution already in the string (`${Aws.REGION}`, `{self.region}`) is kept as code. Outside
 * strings, in an object literal of the policy, keys and values are written as the file writes
 * them (`Effect: 'Allow'` in TypeScript, `"Effect": "Allow"` in Python).
 */
import { nextSignificantChar, prevSignificantChar, wordAt, type CompletionPlace, type CompletionSyntax, type Insertion, type StringAtCursor } from '../../features/completion/place';
import { cat, raw, type Text, type ValueShape } from '../../features/completion/text';
import type { PolicyModel } from '../../policy/model';
import { pathFromRoot, type PolicyNode } from '../../policy/tree';
import type { CodeLanguage, LiteralIndex } from './file';
import type { Escape, Literal } from './literals';
import { codeStyle, keyText, quoteString, type CodeStyle } from './writer';
import type { Container, Dialect, PolicyBuild } from './tree';

/** Writes policy text through `escape`, keeping the literal's substitutions (`${Aws.REGION}`) as they are written. */
function keepingHoles(escape: Escape, holes: string[]): Escape {
  if (!holes.length) return escape;
  const sorted = [...new Set(holes)].sort((a, b) => b.length - a.length);
  return (s) => {
    let out = '';
    let from = 0;
    for (let i = 0; i < s.length;) {
      const h = sorted.find((x) => s.startsWith(x, i));
      if (!h) {
        i++;
        continue;
      }
      out += escape(s.slice(from, i)) + h;
      i += h.length;
      from = i;
    }
    return out + escape(s.slice(from));
  };
}

/** A value shape as code of the dialect, on one line; `out` writes code text into the literal that holds JSON text. */
function codeShape(v: ValueShape, dialect: Dialect, style: CodeStyle, out: Escape): Text {
  const q = raw(out(dialect === 'json' ? '"' : style.quote));
  const r = (s: string): Text => raw(out(s));
  switch (v.kind) {
    case 'string':
      return cat(q, v.text, q);
    case 'list':
      return cat(r('['), ...v.items.flatMap((x, i) => [r(i ? ', ' : ''), codeShape(x, dialect, style, out)]), r(']'));
    case 'object': {
      const entries = v.entries.flatMap((e, i) => [r(i ? ', ' : ''), codeKey(e.key, dialect, style, out), r(': '), codeShape(e.value, dialect, style, out)]);
      return dialect === 'ts' ? cat(r('{ '), ...entries, r(' }')) : cat(r('{'), ...entries, r('}'));
    }
  }
}

/** A key given as policy text: quoted unless the TypeScript policy writes bare names. */
function codeKey(t: Text, dialect: Dialect, style: CodeStyle, out: Escape): Text {
  const plain = t.length === 1 && typeof t[0] === 'string' ? t[0] : undefined;
  if (plain !== undefined) return raw(out(keyText(plain, dialect, style)));
  const q = raw(out(dialect === 'json' ? '"' : style.quote));
  return cat(q, t, q);
}

/** Inside a string literal of the policy. */
function stringSyntax(lit: Literal, text: string, holes: string[]): CompletionSyntax {
  const encode = keepingHoles(lit.escape, holes);
  const close = lit.closed ? '' : text.slice(lit.span.offset, lit.content.offset).replace(/^[A-Za-z]*/, '');
  const content = { start: lit.content.offset, end: lit.content.offset + lit.content.length };
  return {
    encode,
    close,
    variableEscape: lit.kind === 'braces' ? '{' : lit.sub ? '!' : '',
    ...(lit.kind === 'template' ? { variableOpen: '\\${' } : {}),
    value(t: Text, label: string): Insertion {
      return { text: cat(t, raw(close)), start: content.start, end: content.end, filterText: label };
    },
    key(key: string) {
      return { text: raw(encode(key)), start: content.start, end: content.end, filterText: key, withValue: false };
    },
    structure(): Insertion {
      return { text: [], start: content.start, end: content.end };
    },
  };
}

/** Outside strings, in a plain object or list literal. */
function codeSyntax(text: string, offset: number, c: Container, style: CodeStyle, atKey: boolean): CompletionSyntax {
  const word = wordAt(text, offset);
  const q = c.dialect === 'json' ? '"' : style.quote;
  const out: Escape = c.outer ?? ((s) => s);
  const encode: Escape = (s) => out(quoteString(s, c.dialect, q).slice(1, -1));
  return {
    encode,
    close: '',
    variableEscape: '',
    value(t: Text, label: string): Insertion {
      return { text: cat(raw(out(q)), t, raw(out(q))), start: word.start, end: word.end, filterText: `${q}${label}${q}` };
    },
    key(key: string, value: ValueShape | undefined) {
      const withValue = !!value && nextSignificantChar(text, word.end) !== ':';
      const k = out(keyText(key, c.dialect, style));
      const body = withValue ? cat(raw(out(': ')), codeShape(value!, c.dialect, style, out)) : [];
      return { text: cat(raw(k), body), start: word.start, end: word.end, filterText: atKey ? key : k, withValue };
    },
    structure(v: ValueShape): Insertion {
      return { text: codeShape(v, c.dialect, style, out), start: word.start, end: word.end };
    },
  };
}

/** The node with the smallest span (as `span` reads it) that holds `offset`. */
function innermost(nodes: Iterable<PolicyNode>, offset: number, span: (n: PolicyNode) => [number, number]): PolicyNode | undefined {
  let best: PolicyNode | undefined;
  let size = Infinity;
  for (const n of nodes) {
    const [a, b] = span(n);
    if (offset < a || offset > b || b - a >= size) continue;
    best = n;
    size = b - a;
  }
  return best;
}

/** Where the cursor is in a CDK policy, and how to write there. */
export function codeCompletionPlace(model: PolicyModel, offset: number, build: PolicyBuild, literals: LiteralIndex, language: CodeLanguage): CompletionPlace | undefined {
  const root = model.root;
  if (!root) return undefined;
  const text = model.text;
  const lit = literals.around(offset);
  const inContent = lit && offset >= lit.content.offset && offset <= lit.content.offset + lit.content.length;
  if (lit && inContent) {
    const node = innermost(build.strings.keys(), offset, (n) => [n.offset, n.offset + n.length]);
    const isKey = node?.parent?.type === 'property' && node.parent.children?.[0] === node;
    const path = node && pathFromRoot(isKey ? node.parent!.parent! : node, root);
    if (node && path) {
      const holes = lit.holes.map((h) => text.slice(h.offset, h.offset + h.length));
      const str: StringAtCursor = { start: lit.span.offset, end: lit.span.offset + lit.span.length, contentStart: lit.content.offset, contentEnd: lit.content.offset + lit.content.length, closed: lit.closed };
      return {
        where: isKey ? { kind: 'key', object: path } : { kind: 'value', path },
        str,
        word: { start: str.start, end: str.end },
        syntax: stringSyntax(lit, text, holes),
      };
    }
  }
  // Outside strings: the innermost plain object or list literal around the cursor (JSON text
  // between its strings, when the policy is JSON text in a string).
  const owner = innermost(build.containers.keys(), offset, (n) => {
    const c = build.containers.get(n)!;
    return [c.open, c.close];
  });
  const c = owner && build.containers.get(owner);
  if (!owner || !c || c.style !== 'plain' || (lit && c.dialect !== 'json')) return undefined;
  const ownerPath = pathFromRoot(owner, root);
  if (!ownerPath) return undefined;
  const style = codeStyle(model, build, literals, language);
  const word = wordAt(text, offset);
  const before = prevSignificantChar(text, word.start);
  if (owner.type === 'array') {
    const index = (owner.children ?? []).filter((k) => k.offset + k.length <= word.start).length;
    return { where: { kind: 'value', path: [...ownerPath, index] }, word, syntax: codeSyntax(text, offset, c, style, false) };
  }
  if (before === '{' || before === ',') return { where: { kind: 'key', object: ownerPath }, word, syntax: codeSyntax(text, offset, c, style, true) };
  if (before === ':') {
    const prop = (owner.children ?? []).filter((p) => p.offset < word.start).pop();
    const key = prop?.children?.[0]?.value;
    if (typeof key !== 'string') return undefined;
    return { where: { kind: 'value', path: [...ownerPath, key] }, word, syntax: codeSyntax(text, offset, c, style, false) };
  }
  return undefined;
}
