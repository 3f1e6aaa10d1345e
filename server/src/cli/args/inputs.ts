/**
 * `--region`, `--account`, `--partition`, `--parameter Name=Value` and `--var name=value`: what a
 * template, Terraform file or CDK stack leaves to deploy time, for eval and test.
 */
import type { DeployInputs } from '../../service';

/** Partitions AWS has (a region's partition follows from its name). */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

export interface InputFlags {
  region?: string;
  account?: string;
  partition?: string;
  parameters: Map<string, string>;
  vars: Map<string, string>;
}

export function emptyInputs(): InputFlags {
  return { parameters: new Map(), vars: new Map() };
}

/** True when `flag` is one of the input flags. */
export function isInputFlag(flag: string): boolean {
  return flag === '--region' || flag === '--account' || flag === '--partition' || flag === '--parameter' || flag === '--var';
}

/** Reads an input flag's value into `into`; returns a usage error, or undefined when it is good. */
export function readInputFlag(flag: string, value: string, into: InputFlags): string | undefined {
  switch (flag) {
    case '--region':
      if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) return `--region "${value}" is not a region name (for example eu-west-1)`;
      into.region = value;
      return undefined;
    case '--account':
      if (!/^\d{12}$/.test(value)) return `--account "${value}" is not a 12-digit account ID`;
      into.account = value;
      return undefined;
    case '--partition':
      if (!PARTITIONS.includes(value)) return `--partition "${value}" is not a partition (${PARTITIONS.join(', ')})`;
      into.partition = value;
      return undefined;
    default: {
      const eq = value.indexOf('=');
      const what = flag === '--var' ? 'name=value' : 'Name=Value';
      if (eq <= 0) return `${flag} "${value}": expected ${what}`;
      (flag === '--var' ? into.vars : into.parameters).set(value.slice(0, eq), value.slice(eq + 1));
      return undefined;
    }
  }
}

/** The help lines of the input flags. */
export const INPUT_USAGE: readonly string[] = [
  'Policies in templates, Terraform files and CDK stacks (FILE#ID names one of several):',
  '  --region REGION       AWS::Region (and the partition it belongs to).',
  '  --account ID          AWS::AccountId, 12 digits.',
  '  --partition NAME      AWS::Partition, when the region does not decide it.',
  '  --parameter N=V       A template parameter (its Default is used otherwise), or the value of a',
  '                        Ref, Fn::GetAtt (Logical.Attr) or Fn::ImportValue (export name). Repeatable.',
  '  --var NAME=VALUE      A Terraform input variable (its default is used otherwise). Repeatable.',
  '  The template\'s Conditions are evaluated from these; Fn::FindInMap reads its Mappings.',
  '  A value the policy needs and nobody gives is named, and nothing is decided (exit 2).',
];

/** Inputs as the library takes them: `over` (a test file's own) wins over `base` (the flags). */
export function toDeployInputs(base: InputFlags, over?: DeployInputs): DeployInputs {
  return {
    region: over?.region ?? base.region,
    account: over?.account ?? base.account,
    partition: over?.partition ?? base.partition,
    parameters: new Map([...base.parameters, ...(over?.parameters ?? [])]),
    vars: new Map([...base.vars, ...(over?.vars ?? [])]),
  };
}
