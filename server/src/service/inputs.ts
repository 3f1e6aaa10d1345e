/**
 * What a template, Terraform file or CDK stack leaves to deploy time, given for an evaluation
 * (the CLI's `--region`, `--account`, `--partition`, `--parameter`, `--var`, and a test file's
 * `"inputs"`), and what remains unknown once they are applied.
 */
import type { PolicyModel } from './policy/model';
import type { PolicyNode } from './policy/tree';

export interface DeployInputs {
  region?: string;
  account?: string;
  partition?: string;
  /** CloudFormation parameters, and values for `Ref`, `Fn::GetAtt` (`Logical.Attr`) and `Fn::ImportValue`. */
  parameters?: ReadonlyMap<string, string>;
  /** Terraform input variables (`var.<name>`). */
  vars?: ReadonlyMap<string, string>;
}

/**
 * The values a policy still leaves unknown (its opaque values' labels, each once, in document
 * order): an evaluation on them would be a guess.
 */
export function unknownValues(model: PolicyModel): string[] {
  const out = new Set<string>();
  const stack: PolicyNode[] = model.root ? [model.root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'opaque') out.add(n.label ?? 'a value unknown before deploy');
    else if (n.type === 'string') for (const o of model.stringOf(n).opaque) out.add(o.label);
    for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]);
  }
  return [...out];
}
