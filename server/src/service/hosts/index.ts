/**
 * Which host reads a document: a CloudFormation, SAM, Serverless or cdk.out template (YAML or
 * JSON), else a standalone JSON policy. Cheap text checks come first, so a YAML or JSON file that
 * is neither costs a few string searches and no parse.
 */
import type { PolicyDocument } from '../document';
import { looksLikeIotPolicy, matchesPolicyGlobs, mayBeIotPolicyText } from '../detect';
import { TemplateHost, templateKind, type TemplateOptions } from './cloudformation/template';
import { jsonDocument, parsePolicy } from './json';

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

/** The policies of a document, or undefined when it is not one this extension reads. */
export function openPolicyDocument(text: string, o: OpenOptions): PolicyDocument | undefined {
  const syntax = syntaxOf(o.path, o.languageId);
  if (!syntax) return undefined;
  const kind = templateKind(text, o.path);
  if (kind) return new TemplateHost(text, o.path, kind, o.template).parse();
  if (syntax !== 'json') return undefined;
  if (matchesPolicyGlobs(o.path, o.policyGlobs)) return jsonDocument(parsePolicy(text));
  if (!o.detectByContent || !mayBeIotPolicyText(text)) return undefined;
  const model = parsePolicy(text);
  return looksLikeIotPolicy(model) ? jsonDocument(model) : undefined;
}
