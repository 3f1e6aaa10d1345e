/**
 * The CDK host: `CfnPolicy` constructs of `aws-cdk-lib/aws-iot` in TypeScript, JavaScript and
 * Python stacks, each policy at its exact place in the code (see typescript.ts and python.ts for
 * the forms read, reader.ts for how the two read them alike), and policies held as JSON text in a
 * string constant with no construct around them (found by their content, as the JSON host finds
 * policy files). A file is parsed only when its text names `CfnPolicy` (every way of writing the
 * construct does, an alias included) or holds a `Statement` with an IoT action, so any other
 * source file costs a few string searches.
 *
 * The language's own syntax errors are never reported (its compiler and the editor do that); they
 * are kept as the policy's syntax errors, so that rules stay quiet around half-typed code and a fix
 * that would break the code is not offered.
 *
 * A policy the stack reads from a JSON file (`JSON.parse(fs.readFileSync('policy.json'))`) is read
 * through `CdkOptions.readFile` and returned in `linked`: its findings belong to that file. The
 * editor has no reader: there the JSON file is a document of its own.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LinkedDocument, PolicyDocument, PolicyEntry } from '../../document';
import type { HostInfo } from '../../policy/model';
import type { Span } from '../../text/span';
import { parserFor } from '../grammars';
import { jsonDocument, parsePolicy } from '../json';
import { holdsIotPolicy } from '../json/embedded';
import { codeCompletionPlace } from './complete';
import { LiteralIndex, type CdkOptions, type CodeFile, type CodeLanguage, type FoundPolicy } from './file';
import { PythonReader } from './python';
import { TypeScriptReader } from './typescript';
import { CodeWriter } from './writer';

export type { CdkOptions, CodeLanguage } from './file';

/** The language of a code file this host reads, by its path or editor language id. */
export function codeLanguageOf(path: string, languageId?: string): CodeLanguage | undefined {
  if (languageId === 'typescript' || languageId === 'javascript' || languageId === 'typescriptreact' || languageId === 'javascriptreact') return 'typescript';
  if (languageId === 'python') return 'python';
  if (/\.(ts|mts|cts|js|mjs|cjs)$/i.test(path) && !/\.d\.ts$/i.test(path)) return 'typescript';
  if (/\.py$/i.test(path)) return 'python';
  return undefined;
}

/**
 * Whether a code file may hold an IoT policy: it names `CfnPolicy`, or (`byContent`) it holds a
 * `Statement` with an IoT action, which a string constant may hold as JSON text. A
 * `PolicyDocument` alone is an IAM policy (roles, buckets), which this extension does not read.
 */
export function mentionsIotPolicy(text: string, byContent = true): boolean {
  return text.includes('CfnPolicy') || (byContent && holdsIotPolicy(text));
}

/** Spans of the parser's error and missing nodes. */
function errorSpans(root: Node): Span[] {
  const out: Span[] = [];
  if (!root.hasError) return out;
  const visit = (n: Node): void => {
    if (n.isError || n.isMissing) {
      out.push({ offset: n.startIndex, length: n.endIndex - n.startIndex });
      return;
    }
    if (!n.hasError) return;
    for (let i = 0; i < n.childCount; i++) visit(n.child(i)!);
  };
  visit(root);
  return out;
}

function emptyDocument(text: string, reparse: (t: string) => PolicyDocument): PolicyDocument {
  return { text, hostId: 'cdk', policies: [], problems: [], reparse };
}

/** The policies of a CDK source file; undefined when it names no `CfnPolicy`, its grammar is not loaded yet, or it holds none. */
export function cdkDocument(text: string, path: string, language: CodeLanguage, options?: CdkOptions): PolicyDocument | undefined {
  if (!mentionsIotPolicy(text, options?.detectByContent ?? true)) return undefined;
  const parser = parserFor(language);
  const tree: Tree | null | undefined = parser?.parse(text);
  if (!tree) return undefined;
  try {
    return readTree(text, path, language, options ?? {}, tree);
  } finally {
    // The tree lives in the parser's wasm memory: everything the document needs was copied out.
    tree.delete();
  }
}

function readTree(text: string, path: string, language: CodeLanguage, options: CdkOptions, tree: Tree): PolicyDocument | undefined {
  const host: HostInfo = { id: 'cdk', language };
  const file: CodeFile = { text, path, language, root: tree.rootNode, options, literals: new LiteralIndex(), host };
  const reader = language === 'python' ? new PythonReader(file) : new TypeScriptReader(file);
  const found: FoundPolicy[] = reader.find();
  if (options.detectByContent ?? true) found.push(...reader.findByContent());
  found.sort((a, b) => a.span.offset - b.span.offset);
  const reparse = (t: string): PolicyDocument => cdkDocument(t, path, language, options) ?? emptyDocument(t, reparse);
  if (!found.length) return undefined;
  const errors = errorSpans(tree.rootNode);
  const policies: PolicyEntry[] = [];
  const linked: LinkedDocument[] = [];
  const keys = new Set<string>();
  for (const f of found) {
    let key = f.id;
    for (let k = 2; keys.has(key); k++) key = `${f.id}#${k}`;
    keys.add(key);
    if (f.linked) {
      const read = options.readFile?.(f.linked.path);
      if (read) linked.push({ path: read.path, name: f.id, span: f.linked.span, document: jsonDocument(parsePolicy(read.text)) });
      continue;
    }
    if (!f.root) continue;
    const model = f.build.finish(text, f.root, host, errors);
    const build = f.build;
    policies.push({
      key,
      name: f.id,
      detail: f.policyName,
      span: f.span,
      nameSpan: f.idSpan,
      ranges: build.ranges,
      model,
      writer: () => new CodeWriter(model, build, file.literals, language),
      place: (offset) => codeCompletionPlace(model, offset, build, file.literals, language),
    });
  }
  return { text, hostId: 'cdk', policies, problems: [], reparse, ...(linked.length ? { linked } : {}) };
}
