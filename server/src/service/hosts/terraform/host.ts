/**
 * Finding the policies of a Terraform file. Each `resource "aws_iot_policy"` is one policy,
 * read from its `policy` argument:
 * - `jsonencode({...})`, or `jsonencode(local.x)` with the local in the same file;
 * - JSON text in a heredoc (`<<EOF`, `<<-EOF`) or a quoted string;
 * - `data.aws_iam_policy_document.x.json`: the data block is the policy;
 * - `file(...)` and `templatefile(...)`: the named file, read through the injected reader and
 *   analysed as its own document (its findings belong to it).
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { HostInfo, HostNote, PolicySource } from '../../policy/model';
import { isLiteralRange, type PolicyNode, type StringValue, type SyntaxIssue } from '../../policy/tree';
import type { FileProblem, PolicyEntry } from '../../document';
import type { Span } from '../../text/span';
import { renderedPolicySize, StringBuilder } from '../strings';
import { attributeValue, blockBody, blockHeader, kids, traversal, unwrap } from './hcl';
import { HclReader, type ReadPolicy } from './reader';
import { NOT_AN_INTERPOLATION } from './strings';

export const TERRAFORM_HCL: HostInfo = { id: 'terraform', language: 'hcl' };

export interface TerraformOptions {
  /** Known values of `var.<name>` (the CLI's `--var name=value`). */
  vars?: ReadonlyMap<string, string>;
  /**
   * Takes a `variable` block's string `default` for a `var.<name>` that `vars` does not give, as
   * `terraform plan` would (eval and test); off in the editor, where the value is left unknown.
   */
  variableDefaults?: boolean;
  /**
   * Reads a file a policy names with `file()` or `templatefile()`, by its path (the library has
   * no file system: the CLI passes one, the editor may pass its open documents); undefined when
   * it cannot be read.
   */
  readFile?(path: string): string | undefined;
}

/** How the writer and the completion write in a policy. */
export type Dialect = 'hcl' | 'json' | 'blocks';

/** A policy found in a file, before it is modelled. */
export interface FoundPolicy {
  address: string;
  detail?: string;
  span: Span;
  nameSpan: Span;
  read: ReadPolicy;
  dialect: Dialect;
  /** HCL syntax errors inside what the policy is read from. */
  errors: SyntaxIssue[];
}

/** A file a policy names: `file("policy.json")`, `templatefile("policy.json.tpl", {...})`. */
export interface FoundLink {
  address: string;
  span: Span;
  path: string;
  template: boolean;
  /** `templatefile`'s variables with literal values (others are unknown). */
  vars: Map<string, string>;
}

/** A colon-namespaced name (`iot:ClientId`) or an escape variable: what Terraform cannot interpolate. */
function isPolicyVariableLike(name: string): boolean {
  return NOT_AN_INTERPOLATION.test(`\${${name}}`);
}

/**
 * What the host notices in the policy's strings, from where each `${` is in the file: a `${`
 * written unescaped (Terraform fails there), and the CloudFormation escape `${!...}`.
 */
function stringNotes(text: string, strings: Iterable<StringValue>): HostNote[] {
  const notes: HostNote[] = [];
  for (const sv of strings) {
    const v = sv.value;
    for (let open = v.indexOf('${'); open !== -1; open = v.indexOf('${', open + 2)) {
      const close = v.indexOf('}', open + 2);
      if (close === -1) break;
      if (!isLiteralRange(sv, open, close + 1)) continue;
      const name = v.slice(open + 2, close);
      const range: [number, number] = [open, close + 1];
      if (name.startsWith('!')) {
        notes.push({ kind: 'escape-outside-sub', span: sv.spanOf(open, close + 1), str: sv, range, detail: { name: name.slice(1) } });
        continue;
      }
      // Written `${` in the file, not `$${` or `&{`: the two characters sit side by side.
      const a = sv.offsetOf(open);
      if (text[a] === '$' && sv.offsetOf(open + 1) === a + 1 && isPolicyVariableLike(name)) {
        notes.push({ kind: 'terraform-variable-not-escaped', span: sv.spanOf(open, close + 1), str: sv, range, detail: { name } });
      }
    }
  }
  notes.sort((x, y) => x.span.offset - y.span.offset);
  return notes;
}

function emptyString(n: PolicyNode): StringValue {
  return new StringBuilder().build(n);
}

/** The policy source of a read policy. */
export function sourceOf(text: string, read: ReadPolicy, host: HostInfo, hclErrors: SyntaxIssue[]): PolicySource {
  const strings = read.strings;
  let notes: HostNote[] | undefined;
  const own = new Set<StringValue>();
  const collect = (n: PolicyNode | undefined): void => {
    if (!n) return;
    if (n.type === 'string') {
      const sv = strings.get(n);
      if (sv) own.add(sv);
    }
    for (const c of n.children ?? []) collect(c);
  };
  const json = read.json;
  const jsonErrors = json && !read.structureUnknown ? json.errors : [];
  return {
    text,
    root: read.root,
    syntaxErrors: [...hclErrors, ...jsonErrors],
    json: json && !read.structureUnknown ? json.json : undefined,
    refused: json?.refused,
    stringOf: (n) => strings.get(n) ?? emptyString(n),
    size: () => renderedPolicySize(read.root, (n) => strings.get(n)),
    notes: () => {
      if (!notes) {
        collect(read.root);
        notes = stringNotes(text, own);
      }
      return notes;
    },
    host,
  };
}

const MAX_ERRORS = 20;

/**
 * Where a syntax error shows: a missing token just after what precedes it, an unexpected text
 * on its first line (error recovery may take the rest of the file into one node).
 */
function errorSpan(text: string, n: Node): Span {
  if (n.isMissing) {
    let at = n.startIndex;
    while (at > 0 && /\s/.test(text[at - 1])) at--;
    return { offset: at, length: 1 };
  }
  const nl = text.indexOf('\n', n.startIndex);
  const end = Math.min(n.endIndex, nl === -1 ? text.length : nl);
  return { offset: n.startIndex, length: Math.max(1, end - n.startIndex) };
}

/** ERROR and MISSING nodes under a node (the first few, in document order), as syntax issues. */
export function hclErrors(text: string, root: Node): SyntaxIssue[] {
  const out: SyntaxIssue[] = [];
  // A stack, not recursion: a hostile file nests thousands of levels deep.
  const stack: Node[] = [root];
  while (stack.length && out.length < MAX_ERRORS) {
    const n = stack.pop()!;
    if (!(n.hasError || n.isMissing)) continue;
    if (n.isError || n.isMissing) {
      // A missing bracket or quote is worth naming; the grammar's other names are not the user's words.
      const punctuation = /^[\]})",]$/.test(n.type);
      const missing = punctuation ? `missing ${JSON.stringify(n.type)}` : 'unexpected text';
      const message = n.isMissing ? missing : `unexpected ${JSON.stringify(n.text.split('\n')[0].slice(0, 40))}`;
      out.push({ code: 'HclSyntax', message, ...errorSpan(text, n) });
      continue;
    }
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]!);
  }
  return out;
}

function spanOf(n: Node): Span {
  return { offset: n.startIndex, length: n.endIndex - n.startIndex };
}

function labelSpan(label: { node: Node }): Span {
  const lit = kids(label.node).find((c) => c.type === 'template_literal');
  return lit ? spanOf(lit) : spanOf(label.node);
}

/** The directory of a path, `/`-separated. */
function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i === -1 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** A path with `.` and `..` segments resolved, `/`-separated. */
function normalizePath(p: string): string {
  const absolute = /^[\\/]/.test(p);
  const out: string[] = [];
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return (absolute ? '/' : '') + (out.join('/') || (absolute ? '' : '.'));
}

/** Reads the policies of a parsed `.tf` file. */
export class TfFileReader {
  private readonly locals = new Map<string, Node>();
  /** `var.<name>` values: the given ones over the defaults (when asked for). */
  private readonly vars: Map<string, string>;
  private readonly documents = new Map<string, Node>();
  private readonly resources: { name: string; nameSpan: Span; block: Node }[] = [];
  /**
   * Policies found by their content where no `aws_iot_policy` names them: a module's input
   * (`policy_json = jsonencode({...})`), a `data "template_file"` template.
   */
  private readonly byContent: { address: string; nameSpan: Span; block: Node; value: Node }[] = [];

  /** How many `aws_iot_policy` resources the grammar could read. */
  get resourceCount(): number {
    return this.resources.length;
  }

  constructor(private readonly text: string, private readonly path: string, tree: Tree, options: TerraformOptions) {
    this.vars = new Map(options.vars);
    // The file's blocks: after any comments that open it.
    const body = kids(tree.rootNode).find((c) => c.type === 'body');
    if (body?.type !== 'body') return;
    const defaults: [string, Node][] = [];
    for (const b of kids(body)) {
      if (b.type !== 'block') continue;
      const kind = b.firstNamedChild?.text;
      if (kind === 'variable' && options.variableDefaults) {
        const name = blockHeader(b).labels[0]?.text;
        const attr = blockBody(b).attributes.get('default');
        const v = attr && attributeValue(attr);
        if (name && v) defaults.push([name, v]);
      }
      if (kind === 'module') this.moduleInputs(b);
      if (kind !== 'resource' && kind !== 'data' && kind !== 'locals') continue;
      const h = blockHeader(b);
      if (h.type === 'locals') {
        for (const [name, attr] of blockBody(b).attributes) {
          const v = attributeValue(attr);
          if (v && !this.locals.has(name)) this.locals.set(name, v);
        }
      } else if (h.type === 'resource' && h.labels[0]?.text === 'aws_iot_policy' && h.labels[1]) {
        this.resources.push({ name: h.labels[1].text, nameSpan: labelSpan(h.labels[1]), block: b });
      } else if (h.type === 'data' && h.labels[0]?.text === 'aws_iam_policy_document' && h.labels[1]) {
        if (!this.documents.has(h.labels[1].text)) this.documents.set(h.labels[1].text, b);
      } else if (h.type === 'data' && h.labels[0]?.text === 'template_file' && h.labels[1]) {
        const attr = blockBody(b).attributes.get('template');
        const v = attr && attributeValue(attr);
        if (v && holdsIotPolicy(v.text)) {
          this.byContent.push({ address: `data.template_file.${h.labels[1].text}.template`, nameSpan: labelSpan(h.labels[1]), block: b, value: v });
        }
      }
    }
    // A default that is a plain string (no interpolation) is the value; others stay unknown.
    for (const [name, v] of defaults) {
      if (this.vars.has(name)) continue;
      const lit = unwrap(v);
      const d = lit && new HclReader(this.text, undefined, this.locals).decode(lit);
      if (d && !d.decoded.opaque.length) this.vars.set(name, d.decoded.value);
    }
  }

  /** A module's inputs that hold an IoT policy (the module creates the `aws_iot_policy`). */
  private moduleInputs(block: Node): void {
    const name = blockHeader(block).labels[0];
    if (!name) return;
    for (const [input, attr] of blockBody(block).attributes) {
      const v = attributeValue(attr);
      if (v && holdsIotPolicy(v.text)) this.byContent.push({ address: `module.${name.text}.${input}`, nameSpan: labelSpan(name), block, value: v });
    }
  }

  read(): { policies: FoundPolicy[]; links: FoundLink[] } {
    const policies: FoundPolicy[] = [];
    const links: FoundLink[] = [];
    const taken = new Set<Node['id']>();
    for (const r of this.resources) {
      const address = `aws_iot_policy.${r.name}`;
      const attr = blockBody(r.block).attributes.get('policy');
      const value = attr && attributeValue(attr);
      if (!value) continue;
      const found = this.policyOf(value, address, r, 0, taken);
      if (!found) continue;
      if ('path' in found) links.push(found);
      else policies.push(found);
    }
    for (const c of this.byContent) {
      const found = this.policyOf(c.value, c.address, c, 0, taken);
      if (found && !('path' in found)) policies.push(found);
    }
    return { policies, links };
  }

  private reader(): HclReader {
    return new HclReader(this.text, this.vars, this.locals);
  }

  private policyOf(value: Node, address: string, r: { nameSpan: Span; block: Node }, depth: number, taken: Set<number>): FoundPolicy | FoundLink | undefined {
    const u = unwrap(value);
    if (!u) return undefined;
    const inResource = (n: Node) => n.startIndex >= r.block.startIndex && n.endIndex <= r.block.endIndex;
    const entry = (read: ReadPolicy, dialect: Dialect, from: Node, detail?: string): FoundPolicy | undefined => {
      // JSON text is a policy even when it cannot be read: its syntax errors are the findings.
      if ((!read.root && !read.json) || read.root?.type === 'opaque') return undefined;
      const own = inResource(from);
      return {
        address, detail, dialect, read,
        span: own ? spanOf(r.block) : spanOf(from),
        nameSpan: r.nameSpan,
        errors: hclErrors(this.text, from),
      };
    };
    if (u.type === 'function_call') {
      const fn = u.firstNamedChild?.text;
      const argsNode = kids(u).find((c) => c.type === 'function_arguments');
      const args = argsNode ? kids(argsNode).filter((c) => c.type === 'expression') : [];
      if (fn === 'jsonencode' && args.length === 1) {
        const reader = this.reader();
        const root = reader.value(args[0], undefined);
        // `jsonencode(local.policy)`: the policy is written in the locals.
        const inside = root.offset >= r.block.startIndex && root.offset < r.block.endIndex;
        const from = inside ? u : this.localNodeAt(root.offset) ?? u;
        return entry({ root, strings: reader.strings, styles: reader.styles }, 'hcl', from);
      }
      if ((fn === 'file' || fn === 'templatefile') && args.length >= 1) return this.link(address, u, args, fn === 'templatefile');
      return undefined;
    }
    if (u.type === 'string_lit' || u.type === 'quoted_template' || u.type === 'heredoc_template') {
      const read = this.reader().jsonText(u);
      return read && entry(read, 'json', u);
    }
    const path = traversal(u);
    if (path?.[0] === 'data' && path[1] === 'aws_iam_policy_document' && path.length === 4 && path[3] === 'json') {
      const block = this.documents.get(path[2]);
      // One policy per document, however many resources name it.
      if (!block || taken.has(block.id)) return undefined;
      taken.add(block.id);
      const name = blockHeader(block).labels[1];
      const found = entry(this.reader().policyDocument(block), 'blocks', block, `data.aws_iam_policy_document.${path[2]}`);
      if (found && name) found.nameSpan = labelSpan(name);
      return found;
    }
    if (path?.length === 2 && path[0] === 'local' && depth < 4) {
      const local = this.locals.get(path[1]);
      if (local) return this.policyOf(local, address, r, depth + 1, taken);
    }
    return undefined;
  }

  /** The local value whose expression holds `offset`. */
  private localNodeAt(offset: number): Node | undefined {
    for (const v of this.locals.values()) if (offset >= v.startIndex && offset < v.endIndex) return v;
    return undefined;
  }

  private link(address: string, call: Node, args: Node[], template: boolean): FoundLink | undefined {
    const pathNode = unwrap(args[0]);
    if (!pathNode || (pathNode.type !== 'string_lit' && pathNode.type !== 'quoted_template')) return undefined;
    const reader = this.reader();
    const d = reader.decode(pathNode);
    if (!d) return undefined;
    // `path.module`, `path.root` and `path.cwd` are this file's directory; other expressions are unknown.
    const dir = dirname(this.path);
    let written = '';
    let rooted = false;
    let k = 0;
    for (let i = 0; i < d.decoded.value.length; i++) {
      const o = d.decoded.opaque[k];
      if (o && o.start === i) {
        if (i > 0 || !/^\$\{\s*path\.(module|root|cwd)\s*\}$/.test(o.label)) return undefined;
        written += dir;
        rooted = true;
        k++;
      } else written += d.decoded.value[i];
    }
    const vars = new Map<string, string>();
    if (template && args[1] && unwrap(args[1])?.type === 'object') {
      const values = reader.value(args[1], undefined);
      for (const p of values.children ?? []) {
        const [key, v] = p.children ?? [];
        const sv = v?.type === 'string' ? reader.strings.get(v) : undefined;
        if (key?.type === 'string' && sv && !sv.opaque.length) vars.set(String(key.value), sv.value);
      }
    }
    const path = rooted || /^([A-Za-z]:)?[\\/]/.test(written) ? normalizePath(written) : normalizePath(`${dir}/${written}`);
    return { address, span: spanOf(call), path, template, vars };
  }
}

/** The document's policies as entries, and the problems that stop their analysis. */
/**
 * Whether an expression's text holds an IoT policy, for values no `aws_iot_policy` names: a
 * `Statement` and an IoT action (the JSON host's detection by content, on the raw text).
 */
export function holdsIotPolicy(text: string): boolean {
  return text.includes('Statement') && /["'\s[]?(iot|iotjobsdata|greengrass):[A-Za-z*]/.test(text);
}

export function entriesOf(
  text: string,
  found: FoundPolicy[],
  host: HostInfo,
  makeEntry: (f: FoundPolicy, source: PolicySource) => PolicyEntry,
): { policies: PolicyEntry[]; problems: FileProblem[] } {
  const policies = found.map((f) => makeEntry(f, sourceOf(text, f.read, host, f.errors)));
  const problems: FileProblem[] = [];
  const first = found.flatMap((f) => f.errors)[0];
  if (first) {
    problems.push({
      ruleId: 'template-syntax-error', messageId: 'syntax', span: { offset: first.offset, length: first.length },
      args: { language: 'HCL', detail: first.message ?? first.code, inPolicy: true },
    });
  }
  return { policies, problems };
}
