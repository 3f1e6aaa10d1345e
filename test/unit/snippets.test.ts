/**
 * Snippets (snippets/iot-policy.json) and templates (snippets/templates.json).
 *
 * Every snippet is expanded the way VS Code would with the defaults accepted: placeholders take
 * their default, a bare tab stop mirrors the placeholder of the same number (or is empty), `$0`
 * is empty, `\$` is `$`. Whole policies are linted as they are; statement snippets are wrapped in
 * a policy (with the Connect statement they need) and linted. No error and no warning allowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { lint } from '../util/markers';
import { expandSnippet } from '../util/snippets';

const ROOT = path.join(__dirname, '..', '..', '..');

interface Snippet {
  scope?: string;
  prefix: string | string[];
  description: string;
  body: string | string[];
}
interface Template {
  id: string;
  name: string;
  description: string;
  snippet: string;
  body: string;
  text: string;
}

const snippets: Record<string, Snippet> = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'iot-policy.json'), 'utf8'));
const templates: { templates: Template[] } = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'templates.json'), 'utf8'));

const bodyOf = (s: Snippet): string => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const prefixOf = (s: Snippet): string => (Array.isArray(s.prefix) ? s.prefix[0] : s.prefix);

function strictParse(text: string): unknown {
  const errors: ParseError[] = [];
  const v = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  assert.deepEqual(errors, [], `not strict JSON:\n${text}`);
  return v;
}

const CONNECT_AS_THING = {
  Effect: 'Allow',
  Action: 'iot:Connect',
  Resource: 'arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingName}',
  Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
};

function actionsOf(statements: { Action?: string | string[] }[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));
}

/** Lints a policy text: no error and no warning. */
function assertClean(text: string, what: string) {
  const bad = lint(text).filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(
    bad.map((f) => `${f.severity} ${f.ruleId}: ${f.message} @ ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`),
    [],
    `${what} lints with problems:\n${text}`,
  );
}

test('snippet expansion helper: placeholders, mirrors, choices, escapes', () => {
  assert.equal(expandSnippet('a ${1:x} $1 ${2} $0 \\$aws \\${iot:ClientId} ${3|p,q|} ${4:outer ${5:inner}} $5'), 'a x x  \u0020$aws ${iot:ClientId} p outer inner inner');
  assert.equal(expandSnippet('${1:eu-west-1}:${1}', { 1: 'us-east-1' }), 'us-east-1:us-east-1');
  assert.equal(expandSnippet('a\\}b\\\\c'), 'a}b\\c');
  assert.throws(() => expandSnippet('${1:open'));
});

const names = Object.keys(snippets);

test('snippets: file shape, prefixes and scopes', () => {
  assert.ok(names.length >= 20, `${names.length} snippets`);
  const prefixes = new Set<string>();
  for (const name of names) {
    const s = snippets[name];
    assert.equal(s.scope, 'json,jsonc', name);
    assert.ok(s.description && s.description.length > 20, `${name}: description`);
    const prefix = prefixOf(s);
    assert.match(prefix, /^iot-(policy|stmt)-[a-z0-9-]+$/, name);
    assert.ok(!prefixes.has(prefix), `duplicate prefix ${prefix}`);
    prefixes.add(prefix);
    const body = bodyOf(s);
    // Region and account are the first two tab stops with realistic defaults.
    if (body.includes('arn:aws:iot:')) {
      assert.ok(body.includes('arn:aws:iot:${1:eu-west-1}:${2:493812760155}:'), `${name}: region/account tab stops`);
      assert.doesNotMatch(body, /arn:aws:iot:(?!\$\{1:eu-west-1\}:\$\{2:493812760155\}:)/, `${name}: every ARN uses the tab stops`);
    }
    assert.doesNotMatch(body, /123456789012|:region:|REGION|ACCOUNT|account-id/, `${name}: no documentation placeholders`);
    // A literal $ is always escaped: an unescaped `$aws` would be read as a snippet variable.
    assert.doesNotMatch(body, /(^|[^\\])\$(?![0-9{])/, `${name}: unescaped $`);
    assert.doesNotMatch(body, /(^|[^\\])\$\{(?!\d)/, `${name}: unescaped \${ (policy variables must be written \\\${...})`);
    assert.ok(body.endsWith('$0') || body.includes('$0'), `${name}: final cursor`);
  }
  // The families the issue asks for.
  for (const p of [
    'iot-stmt-connect-thing', 'iot-stmt-pubsub-own', 'iot-stmt-publish-own', 'iot-stmt-subscribe-own', 'iot-stmt-shadow', 'iot-stmt-named-shadow',
    'iot-stmt-jobs-mqtt', 'iot-stmt-jobs-https', 'iot-stmt-fleet-provisioning', 'iot-stmt-credentials-provider', 'iot-stmt-retained-messages',
    'iot-stmt-connect-persistent',
    'iot-policy-device', 'iot-policy-shadow', 'iot-policy-named-shadow', 'iot-policy-jobs-mqtt', 'iot-policy-jobs-https',
    'iot-policy-fleet-provisioning-claim', 'iot-policy-greengrass-v2-core', 'iot-policy-credentials-provider', 'iot-policy-retained-messages',
    'iot-policy-persistent-session',
  ]) assert.ok(prefixes.has(p), `missing snippet ${p}`);
});

for (const name of names) {
  const s = snippets[name];
  const prefix = prefixOf(s);
  test(`snippet ${prefix}: expands to a policy that lints with no error or warning`, () => {
    const expanded = expandSnippet(bodyOf(s));
    if (prefix.startsWith('iot-policy-')) {
      const v = strictParse(expanded) as { Version: string; Statement: unknown[] };
      assert.equal(v.Version, '2012-10-17');
      assert.ok(Array.isArray(v.Statement) && v.Statement.length > 0);
      assertClean(expanded, prefix);
    } else {
      const statements = strictParse(`[${expanded}]`) as { Action?: string | string[] }[];
      assert.ok(statements.length > 0);
      const actions = actionsOf(statements);
      const needsConnect = actions.some((a) => ['iot:Publish', 'iot:Subscribe', 'iot:Receive'].includes(a)) && !actions.includes('iot:Connect');
      // Insert the snippet's text as an editor would: inside the Statement array.
      const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n${needsConnect ? `${JSON.stringify(CONNECT_AS_THING)},\n` : ''}${expanded}\n  ]\n}`;
      strictParse(text);
      assertClean(text, prefix);
    }
  });
}

test('snippets: other regions and accounts flow into every ARN (mirrored tab stops)', () => {
  for (const name of names) {
    const out = expandSnippet(bodyOf(snippets[name]), { 1: 'ap-southeast-2', 2: '210987654321' });
    assert.doesNotMatch(out, /eu-west-1|493812760155/, name);
    if (out.includes('arn:')) assert.match(out, /arn:aws:iot:ap-southeast-2:210987654321:/, name);
  }
});

test('templates.json: every whole-policy snippet, with name, description, body and expanded text', () => {
  const policies = names.filter((n) => prefixOf(snippets[n]).startsWith('iot-policy-'));
  assert.deepEqual(templates.templates.map((t) => t.snippet).sort(), policies.sort());
  for (const t of templates.templates) {
    const s = snippets[t.snippet];
    assert.equal(t.id, prefixOf(s));
    assert.ok(t.name && !t.name.startsWith('IoT policy:'), t.id);
    assert.equal(t.description, s.description);
    assert.equal(t.body, bodyOf(s), `${t.id}: body is the snippet body`);
    assert.equal(t.text, `${expandSnippet(t.body)}\n`, `${t.id}: text is the body with defaults`);
    strictParse(t.text);
  }
});
