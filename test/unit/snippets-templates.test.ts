/**
 * The snippets for templates, Terraform and CDK (snippets/cloudformation-{yaml,json}.json,
 * terraform.json, cdk-{typescript,python}.json), generated from the policy snippets by
 * scripts/gen-snippets.mjs: up to date, and every one, expanded with its defaults and placed in a
 * file of its kind, is read by that file's host with no error or warning, its ARNs and policy
 * variables written the way that syntax needs.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { analyzeDocument, openPolicyDocument, type PolicyDocument } from '../../server/src/service';
import { parseTemplate } from '../../server/src/service/hosts/cloudformation/template';
import { loadGrammars } from '../util/grammars';
import { expandSnippet } from '../util/snippets';

const ROOT = path.join(__dirname, '..', '..', '..');

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const load = (file: string): Record<string, Snippet> => JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>;
const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'iot-policy.json'), 'utf8')) as Record<string, unknown>;

function problems(text: string, file: string): string[] {
  const doc: PolicyDocument | undefined = /\.(tf|ts|py)$/.test(file)
    ? openPolicyDocument(text, { path: `/work/${file}`, policyGlobs: [], detectByContent: false })
    : parseTemplate(text, file);
  assert.ok(doc, `${file} is read by its host`);
  assert.ok(doc.policies.length >= 1, `a policy in\n${text}`);
  return analyzeDocument(doc)
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.ruleId} ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`);
}

const indent = (s: string, by: string): string => s.split('\n').map((l) => (l ? by + l : l)).join('\n');

describe('CloudFormation snippets', () => {
  it('are generated from the policy snippets and up to date', () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-snippets.mjs'), '--check'], { stdio: 'pipe' });
    assert.equal(Object.keys(load('cloudformation-yaml.json')).length, Object.keys(source).length);
    assert.equal(Object.keys(load('cloudformation-json.json')).length, Object.keys(source).length);
    const policies = Object.values(source).filter((x) => String((x as { prefix: string }).prefix).startsWith('iot-policy-')).length;
    for (const f of ['terraform.json', 'cdk-typescript.json', 'cdk-python.json']) assert.equal(Object.keys(load(f)).length, policies, f);
  });

  for (const [name, s] of Object.entries(load('cloudformation-yaml.json'))) {
    it(`YAML ${s.prefix}: a valid template policy, clean, in !Sub with \${!iot:...}`, () => {
      const body = expandSnippet(s.body.join('\n'));
      const isResource = s.prefix.startsWith('cfn-iot-policy-');
      const text = isResource
        ? `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${indent(body, '  ')}`
        : `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n${indent(body, '          ')}`;
      assert.deepEqual(parseDocument(text, { customTags: [{ tag: '!Sub', resolve: (x: string) => x }] }).errors.map((e) => e.message), [], text);
      assert.ok(!/\$\{iot:/.test(body), `${name}: policy variables are escaped`);
      assert.ok(/!Sub arn:\$\{AWS::Partition\}:iot:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/.test(body), `${name}: ARNs in !Sub`);
      // A statement alone may lack the Connect a dependent action needs (infos only); no error or warning.
      assert.deepEqual(problems(text, 'template.yaml'), [], text);
    });
  }

  for (const s of Object.values(load('cloudformation-json.json'))) {
    it(`JSON ${s.prefix}: a valid template policy, clean, in Fn::Sub`, () => {
      const body = expandSnippet(s.body.join('\n'));
      const isResource = s.prefix.startsWith('cfn-iot-policy-');
      const text = isResource
        ? `{\n"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {\n${body}\n}\n}\n`
        : `{\n"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [\n${body}\n]}}}}\n}\n`;
      assert.doesNotThrow(() => JSON.parse(text), text);
      assert.ok(!/\$\{iot:/.test(body));
      assert.match(body, /\{ "Fn::Sub": "arn:\$\{AWS::Partition\}:iot:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/);
      assert.deepEqual(problems(text, 'template.json'), [], text);
    });
  }

  before(() => loadGrammars('hcl', 'typescript', 'python'));

  for (const s of Object.values(load('terraform.json'))) {
    it(`Terraform ${s.prefix}: an aws_iot_policy in jsonencode, clean, with $\${iot:...}`, () => {
      const body = expandSnippet(s.body.join('\n'));
      assert.match(body, /^resource "aws_iot_policy" "[a-z_0-9]+" \{\n {2}name {3}= "[a-z0-9-]+"\n {2}policy = jsonencode\(\{/);
      assert.ok(!/[^$]\$\{iot:/.test(body), 'policy variables are escaped');
      assert.deepEqual(problems(body, 'main.tf'), [], body);
    });
  }

  for (const s of Object.values(load('cdk-typescript.json'))) {
    it(`CDK TypeScript ${s.prefix}: a CfnPolicy, clean, with \\\${iot:...} in template literals`, () => {
      const body = expandSnippet(s.body.join('\n'));
      const text = `import * as cdk from 'aws-cdk-lib';\nimport * as iot from 'aws-cdk-lib/aws-iot';\n\nexport class S extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n    super(scope, id);\n${indent(body, '    ')}\n  }\n}\n`;
      assert.match(body, /`arn:\$\{cdk\.Aws\.PARTITION\}:iot:\$\{cdk\.Aws\.REGION\}:\$\{cdk\.Aws\.ACCOUNT_ID\}:/);
      assert.deepEqual(problems(text, 'stack.ts'), [], text);
    });
  }

  for (const s of Object.values(load('cdk-python.json'))) {
    it(`CDK Python ${s.prefix}: a CfnPolicy, clean, with \${{iot:...}} in f-strings`, () => {
      const body = expandSnippet(s.body.join('\n'));
      const text = `from aws_cdk import Aws, Stack, aws_iot as iot\nfrom constructs import Construct\n\n\nclass S(Stack):\n    def __init__(self, scope: Construct, id: str) -> None:\n        super().__init__(scope, id)\n${indent(body, '        ')}\n`;
      assert.match(body, /f"arn:\{Aws\.PARTITION\}:iot:\{Aws\.REGION\}:\{Aws\.ACCOUNT_ID\}:/);
      assert.deepEqual(problems(text, 'app.py'), [], text);
    });
  }
});
