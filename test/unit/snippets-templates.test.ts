/**
 * The CloudFormation snippets (snippets/cloudformation-{yaml,json}.json), generated from the
 * policy snippets by scripts/gen-snippets.mjs: up to date, and every one, expanded with its
 * defaults and placed in a template, reads as a template policy with no error or warning, with
 * its ARNs in `Fn::Sub` and its policy variables escaped.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { analyzeDocument } from '../../server/src/service';
import { parseTemplate } from '../../server/src/service/hosts/cloudformation/template';
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
  const doc = parseTemplate(text, file);
  assert.ok(doc, `${file} is a template`);
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
});
