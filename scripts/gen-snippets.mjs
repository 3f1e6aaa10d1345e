// Snippets for policies where they are written, generated from the policy snippets
// (snippets/iot-policy.json, the single source of the best-practice policies and statements):
//
// - snippets/cloudformation-yaml.json: an `AWS::IoT::Policy` resource for each best-practice
//   policy, and each statement as a list item, in YAML with `!Sub`;
// - snippets/cloudformation-json.json: the same in JSON with `{"Fn::Sub": ...}`;
// - snippets/terraform.json: an `aws_iot_policy` resource for each policy, in `jsonencode` form,
//   policy variables escaped as `$${iot:...}`;
// - snippets/cdk-typescript.json and snippets/cdk-python.json: a `CfnPolicy` for each policy,
//   ARNs in a template literal (`\${iot:...}`) or an f-string (`${{iot:...}}`) with `Aws.REGION`.
//
// In templates, ARNs take `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` instead of
// the region and account tab stops, and policy variables the `Fn::Sub` escape `${!iot:...}`.
//
//   node scripts/gen-snippets.mjs          write the files
//   node scripts/gen-snippets.mjs --check  exit 1 when a file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'snippets/iot-policy.json');
const OUT_YAML = path.join(ROOT, 'snippets/cloudformation-yaml.json');
const OUT_JSON = path.join(ROOT, 'snippets/cloudformation-json.json');
const OUT_TERRAFORM = path.join(ROOT, 'snippets/terraform.json');
const OUT_TS = path.join(ROOT, 'snippets/cdk-typescript.json');
const OUT_PY = path.join(ROOT, 'snippets/cdk-python.json');
// The server offers the Terraform resources itself, where no editor snippet reaches (plain-text
// `.tf` files, editors other than VS Code).
const OUT_SERVER = path.join(ROOT, 'server/src/service/features/completion/resourceSnippets.ts');

/** Policy variable prefixes (what `Fn::Sub` would read as a reference unless escaped). */
const POLICY_VARIABLE = /\\\$\{((?:iot|aws|cognito-identity\.amazonaws\.com|credentials-iot):)/g;

/** A snippet string of the source, rewritten for `Fn::Sub`: pseudo parameters and escapes. */
function forSub(s) {
  return s
    .replace(/^arn:aws:/, 'arn:\\${AWS::Partition}:')
    .replace(/\$\{1:[^}]*\}/g, '\\${AWS::Region}')
    .replace(/\$\{2:[^}]*\}/g, '\\${AWS::AccountId}')
    .replace(POLICY_VARIABLE, '\\${!$1');
}

/** The text a snippet string shows with every tab stop at its default (`\$` is `$`). */
function expanded(s) {
  return s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\\\$/g, '$');
}

const needsSub = (s) => /^arn:/.test(s) && (s.includes('${1:') || s.includes('${2:') || /\\\$\{/.test(s));

/** A YAML scalar for a snippet string: plain when the text it expands to reads back as itself, else single-quoted. */
function yamlScalar(s) {
  const text = expanded(s);
  const plain = text !== '' && /^[A-Za-z0-9_./*:${}!+@-]+$/.test(text) && !/^[-?:!*&{}[\]@]/.test(text) && !/:$/.test(text)
    && !/^(true|false|null|yes|no|on|off|y|n|~|[-+]?\d[\d._]*([eE][-+]?\d+)?)$/i.test(text)
    // YAML 1.1 readers (CloudFormation's among them) take `2012-10-17` for a date.
    && !/^\d{4}-\d\d?-\d\d?/.test(text);
  return plain ? s : `'${s.replace(/'/g, "''")}'`;
}

function yamlValue(v, indent) {
  if (typeof v === 'string') return needsSub(v) ? `!Sub ${yamlScalar(forSub(v))}` : yamlScalar(v);
  if (Array.isArray(v)) return v.map((x) => `\n${indent}- ${yamlBlock(x, `${indent}  `).replace(/^\n\s*/, '')}`).join('');
  return Object.entries(v).map(([k, x]) => `\n${indent}${yamlScalar(k)}:${typeof x === 'object' ? yamlValue(x, `${indent}  `) : ` ${yamlValue(x, indent)}`}`).join('');
}

function yamlBlock(v, indent) {
  return typeof v === 'object' ? yamlValue(v, indent) : yamlValue(v, indent);
}

/** A JSON string for a snippet string: its text is written as is (it holds no quote or backslash but `\$`). */
function jsonString(s) {
  if (/["\\](?!\$)/.test(s.replace(/\\\$/g, ''))) throw new Error(`cannot write ${s} as JSON`);
  return `"${s}"`;
}

function jsonValue(v, indent) {
  if (typeof v === 'string') return needsSub(v) ? `{ "Fn::Sub": ${jsonString(forSub(v))} }` : jsonString(v);
  const inner = `${indent}\t`;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + jsonValue(x, inner)).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(v).map(([k, x]) => `${inner}${jsonString(k)}: ${jsonValue(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** Renumbers tab stops (`$0` stays): `to(n)` is the new number of tab stop `n`. */
function renumber(s, to) {
  return s.replace(/(?<!\\)\$(\{)?([1-9]\d*)/g, (_, brace, n) => `$${brace ?? ''}${to(Number(n))}`);
}

/** A snippet string in a code string: region and account by the stack's own values, policy variables as `escape` writes them. */
function forCode(s, { region, account, partition, variable }) {
  return s
    .replace(/^arn:aws:/, `arn:${partition}:`)
    .replace(/\$\{1:[^}]*\}/g, region)
    .replace(/\$\{2:[^}]*\}/g, account)
    .replace(POLICY_VARIABLE, (_, prefix) => variable(prefix));
}

const HCL_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A policy value as HCL inside `jsonencode`, `$${iot:...}` for policy variables. */
function hclValue(v, indent) {
  if (typeof v === 'string') return `"${v.replace(POLICY_VARIABLE, '\\$\\${$1')}"`;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + hclValue(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v);
  const width = Math.max(...entries.map(([k]) => (HCL_KEY.test(k) ? k : `"${k}"`).length));
  return `{\n${entries.map(([k, x]) => `${inner}${(HCL_KEY.test(k) ? k : `"${k}"`).padEnd(typeof x === 'object' ? 0 : width)} = ${hclValue(x, inner)}`).join('\n')}\n${indent}}`;
}

const TS_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const TS_ARN = { partition: '\\${cdk.Aws.PARTITION}', region: '\\${cdk.Aws.REGION}', account: '\\${cdk.Aws.ACCOUNT_ID}', variable: (p) => `\\\\\\\${${p}` };

/** A policy value as a TypeScript object literal; ARNs as template literals. */
function tsValue(v, indent) {
  if (typeof v === 'string') return needsSub(v) ? `\`${forCode(v, TS_ARN)}\`` : `'${v}'`;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => `${inner}${tsValue(x, inner)},`).join('\n')}\n${indent}]`;
  return `{\n${Object.entries(v).map(([k, x]) => `${inner}${TS_KEY.test(k) ? k : `'${k}'`}: ${tsValue(x, inner)},`).join('\n')}\n${indent}}`;
}

const PY_ARN = { partition: '{Aws.PARTITION}', region: '{Aws.REGION}', account: '{Aws.ACCOUNT_ID}', variable: (p) => `\\\${{${p}` };

/** A policy value as a Python dict; ARNs as f-strings. */
function pyValue(v, indent) {
  if (typeof v === 'string') {
    if (!needsSub(v)) return `"${v}"`;
    // In an f-string, `}` of a policy variable is doubled too: `${{iot:ClientId}}`.
    return `f"${forCode(v, PY_ARN).replace(/(\$\{\{[^}]*)\}/g, '$1}}')}"`;
  }
  const inner = `${indent}    `;
  if (Array.isArray(v)) return `[\n${v.map((x) => `${inner}${pyValue(x, inner)},`).join('\n')}\n${indent}]`;
  return `{\n${Object.entries(v).map(([k, x]) => `${inner}"${k}": ${pyValue(x, inner)},`).join('\n')}\n${indent}}`;
}

/** `IoT policy: device on its own topics` → `DevicePolicy` style logical ids. */
function logicalId(prefix) {
  const words = prefix.replace(/^iot-policy-/, '').split('-');
  return words.map((w) => (w === 'v2' ? 'V2' : w[0].toUpperCase() + w.slice(1))).join('') + 'Policy';
}

/** Puts back the `\$` escapes in every string (keys too). */
function restore(v) {
  if (typeof v === 'string') return v.replace(/\uE000/g, '\\$');
  if (Array.isArray(v)) return v.map(restore);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [restore(k), restore(x)]));
}

function generate() {
  const source = JSON.parse(readFileSync(SOURCE, 'utf8'));
  const yaml = {};
  const json = {};
  const terraform = {};
  const ts = {};
  const py = {};
  for (const [name, s] of Object.entries(source)) {
    const body = (Array.isArray(s.body) ? s.body.join('\n') : s.body).replace(/\$0$/, '');
    const prefix = Array.isArray(s.prefix) ? s.prefix[0] : s.prefix;
    const isPolicy = prefix.startsWith('iot-policy-');
    // The source is JSON whose strings hold snippet syntax; statements may be several objects.
    // `\$` (a literal `$` in snippet syntax) is no JSON escape: parsed as a marker, then restored.
    const value = restore(JSON.parse((isPolicy ? body : `[${body}]`).replace(/\\\$/g, '\uE000')));
    const what = name.replace(/^IoT (policy|statements?): /, '');
    if (isPolicy) {
      const id = logicalId(prefix);
      const description = `An AWS::IoT::Policy resource: ${what}. ARNs with !Sub and \${AWS::Region}, policy variables escaped as \${!iot:...}. ${s.description ?? ''}`.trim();
      yaml[`CloudFormation: IoT policy resource, ${what}`] = {
        prefix: `cfn-${prefix}`,
        description,
        body: `\${1:${id}}:\n  Type: AWS::IoT::Policy\n  Properties:\n    PolicyDocument:${yamlValue(value, '      ')}\n$0`.split('\n'),
      };
      json[`CloudFormation: IoT policy resource, ${what}`] = {
        prefix: `cfn-${prefix}`,
        description: description.replace('with !Sub', 'with Fn::Sub'),
        body: `"\${1:${id}}": {\n\t"Type": "AWS::IoT::Policy",\n\t"Properties": {\n\t\t"PolicyDocument": ${jsonValue(value, '\t\t')}\n\t}\n}$0`.split('\n'),
      };
      const shifted = restore(JSON.parse(JSON.stringify(value).replace(/\\\\\$/g, '\uE000')));
      const snake = prefix.replace(/^iot-policy-/, '').replace(/-/g, '_');
      terraform[`Terraform: IoT policy resource, ${what}`] = {
        prefix: `tf-${prefix}`,
        description: `An aws_iot_policy resource: ${what}, in jsonencode form, policy variables escaped as $\${iot:...}. ${s.description ?? ''}`.trim(),
        body: `resource "aws_iot_policy" "\${1:${snake}}" {\n  name   = "\${2:${prefix.replace(/^iot-policy-/, '')}}"\n  policy = jsonencode(${renumber(hclValue(shifted, '  '), (n) => n + 2)})\n}\n$0`.split('\n'),
      };
      ts[`CDK: IoT CfnPolicy, ${what}`] = {
        prefix: `cdk-${prefix}`,
        description: `An iot.CfnPolicy construct: ${what}. ARNs in template literals with cdk.Aws.REGION, policy variables as \\\${iot:...}. ${s.description ?? ''}`.trim(),
        body: `new iot.CfnPolicy(this, '\${1:${id}}', {\n  policyDocument: ${renumber(tsValue(value, '  '), (n) => n - 1)},\n});\n$0`.split('\n'),
      };
      py[`CDK: IoT CfnPolicy, ${what}`] = {
        prefix: `cdk-${prefix}`,
        description: `An iot.CfnPolicy construct: ${what}. ARNs in f-strings with Aws.REGION, policy variables as $\{{iot:...}}. ${s.description ?? ''}`.trim(),
        body: `iot.CfnPolicy(\n    self,\n    "\${1:${id}}",\n    policy_document=${renumber(pyValue(value, '    '), (n) => n - 1)},\n)\n$0`.split('\n'),
      };
    } else {
      const description = `${name.replace(/^IoT /, 'CloudFormation: IoT ')} in a template's PolicyDocument, ARNs with Fn::Sub.`;
      yaml[`CloudFormation: ${name}`] = {
        prefix: `cfn-${prefix}`,
        description: description.replace('Fn::Sub', '!Sub'),
        body: `${value.map((st) => `- ${yamlValue(st, '  ').replace(/^\n\s*/, '')}`).join('\n')}\n$0`.split('\n'),
      };
      json[`CloudFormation: ${name}`] = {
        prefix: `cfn-${prefix}`,
        description,
        body: `${value.map((st) => jsonValue(st, '')).join(',\n')}$0`.split('\n'),
      };
    }
  }
  return [[OUT_YAML, yaml], [OUT_JSON, json], [OUT_TERRAFORM, terraform], [OUT_TS, ts], [OUT_PY, py]];
}

/** The Terraform snippets as a module of the server (generated, like the snippet files). */
function serverModule(terraform) {
  const items = Object.entries(terraform).map(([name, s]) => ({ label: name.replace(/^Terraform: IoT policy resource, /, 'aws_iot_policy: '), prefix: s.prefix, description: s.description, body: s.body.join('\n') }));
  return [
    '/**',
    ' * `aws_iot_policy` resources for each best-practice policy, offered by the server at the top level',
    ' * of a Terraform file where no editor snippet reaches (plain-text `.tf` files, other editors).',
    ' * Generated by scripts/gen-snippets.mjs from snippets/iot-policy.json: do not edit.',
    ' */',
    'export interface ResourceSnippet {',
    '  label: string;',
    '  prefix: string;',
    '  description: string;',
    '  /** Snippet syntax. */',
    '  body: string;',
    '}',
    '',
    `export const TERRAFORM_RESOURCE_SNIPPETS: readonly ResourceSnippet[] = ${JSON.stringify(items, null, 2)};`,
    '',
  ].join('\n');
}

const check = process.argv.includes('--check');
let stale = 0;
const outputs = generate();
for (const [file, snippets] of [...outputs, [OUT_SERVER, serverModule(outputs[2][1])]]) {
  const text = typeof snippets === 'string' ? snippets : JSON.stringify(snippets, null, 2) + '\n';
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // written below
  }
  if (old === text) continue;
  if (check) {
    console.error(`${path.relative(ROOT, file)} is out of date: run node scripts/gen-snippets.mjs`);
    stale++;
  } else writeFileSync(file, text);
}
if (!check) console.log('Generated the template, Terraform and CDK snippets from snippets/iot-policy.json');
process.exitCode = stale ? 1 : 0;
