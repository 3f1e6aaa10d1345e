/**
 * Opening a file the way the editor does: the host that reads it (a template, a Terraform file, a
 * CDK stack, a standalone policy), its grammar loaded first. Shared by lint, eval and test.
 *
 * A policy a file names in another file (Terraform's `file()` and `templatefile()`, a stack's
 * `fs.readFileSync`) is read too, when that file is a regular file inside the working directory:
 * a repository cannot make the CLI read, and quote, a file elsewhere (`file("~/.aws/credentials")`).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  POLICY_FILE_GLOBS,
  fileFamilyOf,
  jsonDocument,
  openPolicyDocument,
  parsePolicy,
  prepareFor,
  type OpenOptions,
  type PolicyDocument,
} from '../service';
import type { CliIo } from './io';
import { displayPath, isInside } from './paths';

/** What a template, Terraform file or stack resolves to (eval and test); lint leaves it unknown. */
export type HostInputs = Pick<OpenOptions, 'template' | 'terraform' | 'cdk'>;

/** How linked files are read: within `cwd`, with the CLI's reader; `note` says what was not followed. */
export interface LinkAccess extends Pick<CliIo, 'readFile' | 'cwd'> {
  note(message: string): void;
}

function realpathSafe(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The directory a CDK app runs in: the nearest folder above the stack with a `cdk.json`, else `cwd`. */
function cdkAppDir(stack: string, cwd: string): string {
  for (let dir = path.dirname(stack); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdk.json'))) return dir;
    if (path.dirname(dir) === dir || !isInside(dir, cwd)) return cwd;
  }
}

/** The real path of the working directory, once per directory (lint asks for every file). */
const realCwds = new Map<string, string>();

/** Readers for the files a document's policies name, resolved from `abs` and kept inside `cwd`. */
function linkReaders(abs: string, access: LinkAccess): Pick<OpenOptions, 'terraform' | 'cdk'> {
  let root = realCwds.get(access.cwd);
  if (root === undefined) {
    root = realpathSafe(access.cwd) ?? access.cwd;
    realCwds.set(access.cwd, root);
  }
  const read = (file: string): string | undefined => {
    const real = realpathSafe(file);
    if (!real || !isInside(real, root)) {
      access.note(`${displayPath(abs, access.cwd)}: not reading ${displayPath(file, access.cwd)}, ${real ? 'outside the working directory' : 'no such file'}`);
      return undefined;
    }
    try {
      return access.readFile(real);
    } catch (err) {
      access.note(`${displayPath(abs, access.cwd)}: cannot read ${displayPath(file, access.cwd)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  return {
    terraform: { readFile: (p) => read(path.resolve(path.dirname(abs), p)) },
    cdk: {
      readFile: (p) => {
        const file = path.isAbsolute(p) ? p : path.resolve(cdkAppDir(abs, access.cwd), p);
        const text = read(file);
        return text === undefined ? undefined : { path: file, text };
      },
    },
  };
}

/**
 * The policies of a file; undefined when no host reads it, or it holds no policy. A file
 * `named` on the command line that no host claims is read as a standalone policy, broken or not
 * (a YAML, Terraform or code file is not: it holds no policy). Throws when the file's grammar
 * cannot be loaded.
 */
export async function openFile(text: string, abs: string, named: boolean, inputs?: HostInputs, access?: LinkAccess): Promise<PolicyDocument | undefined> {
  const problem = await prepareFor(abs);
  // Unreadable without its grammar: reported as such, never as a file without policies.
  if (problem) throw new Error(problem);
  const family = fileFamilyOf(abs);
  // A name no host claims (`policy.txt`, matched by a glob or named): JSON, detected by content.
  const languageId = family === undefined ? 'json' : undefined;
  const links = access ? linkReaders(abs, access) : undefined;
  const doc = openPolicyDocument(text, {
    path: abs, languageId, policyGlobs: POLICY_FILE_GLOBS, detectByContent: true, ...inputs,
    terraform: { ...inputs?.terraform, ...links?.terraform },
    cdk: { ...inputs?.cdk, ...links?.cdk },
  });
  if (doc && (doc.policies.length || doc.problems.length || doc.linked?.length)) return doc;
  if (!named) return undefined;
  return family === undefined || family === 'json' ? (doc ?? jsonDocument(parsePolicy(text))) : undefined;
}
