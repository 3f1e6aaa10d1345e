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
  /** The CDK construct path from `Metadata.aws:cdk:path` (synthesized templates), shown in messages. */
  constructPath?: string;
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
   * Files a policy of this document names and that were read by the caller's file reader
   * (Terraform's `file()` and `templatefile()`, a CDK stack's `fs.readFileSync`), each analysed as
   * its own document: their findings belong to those files.
   */
  linked?: LinkedDocument[];
}

/** A file a policy names, read and analysed as its own document. */
export interface LinkedDocument {
  /** The path as resolved from the naming document's own path. */
  path: string;
  /** The policy that names it (`aws_iot_policy.device`, a construct id). */
  name: string;
  /** Where the naming document names it (the `file(...)` call). */
  span: Span;
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
