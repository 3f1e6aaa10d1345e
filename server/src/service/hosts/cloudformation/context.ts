/**
 * What a template's policy becomes for given inputs (the CLI's `--region`, `--account`,
 * `--partition` and `--parameter Name=Value`): pseudo parameters, parameters (their `Default`
 * when not given), the template's `Conditions` evaluated from those values, and its `Mappings`.
 */
import type { DeployInputs } from '../../inputs';
import { nodeValue, type PolicyNode } from '../../policy/tree';
import { parseJsonText } from '../json/parse';
import { parseYaml } from '../yaml/tree';
import { intrinsicOf } from './intrinsics';
import type { TemplateOptions } from './template';

/** The partition a region belongs to. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

function child(obj: PolicyNode | undefined, key: string): PolicyNode | undefined {
  if (obj?.type !== 'object') return undefined;
  return obj.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

/** The pseudo parameters the inputs give (`AWS::Region`, ...); the partition follows the region. */
export function pseudoParameters(inputs: DeployInputs): Map<string, string> {
  const values = new Map<string, string>();
  if (inputs.region) values.set('AWS::Region', inputs.region);
  if (inputs.account) values.set('AWS::AccountId', inputs.account);
  const partition = inputs.partition ?? (inputs.region ? partitionOf(inputs.region) : undefined);
  if (partition) {
    values.set('AWS::Partition', partition);
    values.set('AWS::URLSuffix', partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');
  }
  return values;
}

/** The values and conditions a template's policies are resolved with, for the given inputs. */
export function templateOptions(text: string, inputs: DeployInputs): TemplateOptions {
  const root = text.trimStart().startsWith('{') ? parseJsonText(text).root : parseYaml(text).root;
  const values = pseudoParameters(inputs);
  const params = child(root, 'Parameters');
  for (const p of params?.children ?? []) {
    const name = String(p.children?.[0]?.value ?? '');
    const def = child(p.children?.[1], 'Default');
    if (def && (def.type === 'string' || def.type === 'number' || def.type === 'boolean')) values.set(name, String(def.value));
  }
  for (const [k, v] of inputs.parameters ?? []) values.set(k, v);

  const mappingsNode = child(root, 'Mappings');
  const mappings = mappingsNode ? (nodeValue(mappingsNode) as Record<string, unknown>) : undefined;

  // Conditions, each evaluated once, from the values and from each other.
  const definitions = child(root, 'Conditions');
  const conditions = new Map<string, boolean>();
  const evaluating = new Set<string>();
  const condition = (name: string): boolean | undefined => {
    if (conditions.has(name)) return conditions.get(name);
    if (evaluating.has(name)) return undefined;
    evaluating.add(name);
    const v = truth(child(definitions, name));
    evaluating.delete(name);
    if (v !== undefined) conditions.set(name, v);
    return v;
  };
  const scalar = (n: PolicyNode | undefined): string | undefined => {
    if (n?.type === 'string' || n?.type === 'number' || n?.type === 'boolean') return String(n.value);
    const fn = intrinsicOf(n);
    if (fn?.name === 'Ref' && fn.arg?.type === 'string') return values.get(String(fn.arg.value));
    return undefined;
  };
  function truth(n: PolicyNode | undefined): boolean | undefined {
    const fn = intrinsicOf(n);
    if (!fn) return undefined;
    const args = fn.arg?.type === 'array' ? fn.arg.children ?? [] : [];
    switch (fn.name) {
      case 'Fn::Equals': {
        const [a, b] = args.map(scalar);
        return a === undefined || b === undefined ? undefined : a === b;
      }
      case 'Fn::Not': {
        const v = truth(args[0]);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And': {
        const vs = args.map(truth);
        return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true;
      }
      case 'Fn::Or': {
        const vs = args.map(truth);
        return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false;
      }
      case 'Condition':
        return fn.arg?.type === 'string' ? condition(String(fn.arg.value)) : undefined;
      default:
        return undefined;
    }
  }
  for (const p of definitions?.children ?? []) condition(String(p.children?.[0]?.value ?? ''));
  return { values, conditions, mappings, maxVariants: 1 };
}
