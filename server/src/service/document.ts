/**
 * A document as the features see it: the policies a host found in it, each with its model and the
 * writer that edits it in the file's own syntax, plus what the host has to say about the file
 * itself. A standalone policy file holds one policy; a template or a stack may hold many.
 */
import type { CompletionPlace } from './features/completion/place';
import type { PolicyWriter } from './fixes/types';
import type { PolicyModel } from './policy/model';
import type { RelatedFinding } from './findings';
import type { Span } from './text/span';

export interface PolicyEntry {
  /** Stable within the document: the logical id, resource address or construct id (`''` for a standalone policy). */
  key: string;
  /** Shown in the outline, messages and CLI output (`DevicePolicy`, `aws_iot_policy.device`); undefined for a standalone policy. */
  name?: string;
  /** More about where it is (`Stack/DevicePolicy/Resource` from CDK metadata). */
  detail?: string;
  /** Where the policy's resource or construct is in the document (for the outline). */
  span: Span;
  /** Span of its name (the logical id's key). */
  nameSpan?: Span;
  /**
   * Every range of the document the policy is written in, when it is not all inside `span` (a CDK
   * policy document held in a `const` above its construct): features find the policy at an offset
   * in any of them.
   */
  ranges?: Span[];
  model: PolicyModel;
  /**
   * More models of the same policy when the template chooses between values (`Fn::If`): each
   * branch is analysed. `model` is the first.
   */
  variants?: PolicyModel[];
  writer(): PolicyWriter;
  /** Where the cursor is for completion, read from the host's syntax. */
  place?(offset: number): CompletionPlace | undefined;
}

export interface PolicyDocument {
  text: string;
  /** The host that read it (`json`, `cloudformation`, `terraform`, `cdk`). */
  hostId: string;
  policies: PolicyEntry[];
  /** Problems of the file rather than of a policy (a syntax error that stops the analysis). */
  problems: FileProblem[];
  /** Parses a new text of the same document (fix verification). */
  reparse(text: string): PolicyDocument;
  /**
   * Policies the document reads from other files (a CDK stack's `JSON.parse(fs.readFileSync(...))`),
   * read by the caller's file reader: their findings belong to those files.
   */
  linked?: LinkedPolicyFile[];
}

/** A policy of another file that a document reads. */
export interface LinkedPolicyFile {
  /** The file's path, as the reader resolved it. */
  path: string;
  /** The name the reading document gives the policy (the construct id). */
  name: string;
  /** Where the document reads it. */
  span: Span;
  /** The file read as a standalone policy. */
  document: PolicyDocument;
}

/** A problem of the file, reported with a rule's message template. */
export interface FileProblem {
  ruleId: string;
  messageId: string;
  args: Record<string, unknown>;
  span: Span;
  related?: RelatedFinding[];
}

/** The policy whose span holds `offset`, if any. */
export function policyAt(doc: PolicyDocument, offset: number): PolicyEntry | undefined {
  if (doc.policies.length === 1 && doc.policies[0].key === '') return doc.policies[0];
  const inside = (s: Span): boolean => offset >= s.offset && offset <= s.offset + s.length;
  return doc.policies.find((p) => inside(p.span)) ?? doc.policies.find((p) => p.ranges?.some(inside));
}

/** Every model of a policy (its variants when the template chooses between values). */
export function modelsOf(entry: PolicyEntry): PolicyModel[] {
  return entry.variants ?? [entry.model];
}
