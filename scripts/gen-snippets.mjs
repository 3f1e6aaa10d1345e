// Snippets for policies in CloudFormation templates, generated from the policy snippets
// (snippets/iot-policy.json, the single source of the best-practice policies and statements):
//
// - snippets/cloudformation-yaml.json: an `AWS::IoT::Policy` resource for each best-practice
//   policy, and each statement as a list item, in YAML with `!Sub`;
// - snippets/cloudformation-json.json: the same in JSON with `{"Fn::Sub": ...}`.
//
// ARNs take `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` instead of the region
// and account tab stops, and policy variables the `Fn::Sub` escape `${!iot:...}`.
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
  return [[OUT_YAML, yaml], [OUT_JSON, json]];
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, snippets] of generate()) {
  const text = JSON.stringify(snippets, null, 2) + '\n';
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
if (!check) console.log('Generated the CloudFormation snippets from snippets/iot-policy.json');
process.exitCode = stale ? 1 : 0;
