/**
 * The Terraform host: `aws_iot_policy` resources in `.tf` and `.tf.json` files.
 * (Being written; until then no Terraform file is read.)
 */
import type { PolicyDocument } from '../../document';

export interface TerraformOptions {
  /** Known values of `var.<name>` (the CLI's `--var name=value`). */
  vars?: ReadonlyMap<string, string>;
}

/** Whether a path is a Terraform file this host reads. */
export function isTerraformPath(path: string): boolean {
  return /\.tf(\.json)?$/i.test(path);
}

/** The policies of a Terraform file; undefined when its grammar is not loaded yet or it holds none. */
export function terraformDocument(_text: string, _path: string, _options?: TerraformOptions): PolicyDocument | undefined {
  return undefined;
}
