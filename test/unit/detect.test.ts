import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, looksLikeIotPolicy, matchesPolicyGlobs, mayBeIotPolicyText, parsePolicy, POLICY_FILE_GLOBS } from '../../server/src/service';

function isPolicy(text: string): boolean {
  return mayBeIotPolicyText(text) && looksLikeIotPolicy(parsePolicy(text));
}

test('IoT policies are detected by their actions', () => {
  assert.ok(isPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}]}'));
  assert.ok(isPolicy('{"Statement":{"Effect":"Allow","Action":["iotjobsdata:DescribeJobExecution"],"Resource":"*"}}'));
  assert.ok(isPolicy('{"Statement":[{"Effect":"Allow","Action":["greengrass:Discover"],"Resource":"*"}]}'));
  assert.ok(isPolicy('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:iot:eu-west-1:493812760155:topic/a"}]}'), 'bare * on IoT ARNs');
  assert.ok(isPolicy('{"Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*",}]}'), 'broken JSON is still detected');
});

test('other JSON is not an IoT policy', () => {
  assert.ok(!isPolicy('{"name":"x","version":"1.0.0","scripts":{"test":"node --test"}}'), 'package.json');
  assert.ok(!isPolicy('{"compilerOptions":{"strict":true}}'), 'tsconfig.json');
  assert.ok(!isPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}'), 'S3 IAM policy');
  assert.ok(!isPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'), 'admin IAM policy');
  assert.ok(!isPolicy('{"description":"mentions iot:Connect in a string","Statement":"none"}'));
});

test('policy file names match the default globs', () => {
  assert.ok(matchesPolicyGlobs('/w/device.iot-policy.json', POLICY_FILE_GLOBS));
  assert.ok(matchesPolicyGlobs('C:\\w\\sub\\a.iotpolicy.json', POLICY_FILE_GLOBS));
  assert.ok(!matchesPolicyGlobs('/w/package.json', POLICY_FILE_GLOBS));
  assert.ok(matchesPolicyGlobs('/w/policies/x.json', ['policies/*.json']));
  assert.ok(matchesPolicyGlobs('/w/a/b/policies/x.json', ['**/policies/{x,y}.json']));
});

test('globs match by segments, anchored or as a path suffix', () => {
  assert.ok(compileGlob('*.json', { anchored: true })('a.json'));
  assert.ok(!compileGlob('*.json', { anchored: true })('dir/a.json'), '* stays within a segment');
  assert.ok(compileGlob('**/*.json', { anchored: true })('dir/sub/a.json'));
  assert.ok(compileGlob('**/*.json', { anchored: true })('a.json'), '** matches zero segments');
  assert.ok(compileGlob('src/**/x?.json', { anchored: true })('src/a/b/x1.json'));
  assert.ok(!compileGlob('src/**/x?.json', { anchored: true })('src/a/b/x12.json'));
  assert.ok(compileGlob('policies/*.json')('/w/policies/x.json'), 'unanchored: any trailing part');
  assert.ok(!compileGlob('policies/*.json')('/w/policies/sub/x.json'));
});

test('hostile globs do not backtrack: many stars against long non-matching paths', () => {
  const path = Array.from({ length: 40 }, (_, i) => `seg${i}`).join('/');
  const long = 'a'.repeat(4000);
  // Each of these took seconds to minutes with a regular expression; here they are answered at once.
  assert.equal(compileGlob('**/'.repeat(30) + 'x.json')(path), false);
  assert.equal(compileGlob('*a'.repeat(40) + 'x')(long), false);
  assert.equal(compileGlob('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}*x')(long), false);
});
