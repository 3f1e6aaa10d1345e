/**
 * The injection grammar that colours policy variables inside JSON strings.
 *
 * 1. Structure: valid JSON, injected into JSON strings, every include resolves, every rule is a
 *    single-line `match` (a begin/end rule could run past an unclosed `${`).
 * 2. Regexes: each one compiles with node's RegExp (the grammar sticks to syntax shared by
 *    Oniguruma and JavaScript) and matches what it should in sample strings.
 * 3. When the code-server used by the end-to-end tests is installed, the real TextMate engine
 *    (vscode-textmate + Oniguruma) tokenizes a policy with VS Code's own JSON grammars.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'iot-policy-variables.injection.tmLanguage.json');

interface Capture {
  name?: string;
  patterns?: Rule[];
}
interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  captures?: Record<string, Capture>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar: Grammar = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));

/** All rules, nested ones included. */
function allRules(): Rule[] {
  const out: Rule[] = [];
  const visit = (r: Rule) => {
    out.push(r);
    for (const p of r.patterns ?? []) visit(p);
    for (const c of Object.values(r.captures ?? {})) for (const p of c.patterns ?? []) visit(p);
  };
  grammar.patterns.forEach(visit);
  Object.values(grammar.repository).forEach(visit);
  return out;
}

function re(key: string, flags = 'g'): RegExp {
  const m = grammar.repository[key]?.match;
  assert.ok(m, `repository.${key}.match`);
  return new RegExp(m, flags);
}

/** Every (match text, index) of a repository rule in `s`. */
function matches(key: string, s: string): string[] {
  return [...s.matchAll(re(key))].map((m) => m[0]);
}

/**
 * A small model of how TextMate applies the top-level patterns to one string: at each position
 * the pattern whose match starts earliest wins, ties going to the first listed.
 */
function scan(s: string): { text: string; rule: string; groups: string[] }[] {
  const keys = grammar.patterns.map((p) => p.include!.slice(1));
  const out: { text: string; rule: string; groups: string[] }[] = [];
  let pos = 0;
  while (pos < s.length) {
    let best: { m: RegExpExecArray; key: string } | undefined;
    for (const key of keys) {
      const r = re(key, 'g');
      r.lastIndex = pos;
      const m = r.exec(s);
      if (m && (!best || m.index < best.m.index)) best = { m, key };
    }
    if (!best) break;
    out.push({ text: best.m[0], rule: best.key, groups: best.m.slice(1) });
    pos = best.m.index + Math.max(1, best.m[0].length);
  }
  return out;
}

test('grammar: structure of the injection grammar', () => {
  assert.equal(grammar.scopeName, 'iot-policy.variables.injection');
  assert.equal(grammar.injectionSelector, 'L:string.quoted.double.json');
  assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0);
  for (const p of grammar.patterns) {
    assert.match(p.include ?? '', /^#/, 'top-level patterns are includes of repository rules');
    assert.ok(grammar.repository[p.include!.slice(1)], `include ${p.include} resolves`);
  }
  for (const r of allRules()) {
    assert.equal(r.begin, undefined, 'no begin/end rules: an unclosed ${ must not run past its string');
    if (r.include) assert.ok(grammar.repository[r.include.slice(1)], `include ${r.include} resolves`);
    else assert.ok(typeof r.match === 'string', 'every rule is a match rule');
    for (const [n, c] of Object.entries(r.captures ?? {})) {
      assert.match(n, /^\d+$/);
      assert.ok(c.name || c.patterns, `capture ${n} names a scope`);
    }
    for (const name of [r.name, ...Object.values(r.captures ?? {}).map((c) => c.name)]) {
      if (name) assert.match(name, /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*(\s[a-z][a-z0-9-]*(\.[a-z0-9-]+)*)*$/, `scope name ${name}`);
    }
  }
});

test('grammar: the scopes themes know', () => {
  const names = allRules().flatMap((r) => [r.name, ...Object.values(r.captures ?? {}).map((c) => c.name)]).filter(Boolean);
  for (const s of [
    'variable.other.policy.iot',
    'punctuation.definition.variable.begin.iot',
    'punctuation.definition.variable.end.iot',
    'constant.character.escape.iot',
    'keyword.operator.wildcard.iot',
  ]) assert.ok(names.includes(s), s);
});

test('grammar: every regex compiles with node RegExp, with and without the u flag', () => {
  for (const r of allRules()) {
    if (!r.match) continue;
    assert.doesNotThrow(() => new RegExp(r.match!), r.match);
    assert.doesNotThrow(() => new RegExp(r.match!, 'u'), r.match);
    // Oniguruma-only syntax would silently mean something else in JavaScript.
    assert.doesNotMatch(r.match, /\\[hHAzZG]|\(\?[imx-]+[:)]|\\p\{|\(\?<[a-z]/, `no Oniguruma-only syntax in ${r.match}`);
  }
});

test('grammar: variables, with their punctuation and name', () => {
  const v = [...'arn:aws:iot:eu-west-1:493812760155:topic/${iot:Connection.Thing.ThingName}/x/${iot:ClientId}'.matchAll(re('variable'))];
  assert.deepEqual(v.map((m) => m.slice(0, 4)), [
    ['${iot:Connection.Thing.ThingName}', '${', 'iot:Connection.Thing.ThingName', '}'],
    ['${iot:ClientId}', '${', 'iot:ClientId', '}'],
  ]);
  assert.deepEqual(matches('variable', 'a/${iot:Connection.Thing.Attributes[room-no]}/b'), ['${iot:Connection.Thing.Attributes[room-no]}']);
  assert.deepEqual(matches('variable', '${cognito-identity.amazonaws.com:sub}'), ['${cognito-identity.amazonaws.com:sub}']);
  assert.deepEqual(matches('variable', 'plain/topic'), []);
  // The name's sub-patterns.
  const ns = grammar.repository.variable.captures!['2'].patterns!;
  assert.deepEqual(new RegExp(ns[0].match!).exec("iot:Connection.Thing.ThingName")!.slice(1), ["iot", ":"]);
  assert.deepEqual(new RegExp(ns[0].match!).exec('cognito-identity.amazonaws.com:sub')!.slice(1), ['cognito-identity.amazonaws.com', ':']);
  assert.deepEqual(new RegExp(ns[1].match!).exec('iot:Connection.Thing.Attributes[room]')!.slice(1), ['[', 'room', ']']);
});

test('grammar: escapes ${*} ${?} ${$} win over the variable rule and wildcards', () => {
  const s = 'topic/a${*}b${?}c${$}d';
  assert.deepEqual(
    scan(s).map((t) => [t.rule, t.text]),
    [
      ['escape', '${*}'],
      ['escape', '${?}'],
      ['escape', '${$}'],
    ],
  );
  assert.deepEqual(scan('${*}')[0].groups, ['${', '*', '}']);
});

test('grammar: policy wildcards, but not MQTT + and #', () => {
  assert.deepEqual(
    scan('topic/${iot:ClientId}/sensor??/*/+/#').map((t) => [t.rule, t.text]),
    [
      ['variable', '${iot:ClientId}'],
      ['wildcard', '?'],
      ['wildcard', '?'],
      ['wildcard', '*'],
    ],
  );
  assert.deepEqual(matches('wildcard', 'iot:*'), ['*']);
});

test('grammar: an unclosed ${ stops at its string and is marked; $(*) is marked', () => {
  assert.deepEqual(scan('topic/${iot:ClientId/x').map((t) => [t.rule, t.text]), [['variable-unclosed', '${']]);
  // Next ${ before the closing brace: the first one is unclosed, the second a variable.
  assert.deepEqual(
    scan('a/${iot:${iot:ClientId}').map((t) => [t.rule, t.text]),
    [
      ['variable-unclosed', '${'],
      ['variable', '${iot:ClientId}'],
    ],
  );
  assert.deepEqual(scan('topic/$(*)/x').map((t) => [t.rule, t.text]), [['escape-parens', '$(*)']]);
  // A variable never spans a string's closing quote.
  assert.deepEqual(matches('variable', '"${iot:ClientId", "}"'), []);
});

// --- the real TextMate engine, when the e2e tests' code-server is installed -----------------

function findVscode(): string | undefined {
  const base = path.join(ROOT, '.vscode-test');
  if (!fs.existsSync(base)) return undefined;
  for (const d of fs.readdirSync(base).sort().reverse()) {
    const p = path.join(base, d, 'node_modules', 'code-server', 'lib', 'vscode');
    if (fs.existsSync(path.join(p, 'node_modules', 'vscode-textmate')) && fs.existsSync(path.join(p, 'extensions', 'json', 'syntaxes', 'JSON.tmLanguage.json'))) return p;
  }
  return undefined;
}

const vscodeDir = findVscode();

test('grammar: tokenized by vscode-textmate with VS Code\'s JSON grammars', { skip: vscodeDir ? false : 'code-server not installed (npm run test:e2e installs it)' }, async () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const tm = require(path.join(vscodeDir!, 'node_modules', 'vscode-textmate'));
  const onig = require(path.join(vscodeDir!, 'node_modules', 'vscode-oniguruma'));
  const wasm = fs.readFileSync(path.join(vscodeDir!, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = {
    'source.json': path.join(vscodeDir!, 'extensions', 'json', 'syntaxes', 'JSON.tmLanguage.json'),
    'source.json.comments': path.join(vscodeDir!, 'extensions', 'json', 'syntaxes', 'JSONC.tmLanguage.json'),
    [grammar.scopeName]: GRAMMAR_PATH,
  };
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new onig.OnigScanner(p),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (files[scope] ? tm.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null),
    getInjections: (scope: string) => (scope === 'source.json' || scope === 'source.json.comments' ? [grammar.scopeName] : undefined),
  });
  for (const scope of ['source.json', 'source.json.comments']) {
    const g = await registry.loadGrammar(scope);
    const line = '{"Resource": "arn:aws:iot:eu-west-1:493812760155:topic/${iot:Connection.Thing.ThingName}/a${*}/*", "${iot:ClientId}": "+"}';
    const { tokens } = g.tokenizeLine(line, tm.INITIAL);
    const at = (text: string, nth = 0): string[] => {
      let i = -1;
      for (let k = 0; k <= nth; k++) i = line.indexOf(text, i + 1);
      const t = tokens.find((x: { startIndex: number; endIndex: number }) => x.startIndex <= i && i < x.endIndex);
      return t.scopes;
    };
    const suffix = scope === 'source.json' ? 'json' : 'json.comments';
    assert.ok(at('${iot:Conn').includes('punctuation.definition.variable.begin.iot'), `${scope}: ${at('${iot:Conn')}`);
    assert.ok(at('${iot:Conn').includes(`string.quoted.double.${suffix}`));
    assert.ok(at('Connection.Thing').includes('variable.other.policy.iot'));
    assert.ok(at('iot:Connection').includes('entity.name.namespace.iot'));
    assert.ok(at('}/a').includes('punctuation.definition.variable.end.iot'));
    assert.ok(at('*}').includes('constant.character.escape.iot'));
    assert.ok(at('/*"').length && tokens.some((x: { startIndex: number; scopes: string[] }) => x.startIndex === line.indexOf('/*"') + 1 && x.scopes.includes('keyword.operator.wildcard.iot')));
    // Keys are not policy values: no variable scopes there.
    assert.ok(!at('${iot:ClientId}').includes('variable.other.policy.iot'), 'keys are not coloured');
    assert.ok(!at('+').includes('keyword.operator.wildcard.iot'));
    // An unclosed ${ is marked and the rest of the line is still JSON.
    const bad = '{"Resource": "topic/${iot:ClientId", "Effect": "Allow"}';
    const t2 = g.tokenizeLine(bad, tm.INITIAL).tokens as { startIndex: number; endIndex: number; scopes: string[] }[];
    const scopesAt = (i: number) => t2.find((x) => x.startIndex <= i && i < x.endIndex)!.scopes;
    assert.ok(scopesAt(bad.indexOf('${')).includes('invalid.illegal.unclosed-variable.iot'));
    assert.ok(scopesAt(bad.indexOf('Effect')).some((s) => s.startsWith('support.type.property-name')), String(scopesAt(bad.indexOf('Effect'))));
  }
});
