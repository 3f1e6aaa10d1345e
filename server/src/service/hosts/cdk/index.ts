/**
 * The CDK host: `CfnPolicy` constructs in TypeScript, JavaScript and Python stacks.
 * (Being written; until then no code file is read.)
 */
import type { PolicyDocument } from '../../document';

export interface CdkOptions {
  /** Known values of the stack's region and account (the CLI's `--region`, `--account`). */
  values?: ReadonlyMap<string, string>;
}

export type CodeLanguage = 'typescript' | 'python';

/** The language of a code file this host reads, by its path or editor language id. */
export function codeLanguageOf(path: string, languageId?: string): CodeLanguage | undefined {
  if (languageId === 'typescript' || languageId === 'javascript' || languageId === 'typescriptreact' || languageId === 'javascriptreact') return 'typescript';
  if (languageId === 'python') return 'python';
  if (/\.(ts|mts|cts|js|mjs|cjs)$/i.test(path) && !/\.d\.ts$/i.test(path)) return 'typescript';
  if (/\.py$/i.test(path)) return 'python';
  return undefined;
}

/** The policies of a CDK source file; undefined when it mentions no policy, its grammar is not loaded yet, or it holds none. */
export function cdkDocument(_text: string, _path: string, _language: CodeLanguage, _options?: CdkOptions): PolicyDocument | undefined {
  return undefined;
}
