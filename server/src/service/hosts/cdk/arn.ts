/**
 * ARNs the CDK builds: `Stack.of(this).formatArn({ service, resource, resourceName })` and
 * `Arn.format(...)` (`format_arn(service=..., ...)` in Python) read as the string they render,
 * `arn:<partition>:<service>:<region>:<account>:<resource>/<resourceName>`, so that they are checked
 * like written ARNs: the parts written as literals are text at their place in the file, the
 * partition, region and account the stack fills in are opaque (or the values the caller knows).
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../text/span';
import type { StringBuilder } from '../strings';
import { appendPseudo, type CodeFile } from './file';
import { appendAt } from './literals';

/** The components of an ARN, by their TypeScript names. */
export interface ArnComponents {
  partition?: Node;
  service?: Node;
  region?: Node;
  account?: Node;
  resource?: Node;
  resourceName?: Node;
  /** `ArnFormat.COLON_RESOURCE_NAME`, ... */
  arnFormat?: Node;
  /** The legacy separator (`sep: ':'`). */
  sep?: Node;
}

const COMPONENTS: ReadonlySet<string> = new Set(['partition', 'service', 'region', 'account', 'resource', 'resourceName', 'arnFormat', 'sep']);

/** Whether a key names a component (as TypeScript spells it). */
export function isArnComponent(key: string): key is keyof ArnComponents {
  return COMPONENTS.has(key);
}

/** Python spells the components in snake case. */
export function arnComponentName(key: string): keyof ArnComponents | undefined {
  const k = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return isArnComponent(k) ? k : undefined;
}

export interface ArnReader {
  file: CodeFile;
  /** Appends a string expression; false (nothing appended) when it is not one. */
  append(n: Node, b: StringBuilder): boolean;
  /** The last name of a member expression (`ArnFormat.COLON_RESOURCE_NAME` → `COLON_RESOURCE_NAME`). */
  memberName(n: Node): string | undefined;
  /** The text of a string literal, when `n` is one. */
  literal(n: Node): string | undefined;
}

/**
 * Appends the ARN of `parts`. The text it adds itself (`arn:`, the colons, the `/`) is zero-width
 * right after the part before it (so a finding on `topic` ends where the literal does), `arn:` at
 * `at`.
 */
export function appendArn(r: ArnReader, parts: ArnComponents, at: Span, b: StringBuilder): void {
  const fixed = (s: string): void => {
    const end = b.endOffset >= 0 ? b.endOffset : at.offset;
    appendAt(b, s, end, end);
  };
  const part = (n: Node | undefined, pseudo?: string): void => {
    if (n) {
      if (!r.append(n, b)) b.unknown({ offset: n.startIndex, length: n.endIndex - n.startIndex }, r.file.text.slice(n.startIndex, n.endIndex));
    } else if (pseudo) appendPseudo(b, r.file, pseudo, at, pseudo);
  };
  fixed('arn:');
  part(parts.partition, 'AWS::Partition');
  fixed(':');
  part(parts.service);
  fixed(':');
  part(parts.region, 'AWS::Region');
  fixed(':');
  part(parts.account, 'AWS::AccountId');
  fixed(':');
  part(parts.resource);
  if (!parts.resourceName) return;
  const format = parts.arnFormat ? r.memberName(parts.arnFormat) : undefined;
  if (format === 'NO_RESOURCE_NAME') return;
  const sep = parts.sep ? r.literal(parts.sep) : undefined;
  if (parts.sep && sep === undefined) b.unknown({ offset: parts.sep.startIndex, length: parts.sep.endIndex - parts.sep.startIndex }, 'sep');
  else fixed(format === 'COLON_RESOURCE_NAME' ? ':' : sep ?? '/');
  part(parts.resourceName);
}
