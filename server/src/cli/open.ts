/**
 * Opening a file the way the editor does: the host that reads it (a template, a Terraform file, a
 * CDK stack, a standalone policy), its grammar loaded first. Shared by lint, eval and test.
 */
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

/** What a template, Terraform file or stack resolves to (eval and test); lint leaves it unknown. */
export type HostInputs = Pick<OpenOptions, 'template' | 'terraform' | 'cdk'>;

/**
 * The policies of a file; undefined when no host reads it, or it holds no policy. A file
 * `named` on the command line that no host claims is read as a standalone policy, broken or not
 * (a YAML, Terraform or code file is not: it holds no policy). Throws when the file's grammar
 * cannot be loaded.
 */
export async function openFile(text: string, abs: string, named: boolean, inputs?: HostInputs): Promise<PolicyDocument | undefined> {
  const problem = await prepareFor(abs);
  // Unreadable without its grammar: reported as such, never as a file without policies.
  if (problem) throw new Error(problem);
  const family = fileFamilyOf(abs);
  // A name no host claims (`policy.txt`, matched by a glob or named): JSON, detected by content.
  const languageId = family === undefined ? 'json' : undefined;
  const doc = openPolicyDocument(text, { path: abs, languageId, policyGlobs: POLICY_FILE_GLOBS, detectByContent: true, ...inputs });
  if (doc && (doc.policies.length || doc.problems.length)) return doc;
  if (!named) return undefined;
  return family === undefined || family === 'json' ? (doc ?? jsonDocument(parsePolicy(text))) : undefined;
}
