/**
 * The Terraform host: `aws_iot_policy` resources in `.tf` files (HCL, read with tree-sitter) and
 * `.tf.json` files (Terraform's JSON syntax), and the templates `templatefile()` renders
 * (`policy.json.tpl`).
 *
 * A policy named by `file()` or `templatefile()` is another file: the library has no file
 * system, so the `.tf` document reads it only through `TerraformOptions.readFile` (the CLI passes
 * one) and hands it over as a linked document whose findings belong to that file. In the editor,
 * opening the template itself analyses it, with every `${...}` opaque.
 */
import type { PolicyDocument, PolicyEntry } from '../../document';
import { buildModel, type HostInfo, type PolicySource } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import { jsonStringValue, parseJsonText } from '../json/parse';
import { jsonDocument, parsePolicy } from '../json';
import { parserFor } from '../grammars';
import { parseHcl } from './hcl';
import type { ReadPolicy } from './reader';
import { entriesOf, hclErrors, holdsIotPolicy, sourceOf, TERRAFORM_HCL, TfFileReader, type FoundLink, type FoundPolicy, type TerraformOptions } from './host';
import { compose, jsonEscape, quotedEscape, scanTemplate, templateEscape, decodeTemplate, templateString, type Escape } from './strings';
import { parseEmbeddedJson } from '../json/embedded';
import { makeNode } from '../strings';
import { TerraformWriter } from './writer';
import { terraformCompletionPlace } from './complete';

export type { TerraformOptions } from './host';

const TERRAFORM_JSON: HostInfo = { id: 'terraform', language: 'json' };

/** Whether a path is a Terraform file this host reads. */
export function isTerraformPath(path: string): boolean {
  return /\.tf(\.json)?$/i.test(path);
}

/** Whether a path is a template `templatefile()` renders (`policy.json.tpl`, `policy.tftpl`). */
export function isTerraformTemplatePath(path: string): boolean {
  return /\.(tpl|tftpl)$/i.test(path);
}

/** The policies of a Terraform file; undefined when its grammar is not loaded yet or it holds none. */
export function terraformDocument(text: string, path: string, options: TerraformOptions = {}): PolicyDocument | undefined {
  // Cheap first: a file without an IoT policy resource, or policy text, costs a string search or two.
  if (!text.includes('aws_iot_policy') && !holdsIotPolicy(text)) return undefined;
  if (/\.json$/i.test(path)) return terraformJsonDocument(text, path, options);
  const parser = parserFor('hcl');
  if (!parser) return undefined;
  const tree = parseHcl(parser, text, path);
  if (!tree) return undefined;
  const reader = new TfFileReader(text, path, tree, options);
  const { policies: found, links } = reader.read();
  const { policies, problems } = entriesOf(text, found, TERRAFORM_HCL, (f, source) => entryOf(f, source));
  // A syntax error the grammar could not recover from hides the policy resources after it.
  const written = text.match(/resource\s+"aws_iot_policy"\s+"/g)?.length ?? 0;
  if (!problems.length && written > reader.resourceCount && tree.rootNode.hasError) {
    const e = hclErrors(text, tree.rootNode)[0];
    if (e) {
      const args = { language: 'HCL', detail: e.message, inPolicy: false };
      problems.push({ ruleId: 'template-syntax-error', messageId: 'syntax', span: { offset: e.offset, length: e.length }, args });
    }
  }
  return {
    text,
    hostId: 'terraform',
    policies,
    problems,
    ...(options.readFile ? { linked: linkedDocuments(links, options) } : {}),
    reparse: (t) => terraformDocument(t, path, options) ?? emptyDocument(t),
  };
}

function emptyDocument(text: string): PolicyDocument {
  return { text, hostId: 'terraform', policies: [], problems: [], reparse: (t) => emptyDocument(t) };
}

/** How the template that holds JSON text escapes what is written in it. */
function outerEscape(read: ReadPolicy): Escape {
  return read.jsonIn === 'quoted' ? quotedEscape : templateEscape;
}

function entryOf(f: FoundPolicy, source: PolicySource, outer?: Escape): PolicyEntry {
  const model = buildModel(source);
  const escape = outer ?? (f.dialect === 'json' ? outerEscape(f.read) : undefined);
  return {
    key: f.address,
    name: f.address,
    detail: f.detail,
    span: f.span,
    nameSpan: f.nameSpan,
    model,
    writer: () => new TerraformWriter(model, f.read, { dialect: f.dialect, outer: escape }),
    place: (offset) => terraformCompletionPlace(model, f.read, f.dialect, offset, escape),
  };
}

// ---- files named by file() and templatefile() ---------------------------------------------------

function linkedDocuments(links: FoundLink[], options: TerraformOptions): NonNullable<PolicyDocument['linked']> {
  const out: NonNullable<PolicyDocument['linked']> = [];
  for (const l of links) {
    const text = options.readFile?.(l.path);
    if (text === undefined) continue;
    const document = l.template
      ? terraformTemplateDocument(text, l.path, { vars: l.vars })
      : jsonDocument(parsePolicy(text));
    if (document) out.push({ path: l.path, name: l.address, span: l.span, document });
  }
  return out;
}

/**
 * A template `templatefile()` renders, holding a policy as JSON text: `${...}` and `%{...}` are
 * opaque (unless `vars` gives a name's literal value), `$${` is a literal `${`.
 */
export function terraformTemplateDocument(text: string, path: string, options: { vars?: ReadonlyMap<string, string> } = {}): PolicyDocument | undefined {
  const pieces = scanTemplate(text, 0, text.length, (name) => options.vars?.get(name));
  const decoded = decodeTemplate(text, pieces, text.length, { quoted: false, json: true });
  const holder = makeNode('string', 0, text.length, undefined, { value: decoded.value });
  const json = parseEmbeddedJson(templateString(holder, decoded, { offset: 0, length: text.length }), { opaque: true, placeholders: decoded.placeholders });
  const read: ReadPolicy = { root: json.root, strings: json.strings, styles: new Map(), json, jsonIn: 'heredoc', structureUnknown: decoded.structureUnknown };
  const source = sourceOf(text, read, TERRAFORM_JSON, []);
  const model = buildModel(source);
  return {
    text,
    hostId: 'terraform',
    policies: [{
      key: '', span: { offset: 0, length: text.length }, model,
      writer: () => new TerraformWriter(model, read, { dialect: 'json', outer: templateEscape }),
      place: (offset) => terraformCompletionPlace(model, read, 'json', offset, templateEscape),
    }],
    problems: [],
    reparse: (t) => terraformTemplateDocument(t, path, options) ?? emptyDocument(t),
  };
}

// ---- .tf.json --------------------------------------------------------------------------------

function member(obj: PolicyNode | undefined, key: string): PolicyNode[] {
  // Terraform's JSON syntax allows a list of objects wherever it allows an object of blocks.
  const objects = obj?.type === 'array' ? obj.children ?? [] : obj ? [obj] : [];
  const out: PolicyNode[] = [];
  for (const o of objects) {
    if (o.type !== 'object') continue;
    for (const p of o.children ?? []) if (p.children?.[0]?.value === key && p.children[1]) out.push(p.children[1]);
  }
  return out;
}

/** `{"resource": {"aws_iot_policy": {"x": {"policy": "..."}}}}`: each policy string is JSON text in a template. */
function terraformJsonDocument(text: string, path: string, options: TerraformOptions): PolicyDocument {
  const parsed = parseJsonText(text);
  const policies: PolicyEntry[] = [];
  const outer = compose(templateEscape, jsonEscape);
  for (const resources of member(parsed.root, 'resource')) {
    for (const group of member(resources, 'aws_iot_policy')) {
      for (const o of group.type === 'object' ? group.children ?? [] : []) {
        const name = o.children?.[0];
        const body = o.children?.[1];
        const policy = member(body, 'policy')[0];
        if (name?.type !== 'string' || policy?.type !== 'string') continue;
        const sv: StringValue = jsonStringValue(policy, text);
        // A single `${...}` is an HCL expression (`${jsonencode(...)}`): not read here.
        if (/^\$\{[\s\S]*\}$/.test(sv.value.trim()) && !sv.value.trim().startsWith('${iot:')) continue;
        const pieces = scanTemplate(sv.value, 0, sv.value.length, (n) => (n.startsWith('var.') ? options.vars?.get(n.slice(4)) : undefined));
        const decoded = decodeTemplate(sv.value, pieces, sv.value.length, { quoted: false, json: true }, (i) => sv.offsetOf(i));
        const holder = makeNode('string', policy.offset, policy.length, undefined, { value: decoded.value });
        const outerString = templateString(holder, decoded, { offset: policy.offset, length: policy.length });
        const json = parseEmbeddedJson(outerString, { opaque: true, placeholders: decoded.placeholders });
        const read: ReadPolicy = {
          root: json.root, strings: json.strings, styles: new Map(), json, jsonIn: 'quoted', structureUnknown: decoded.structureUnknown,
        };
        const address = `aws_iot_policy.${String(name.value)}`;
        const nameSv = jsonStringValue(name, text);
        const f: FoundPolicy = {
          address, dialect: 'json', read, errors: [],
          span: { offset: o.offset, length: o.length }, nameSpan: nameSv.spanOf(0, nameSv.value.length),
        };
        policies.push(entryOf(f, sourceOf(text, read, TERRAFORM_JSON, []), outer));
      }
    }
  }
  return {
    text,
    hostId: 'terraform',
    policies,
    problems: [],
    reparse: (t) => terraformDocument(t, path, options) ?? emptyDocument(t),
  };
}
