/**
 * HCL through tree-sitter: one parse per keystroke, incremental from the document's previous text,
 * after the policy variables Terraform cannot parse are masked.
 *
 * An unescaped `${iot:ClientId}` in a string is a Terraform parse error, and tree-sitter's
 * recovery from it swallows the rest of the file as text. Such a `${` (one that starts a
 * colon-namespaced name, `*`, `?` or `$`, or a name the string ends after) is masked as `$$`
 * before parsing: the same length, so every offset stays, and the grammar then reads a literal.
 * The host decodes the original text, sees the `${` and reports it (`terraform-variable-not-escaped`).
 */
import type { Node, Parser, Tree } from 'web-tree-sitter';

/**
 * `${` that cannot start an HCL interpolation: a policy variable (`${iot:ClientId}`, `${*}`), or
 * a name the string ends after (`"...${iot:Cl"` while typing). `"${"a"}"` stays an interpolation.
 */
const UNPARSABLE_OPEN = /\$\{(?=!?[A-Za-z][\w.-]*\s*:|[*?$]\}|[\w.-]+"|"[ \t]*(?:\r?\n|$|[,\]]))/g;

/** The text the grammar reads: unparsable `${` masked as `$$` (see above). */
export function maskUnparsable(text: string): string {
  if (!text.includes('${')) return text;
  let out = '';
  let from = 0;
  UNPARSABLE_OPEN.lastIndex = 0;
  for (let m = UNPARSABLE_OPEN.exec(text); m; m = UNPARSABLE_OPEN.exec(text)) {
    // `$${` is Terraform's escape of a literal `${`.
    if (m.index > 0 && text[m.index - 1] === '$') continue;
    out += text.slice(from, m.index) + '$$';
    from = m.index + 2;
  }
  return from === 0 ? text : out + text.slice(from);
}

interface Cached {
  masked: string;
  tree: Tree;
}

/** The last tree of each recently parsed document, for incremental parsing (a few: each holds wasm memory). */
const trees = new Map<string, Cached>();
const MAX_TREES = 8;

function point(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * Parses a document's text, reusing its previous tree where the text is unchanged (one edit at
 * the first and last differing characters). The tree stays owned by the cache: callers read it
 * and keep nothing of it.
 */
export function parseHcl(parser: Parser, text: string, key: string): Tree | undefined {
  const masked = maskUnparsable(text);
  const old = trees.get(key);
  let tree: Tree | null;
  if (old && old.masked === masked) {
    tree = old.tree;
  } else if (old) {
    const a = old.masked;
    const max = Math.min(a.length, masked.length);
    let start = 0;
    while (start < max && a.charCodeAt(start) === masked.charCodeAt(start)) start++;
    let tail = 0;
    while (tail < max - start && a.charCodeAt(a.length - 1 - tail) === masked.charCodeAt(masked.length - 1 - tail)) tail++;
    old.tree.edit({
      startIndex: start, oldEndIndex: a.length - tail, newEndIndex: masked.length - tail,
      startPosition: point(a, start), oldEndPosition: point(a, a.length - tail), newEndPosition: point(masked, masked.length - tail),
    });
    tree = parser.parse(masked, old.tree);
    old.tree.delete();
    trees.delete(key);
  } else {
    tree = parser.parse(masked);
  }
  if (!tree) return undefined;
  trees.delete(key);
  trees.set(key, { masked, tree });
  while (trees.size > MAX_TREES) {
    const [k, v] = trees.entries().next().value as [string, Cached];
    v.tree.delete();
    trees.delete(k);
  }
  return tree;
}

/**
 * The named children of a node, comments left out. One call for all of them: tree-sitter finds
 * a node's next sibling from its parent, so walking siblings one by one is quadratic.
 */
export function kids(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

const WRAPPERS = new Set(['expression', 'literal_value', 'collection_value', 'template_expr']);

/**
 * The node an expression stands for (a string, an object, a function call...), through the
 * grammar's wrappers and parentheses; a compound (`a.b.c`, `a ? b : c`) stays an `expression`.
 */
export function unwrap(n: Node | null | undefined): Node | undefined {
  let cur: Node | undefined = n ?? undefined;
  while (cur && WRAPPERS.has(cur.type)) {
    const k = kids(cur);
    if (k.length !== 1) return cur.type === 'expression' && k.length ? cur : undefined;
    cur = k[0];
  }
  return cur;
}

/**
 * A traversal path such as `data.aws_iam_policy_document.x.json` or `local.policy`, when the
 * expression is one: its identifiers, or undefined.
 */
export function traversal(n: Node | null | undefined): string[] | undefined {
  if (!n) return undefined;
  const k = n.type === 'expression' ? kids(n) : [n];
  if (!k.length || k[0].type !== 'variable_expr') return undefined;
  const out = [k[0].text];
  for (const part of k.slice(1)) {
    if (part.type !== 'get_attr') return undefined;
    const id = kids(part)[0];
    if (!id) return undefined;
    out.push(id.text);
  }
  return out;
}

/** A block's type and labels (`resource`, `aws_iot_policy`, `device`). */
export function blockHeader(block: Node): { type: string; labels: { text: string; node: Node }[] } {
  const labels: { text: string; node: Node }[] = [];
  let type = '';
  for (const c of kids(block)) {
    if (c.type === 'identifier' && !type) type = c.text;
    else if (c.type === 'string_lit') {
      const lit = kids(c).find((x) => x.type === 'template_literal');
      labels.push({ text: lit?.text ?? '', node: c });
    } else if (c.type === 'identifier') labels.push({ text: c.text, node: c });
    else if (c.type === 'block_start') break;
  }
  return { type, labels };
}

/** A block's body: attributes by name and nested blocks, in order. */
export function blockBody(block: Node): { attributes: Map<string, Node>; blocks: Node[] } {
  const attributes = new Map<string, Node>();
  const blocks: Node[] = [];
  const body = kids(block).find((c) => c.type === 'body');
  for (const c of body ? kids(body) : []) {
    if (c.type === 'attribute') {
      const name = c.firstNamedChild?.text;
      if (name && !attributes.has(name)) attributes.set(name, c);
    } else if (c.type === 'block') blocks.push(c);
  }
  return { attributes, blocks };
}

/** The value expression of an attribute node. */
export function attributeValue(attr: Node): Node | undefined {
  return kids(attr).find((c) => c.type === 'expression');
}
