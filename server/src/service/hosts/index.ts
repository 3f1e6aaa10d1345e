/**
 * Which host reads a document: a Terraform file, a CDK stack in TypeScript, JavaScript or Python,
 * a CloudFormation, SAM, Serverless or cdk.out template (YAML or JSON), else a standalone JSON
 * policy. Cheap checks come first, so a file that is none of them costs a few string searches and
 * no parse. Hosts that parse with tree-sitter need their grammar loaded (`prepareFor`).
 */
import type { PolicyDocument } from '../document';
import { looksLikeIotPolicy, matchesPolicyGlobs, mayBeIotPolicyText } from '../detect';
import { cdkDocument, codeLanguageOf, mentionsIotPolicy, type CdkOptions } from './cdk';
import type { DeployInputs } from '../inputs';
import { formatSize, MAX_DOCUMENT_CHARS } from '../limits';
import { pseudoParameters, templateOptions } from './cloudformation/context';
import { TemplateHost, templateKind, templatePathKind, type TemplateOptions } from './cloudformation/template';
import { ensureGrammar, grammarLoading, grammarProblem, type GrammarName } from './grammars';
import { jsonDocument, nextJsonModel } from './json';
import { isTerraformPath, isTerraformTemplatePath, terraformDocument, terraformTemplateDocument, type TerraformOptions } from './terraform';

export interface OpenOptions {
  /** The document's path (for names such as `serverless.yml` and globs). */
  path: string;
  /** The editor's language id, when there is one (`json`, `jsonc`, `yaml`). */
  languageId?: string;
  /** Globs of files that are always standalone policies. */
  policyGlobs: readonly string[];
  /** Also take JSON documents that look like a policy. */
  detectByContent: boolean;
  template?: TemplateOptions;
  terraform?: TerraformOptions;
  cdk?: CdkOptions;
}

export type DocumentSyntax = 'json' | 'yaml';

/** The syntax a document is written in, by its language id or its extension. */
export function syntaxOf(path: string, languageId?: string): DocumentSyntax | undefined {
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'yaml' || languageId === 'dockercompose') return 'yaml';
  if (/\.jsonc?$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return undefined;
}

/** The kind of file a path names, for a caller without an editor language id (the CLI's walk). */
export type FileFamily = 'json' | 'yaml' | 'terraform' | 'code';

/** Which host family may read a path by its name; undefined for a file no host reads. */
export function fileFamilyOf(path: string): FileFamily | undefined {
  if (isTerraformPath(path)) return 'terraform';
  if (codeLanguageOf(path)) return 'code';
  return syntaxOf(path);
}

/** What a file's host resolves with the given deploy-time inputs (eval and test). */
export function hostOptions(text: string, path: string, inputs: DeployInputs): Pick<OpenOptions, 'template' | 'terraform' | 'cdk'> {
  if (isTerraformPath(path)) return { terraform: { vars: inputs.vars, variableDefaults: true } };
  if (codeLanguageOf(path)) return { cdk: { values: pseudoParameters(inputs) } };
  if (templateKind(text, path)) return { template: templateOptions(text, inputs) };
  return {};
}

/** The tree-sitter grammars a document needs before its host can read it. */
export function grammarsFor(path: string, languageId?: string): GrammarName[] {
  if (isTerraformPath(path) && !/\.json$/i.test(path)) return ['hcl'];
  const code = codeLanguageOf(path, languageId);
  return code ? [code] : [];
}

/**
 * Loads what a document's host needs (the CLI awaits this; the server re-validates when it is
 * done). Resolves to why a grammar could not be loaded, if one could not.
 */
export async function prepareFor(path: string, languageId?: string): Promise<string | undefined> {
  const names = grammarsFor(path, languageId);
  const loaded = await Promise.all(names.map((g) => ensureGrammar(g)));
  const i = loaded.findIndex((g) => !g);
  return i === -1 ? undefined : `the ${names[i]} grammar could not be loaded (${grammarProblem(names[i]) ?? 'unknown reason'})`;
}

/**
 * Everything besides the text that decides how {@link openPolicyDocument} reads a path (without
 * an editor language id or host inputs): two paths with the same key read the same text the same
 * way, so a caller may reuse what it made of one text for the other. Undefined for the hosts that
 * also read the files a document names (Terraform, code), and for paths no host reads.
 */
export function readingKey(path: string, policyGlobs: readonly string[]): string | undefined {
  if (isTerraformPath(path) || isTerraformTemplatePath(path) || codeLanguageOf(path)) return undefined;
  const syntax = syntaxOf(path);
  if (!syntax) return undefined;
  return `${syntax}|${templatePathKind(path)}|${matchesPolicyGlobs(path, policyGlobs) ? 'policy-name' : ''}`;
}

/**
 * The policies of a document, or undefined when it is not one this extension reads. `previous`,
 * what this function made of the document's last version, lets a host read the new text from it
 * (a standalone policy edited inside one statement); it is then spent, and must not be read again.
 */
export function openPolicyDocument(text: string, o: OpenOptions, previous?: PolicyDocument): PolicyDocument | undefined {
  if (text.length > MAX_DOCUMENT_CHARS) return tooLarge(text, o);
  return openWithinLimits(text, o, previous);
}

/**
 * {@link openPolicyDocument} for a caller that reads files in the background (the server's
 * workspace diagnostics): when the host needed a grammar that was not loaded yet (its cheap text
 * check passed, so it started loading it), waits for it and reads the text again. A file that
 * holds no policy never loads a grammar.
 */
export async function openPolicyDocumentLoaded(text: string, o: OpenOptions): Promise<PolicyDocument | undefined> {
  const doc = openPolicyDocument(text, o);
  if (doc) return doc;
  const pending = grammarsFor(o.path, o.languageId).map(grammarLoading).filter((p) => p !== undefined);
  if (!pending.length) return undefined;
  await Promise.all(pending);
  return openPolicyDocument(text, o);
}

/**
 * A document beyond MAX_DOCUMENT_CHARS that a host would read (by name, or by a cheap look at its
 * text): not parsed, which would take seconds and hundreds of MB, but said so.
 */
function tooLarge(text: string, o: OpenOptions): PolicyDocument | undefined {
  let hostId: string | undefined;
  if (isTerraformPath(o.path) || o.languageId === 'terraform') hostId = text.includes('aws_iot_policy') ? 'terraform' : undefined;
  else if (codeLanguageOf(o.path, o.languageId)) hostId = mentionsIotPolicy(text, o.detectByContent) ? 'cdk' : undefined;
  else if (syntaxOf(o.path, o.languageId)) {
    if (templateKind(text, o.path)) hostId = 'cloudformation';
    else if (matchesPolicyGlobs(o.path, o.policyGlobs) || (o.detectByContent && mayBeIotPolicyText(text))) hostId = 'json';
  }
  if (!hostId) return undefined;
  const args = { size: formatSize(text.length), limit: formatSize(MAX_DOCUMENT_CHARS) };
  const doc: PolicyDocument = {
    text, hostId, policies: [],
    problems: [{ ruleId: 'analysis-limit', messageId: 'tooLarge', args, span: { offset: 0, length: 0 } }],
    reparse: (t) => openPolicyDocument(t, o) ?? { ...doc, text: t, problems: [] },
  };
  return doc;
}

function openWithinLimits(text: string, o: OpenOptions, previous: PolicyDocument | undefined): PolicyDocument | undefined {
  if (isTerraformPath(o.path) || o.languageId === 'terraform') return terraformDocument(text, o.path, o.terraform);
  // A `templatefile()` template holding a policy: opened on its own, its `${...}` are unknown.
  if (isTerraformTemplatePath(o.path)) return mayBeIotPolicyText(text) ? terraformTemplateDocument(text, o.path) : undefined;
  const code = codeLanguageOf(o.path, o.languageId);
  if (code) return cdkDocument(text, o.path, code, { ...o.cdk, detectByContent: o.detectByContent });
  const syntax = syntaxOf(o.path, o.languageId);
  if (!syntax) return undefined;
  const kind = templateKind(text, o.path);
  if (kind) return new TemplateHost(text, o.path, kind, o.template).parse();
  if (syntax !== 'json') return undefined;
  if (matchesPolicyGlobs(o.path, o.policyGlobs)) return jsonDocument(nextJsonModel(text, previous));
  if (!o.detectByContent || !mayBeIotPolicyText(text)) return undefined;
  const model = nextJsonModel(text, previous);
  return looksLikeIotPolicy(model) ? jsonDocument(model) : undefined;
}
