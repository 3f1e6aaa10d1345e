/**
 * `iot-policy lint --fix` and `--fix-dry-run`: the editor's Fix all from the command line.
 * Every rule with a fix, on its docs page's Bad example in the host its fence names: the safe
 * fixes are written (equal to the Good example where that is the fix's result), a second run has
 * nothing left to fix, and rules whose fixes are not safe leave the file as it was. Then the
 * hosts' syntax, line endings and final newline, linked files, read-only files, symbolic links
 * and the diff.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ALL_RULES } from '../../server/src/service';
import { loadGrammars } from '../util/grammars';
import { ruleDoc, ruleExample } from '../util/ruleDocs';
import { cli } from '../util/cli';
import { tempProject } from '../util/project';

/**
 * Good examples that are not the text the fix writes, and why; for these the test checks that no
 * finding of the rule remains instead.
 */
const GOOD_IS_ANOTHER_POLICY: Readonly<Record<string, string>> = {
  'duplicate-value': 'the fix keeps the one-item array; Good writes the action as a string',
  'connect-without-attached-thing': 'the fix adds the condition; Good also writes single values without arrays',
  'sub-variable-not-escaped': 'the fix escapes the variable; Good also scopes the client id to the thing',
  'escape-outside-sub': 'the fix removes the `!`; Good also adds a Connect statement',
};

/** Fixes write the configured region and account (as rule-fixes.test.ts sets them). */
const CONFIG = JSON.stringify({ defaults: { region: 'eu-west-1', accountId: '493812760155' } });

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'fix' });

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

describe('lint --fix on every rule\'s docs Bad example', () => {
  before(() => loadGrammars('hcl', 'typescript', 'python'));
  const withFix = ALL_RULES.filter((r) => r.fix);
  const fixed: string[] = [];

  for (const rule of withFix) {
    const id = rule.meta.id;
    it(`${id}: safe fixes are written, a second run finds nothing to fix`, async () => {
      const md = ruleDoc(id);
      const bad = ruleExample(md, 'Bad');
      const good = ruleExample(md, 'Good');
      assert.ok(bad, 'a Bad example in a fence a host reads');
      const root = project({ [bad.file]: bad.text, 'iot-policy.config.json': CONFIG });
      const before = await cli(root, ['lint', '-f', 'json', bad.file]);
      const found = (JSON.parse(before.stdout) as { findings: { ruleId: string }[] }[])[0].findings.filter((f) => f.ruleId === id).length;
      assert.ok(found > 0, `the Bad example reports ${id}`);

      const r = await cli(root, ['lint', '--fix', bad.file]);
      const after = read(root, bad.file);
      if (after === bad.text) {
        // No safe fix: nothing written, the finding is still reported and still decides the exit code.
        assert.doesNotMatch(r.stdout, /^Fixed /m);
        assert.match(r.stdout, new RegExp(`\\[${id}\\]$`, 'm'));
        return;
      }
      fixed.push(id);
      assert.match(r.stdout, /^Fixed [1-9]\d* problems? in 1 file\.$/m);
      assert.doesNotMatch(r.stdout, new RegExp(`\\[${id}\\]$`, 'm'), 'the fixed finding is gone');
      if (good && !GOOD_IS_ANOTHER_POLICY[id]) assert.equal(after, good.text, 'the fixed text is the Good example');
      // A second run: nothing left to fix, nothing changes.
      const again = await cli(root, ['lint', '--fix-dry-run', bad.file]);
      assert.equal(again.stdout, '', 'no diff on the second run');
      assert.match(again.stderr, /--fix would change nothing\./);
      const plain = await cli(root, ['lint', bad.file]);
      assert.doesNotMatch(plain.stdout, /can be fixed with --fix/);
      assert.equal(read(root, bad.file), after);
    });
  }

  it('fixes at least the rules whose safe fixes the editor applies on their examples', () => {
    // The Fix all of the editor applies these; --fix must too (the list grows with new safe fixes).
    for (const id of ['missing-version', 'invalid-effect', 'unknown-action', 'action-case', 'arn-placeholder', 'pseudo-parameter-outside-sub', 'terraform-variable-not-escaped', 'fstring-variable-not-escaped']) {
      assert.ok(fixed.includes(id), `${id} was not fixed (fixed: ${fixed.join(', ')})`);
    }
  });
});

const CONNECT = '{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingName}", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}}';
const PUBLISH = '{"Effect": "Allow", "Action": "iot:publish", "Resource": "arn:aws:iot:eu-west-1:493812760155:topic/t/${iot:Connection.Thing.ThingName}"}';

/** A policy whose one problem (`iot:publish`, action-case) has a safe fix. */
function fixable(eol = '\n', finalNewline = true): string {
  const text = ['{', '  "Version": "2012-10-17",', '  "Statement": [', `    ${CONNECT},`, `    ${PUBLISH}`, '  ]', '}'].join(eol);
  return finalNewline ? text + eol : text;
}

describe('lint --fix: files as they are written', () => {
  before(() => loadGrammars('hcl', 'typescript', 'python'));

  it('keeps CRLF line endings and a missing final newline; changes only the fixed text', async () => {
    const root = project({ 'crlf.iot-policy.json': fixable('\r\n', false), 'lf.iot-policy.json': fixable('\n', true) });
    const r = await cli(root, ['lint', '--fix', 'crlf.iot-policy.json', 'lf.iot-policy.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(read(root, 'crlf.iot-policy.json'), fixable('\r\n', false).replace('iot:publish', 'iot:Publish'));
    assert.equal(read(root, 'lf.iot-policy.json'), fixable('\n', true).replace('iot:publish', 'iot:Publish'));
    assert.match(r.stdout, /^Fixed 2 problems in 2 files\.$/m);
  });

  it('keeps the file\'s permissions, and leaves no temporary file behind', async () => {
    const root = project({ 'p.iot-policy.json': fixable() });
    fs.chmodSync(path.join(root, 'p.iot-policy.json'), 0o640);
    await cli(root, ['lint', '--fix', '.']);
    assert.equal(fs.statSync(path.join(root, 'p.iot-policy.json')).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(root).sort(), ['.git', 'p.iot-policy.json']);
  });

  it('a read-only file is reported and left unchanged; the other files are still fixed (exit 2)', async () => {
    const root = project({ 'locked.iot-policy.json': fixable(), 'open.iot-policy.json': fixable() });
    fs.chmodSync(path.join(root, 'locked.iot-policy.json'), 0o444);
    const r = await cli(root, ['lint', '--fix', 'locked.iot-policy.json', 'open.iot-policy.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write locked\.iot-policy\.json: it is read-only; left unchanged/);
    assert.equal(read(root, 'locked.iot-policy.json'), fixable());
    assert.equal(read(root, 'open.iot-policy.json'), fixable().replace('iot:publish', 'iot:Publish'));
    // The read-only file's finding is still reported: it is still there.
    assert.match(r.stdout, /^locked\.iot-policy\.json:\d+:\d+ hint .*\[action-case\]$/m);
    assert.doesNotMatch(r.stdout, /^open\.iot-policy\.json:/m);
  });

  it('never writes through a symbolic link that leads out of the working directory', async () => {
    const outside = project({ 'victim.iot-policy.json': fixable() });
    const root = project({ 'inside.iot-policy.json': fixable() });
    fs.symlinkSync(path.join(outside, 'victim.iot-policy.json'), path.join(root, 'link.iot-policy.json'));
    fs.symlinkSync(path.join(root, 'inside.iot-policy.json'), path.join(root, 'alias.iot-policy.json'));
    const r = await cli(root, ['lint', '--fix', 'link.iot-policy.json', 'alias.iot-policy.json']);
    assert.match(r.stderr, /cannot write link\.iot-policy\.json: it is reached through a symbolic link that leads out of the working directory/);
    assert.equal(read(outside, 'victim.iot-policy.json'), fixable());
    // A link inside the folder: the file it names is fixed, and the link stays a link.
    assert.equal(read(root, 'inside.iot-policy.json'), fixable().replace('iot:publish', 'iot:Publish'));
    assert.ok(fs.lstatSync(path.join(root, 'alias.iot-policy.json')).isSymbolicLink());
  });

  it('a CloudFormation JSON template keeps its JSON; a YAML template its YAML', async () => {
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { DevicePolicy: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [JSON.parse(CONNECT), JSON.parse(PUBLISH)] } } } },
    }, null, 4) + '\n';
    const yaml = [
      "AWSTemplateFormatVersion: '2010-09-09'", 'Resources:', '  DevicePolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:',
      "        Version: '2012-10-17'", '        Statement:', '          - Effect: Allow', '            Action: iot:publish', '            Resource: "*"  # any topic', '',
    ].join('\n');
    const root = project({ 'stack.template.json': json, 'stack.yaml': yaml });
    const r = await cli(root, ['lint', '--fix', '--rule', 'overly-permissive=off,missing-dependent-action=off', 'stack.template.json', 'stack.yaml']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(read(root, 'stack.template.json'), json.replace('iot:publish', 'iot:Publish'));
    assert.equal(read(root, 'stack.yaml'), yaml.replace('iot:publish', 'iot:Publish'));
  });

  it('Terraform: the policy file a file() names is fixed in its own file; the .tf keeps its HCL', async () => {
    const tf = [
      'resource "aws_iot_policy" "device" {', '  name   = "device"', '  policy = file("${path.module}/policies/device.json")', '}',
      'resource "aws_iot_policy" "inline" {', '  name = "inline"', '  policy = jsonencode({', '    Version = "2012-10-17"',
      '    Statement = [{ Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:eu-west-1:493812760155:client/${iot:ClientId}" }]', '  })', '}', '',
    ].join('\n');
    const root = project({ 'infra/main.tf': tf, 'infra/policies/device.json': fixable() });
    const r = await cli(path.join(root, 'infra'), ['lint', '--fix', '-f', 'json', 'main.tf']);
    assert.equal(read(root, 'infra/policies/device.json'), fixable().replace('iot:publish', 'iot:Publish'));
    assert.equal(read(root, 'infra/main.tf'), tf.replace('${iot:ClientId}', () => '$${iot:ClientId}'));
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file.split(path.sep).join('/'));
    assert.deepEqual(files, ['main.tf', 'policies/device.json']);
  });

  it('CDK TypeScript: the fix is written in the stack\'s own syntax', async () => {
    const ts = [
      "import * as iot from 'aws-cdk-lib/aws-iot';",
      "new iot.CfnPolicy(this, 'DevicePolicy', {",
      '  policyDocument: {',
      "    Version: '2012-10-17',",
      "    Statement: [{ Effect: 'Allow', Action: 'iot:publish', Resource: 'arn:aws:iot:eu-west-1:493812760155:topic/t' }],",
      '  },',
      '});',
      '',
    ].join('\n');
    const root = project({ 'lib/stack.ts': ts });
    await cli(root, ['lint', '--fix', 'lib/stack.ts']);
    assert.equal(read(root, 'lib/stack.ts'), ts.replace("'iot:publish'", "'iot:Publish'"));
  });

  it('--fix-dry-run prints a unified diff, writes nothing, and exits as --fix would', async () => {
    const root = project({ 'p.iot-policy.json': fixable(), 'broken.iot-policy.json': '{"Version": "2012-10-17", "Statement": [' });
    const r = await cli(root, ['lint', '--fix-dry-run', 'p.iot-policy.json', 'broken.iot-policy.json']);
    assert.equal(read(root, 'p.iot-policy.json'), fixable());
    assert.equal(r.stdout, [
      '--- a/p.iot-policy.json',
      '+++ b/p.iot-policy.json',
      '@@ -2,6 +2,6 @@',
      '   "Version": "2012-10-17",',
      '   "Statement": [',
      `     ${CONNECT},`,
      `-    ${PUBLISH}`,
      `+    ${PUBLISH.replace('iot:publish', 'iot:Publish')}`,
      '   ]',
      ' }',
      '',
    ].join('\n'));
    assert.match(r.stderr, /--fix would fix 1 problem in 1 file \(the diff above\)\./);
    // The broken file keeps its error: exit 1, as after --fix.
    assert.equal(r.code, 1);
    const written = await cli(root, ['lint', '--fix', 'p.iot-policy.json', 'broken.iot-policy.json']);
    assert.equal(written.code, 1);
  });

  it('a plain run says how many problems --fix would fix', async () => {
    const root = project({ 'p.iot-policy.json': fixable() });
    const r = await cli(root, ['lint', 'p.iot-policy.json']);
    assert.match(r.stdout, /^1 problem can be fixed with --fix \(--fix-dry-run shows the changes\)\.$/m);
    assert.equal(read(root, 'p.iot-policy.json'), fixable());
  });

  it('--fix and --fix-dry-run together are a usage error', async () => {
    const r = await cli(os.tmpdir(), ['lint', '--fix', '--fix-dry-run', 'x.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--fix and --fix-dry-run cannot be used together/);
  });
});
