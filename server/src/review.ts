/**
 * The `iotPolicy/review` request behind the editor's review panel ("Show Effective Permissions",
 * "Compare with Git HEAD…", "Compare with File…"; `shared/src/protocol.ts`). A thin adapter: it
 * finds the documents (the open one with its unsaved text, a base the client sends as text, or a
 * file it reads) and hands them to the library's `reviewDocument`. The client reads git; the
 * server never starts a process.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { openPolicyDocument, prepareFor, reviewDocument, type OpenOptions, type PolicyDocument } from './service';
import { ReviewRequest, type ReviewParams, type ReviewResult } from '../../shared/src/protocol';
import { runSafeAsync } from './utils/runner';

export interface ReviewHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** Reads a `file:` URI, or undefined when it cannot. */
  readFile(uri: string): Promise<string | undefined>;
  logger: { error(message: string): void };
  /** The policies of an open document of ours, from the server's cache. */
  policyDocument(uri: string): { document: TextDocument; pdoc: PolicyDocument } | undefined;
  /** How the server opens a document at this URI (its path, the settings' globs). */
  openOptions(uri: string, languageId?: string): OpenOptions;
}

function problem(kind: ReviewParams['kind'], text: string): ReviewResult {
  return { kind, title: kind === 'diff' ? 'Access changes' : 'Effective permissions', sides: [], policies: [], sections: [], warnings: [], notes: [], exact: false, summary: text, problem: text };
}

/** The file name of a URI, for labels. */
function baseName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function validParams(p: unknown): p is ReviewParams {
  const o = p as Partial<ReviewParams> | null;
  if (!o || (o.kind !== 'explain' && o.kind !== 'diff') || typeof o.uri !== 'string') return false;
  if (o.policy !== undefined && typeof o.policy !== 'string') return false;
  if (o.offset !== undefined && typeof o.offset !== 'number') return false;
  const b = o.base;
  return b === undefined || (typeof b === 'object' && b !== null && typeof b.uri === 'string' && typeof b.label === 'string' && (b.text === undefined || typeof b.text === 'string'));
}

export function registerReview(host: ReviewHost): void {
  const { connection, documents, logger } = host;

  /**
   * A document's policies: the server's cached parse when it is open and holds some, else its text
   * opened here once its grammar is loaded (a Terraform file opened before the grammar was).
   */
  async function open(uri: string, text: string | undefined, explicit: boolean): Promise<PolicyDocument | undefined> {
    const doc = documents.get(uri);
    if (text === undefined) {
      const cached = host.policyDocument(uri)?.pdoc;
      if (cached?.policies.length) return cached;
      text = doc ? doc.getText() : uri.startsWith('file:') ? await host.readFile(uri) : undefined;
      if (text === undefined) return undefined;
    }
    const options = host.openOptions(uri, doc?.languageId);
    await prepareFor(options.path, options.languageId);
    // A file the user chose to compare with is a policy even where the settings would not detect it.
    return openPolicyDocument(text, explicit ? { ...options, detectByContent: true } : options);
  }

  async function review(params: ReviewParams): Promise<ReviewResult> {
    const base = params.base;
    const baseDoc = base && !base.missing ? await open(base.uri, base.text, true) : undefined;
    // After the base: an open document's cached policies are read from the next version when one
    // comes (`openPolicyDocument`'s `previous`), so they are taken last, with no wait before the review.
    const nextDoc = await open(params.uri, undefined, false);
    return reviewDocument({
      kind: params.kind,
      next: { doc: nextDoc, label: baseName(params.uri), uri: params.uri },
      ...(base ? { base: { doc: baseDoc, label: base.label, ...(base.text === undefined ? { uri: base.uri } : {}), ...(base.missing ? { missing: true } : {}) } } : {}),
      ...(params.policy !== undefined ? { policy: params.policy } : {}),
      ...(params.offset !== undefined ? { offset: params.offset } : {}),
    });
  }

  connection.onRequest(ReviewRequest.type, (params, token) => {
    if (!validParams(params)) return problem('explain', 'The review request needs a kind (explain or diff) and a document URI.');
    return runSafeAsync(logger, () => review(params), problem(params.kind, 'The review failed; the "IoT Policy Language Server" output says why.'), 'Error while reviewing a policy', token);
  });
}
