/**
 * docs/editors.md: every editor's snippet starts the server the way the stdio test does
 * (`iot-policy-language-server --stdio`, test/lsp/stdio.test.ts), attaches it to every kind of
 * file that can hold a policy, and sets only settings the extension declares.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// out/test/unit → repository root
const ROOT = join(__dirname, '..', '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
const SETTINGS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes.configuration.properties,
);

function blocks(lang: string): string[] {
  return [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

test('docs/editors.md: each editor starts the server over stdio', () => {
  const snippets = [...blocks('lua'), ...blocks('toml'), ...blocks('elisp'), ...blocks('json')];
  assert.equal(snippets.length, 6, 'Neovim 0.11 and 0.10, Helix, eglot, lsp-mode, Sublime Text');
  for (const s of snippets) assert.match(s, /["']iot-policy-language-server["'][\s\S]*?["']--stdio["']/, s);
});

test('docs/editors.md: every snippet that names file types names JSON, YAML, Terraform, TypeScript and Python', () => {
  const lua = blocks('lua');
  const [helix] = blocks('toml');
  const [, lspMode] = blocks('elisp');
  const [sublime] = blocks('json');
  for (const s of lua) for (const ft of ['json', 'yaml', 'terraform', 'typescript', 'python']) assert.ok(s.includes(`'${ft}'`), `Neovim: ${ft}`);
  for (const ft of ['json', 'yaml', 'hcl', 'typescript', 'python']) assert.ok(helix.includes(`name = "${ft}"`), `Helix: ${ft}`);
  for (const ft of ['json', 'yaml', 'terraform', 'typescript', 'python']) assert.ok(lspMode.includes(`"${ft}"`), `lsp-mode: ${ft}`);
  for (const sel of ['source.json', 'source.yaml', 'source.terraform', 'source.ts', 'source.python']) assert.ok(sublime.includes(sel), `Sublime: ${sel}`);
});

test('docs/editors.md: the Sublime Text settings are JSON and name declared settings only', () => {
  const [sublime] = blocks('json');
  const parsed = JSON.parse(sublime) as { clients: Record<string, { settings: Record<string, unknown> }> };
  const keys = Object.keys(parsed.clients['iot-policy'].settings);
  assert.ok(keys.length > 0);
  for (const k of keys) assert.ok(SETTINGS.includes(k), `${k} is not a setting of package.json`);
});

test('docs/editors.md: the Neovim and Helix settings are declared settings', () => {
  const named = [
    ...[...DOC.matchAll(/\[language-server\.iot-policy\.config\.iotPolicy\]\n((?:\w+ = .*\n)+)/g)].flatMap((m) => [...m[1].matchAll(/^(\w+) =/gm)].map((x) => x[1])),
    // The keys of a multi-line `iotPolicy = { ... }` table.
    ...blocks('lua').flatMap((s) => [...s.matchAll(/iotPolicy = \{\n((?: {6}.*\n)+)/g)].flatMap((m) => [...m[1].matchAll(/^ {6}(\w+) = /gm)].map((x) => x[1]))),
  ];
  assert.ok(named.length >= 3, named.join(', '));
  for (const k of named) assert.ok(SETTINGS.some((s) => s === `iotPolicy.${k}` || s.startsWith(`iotPolicy.${k}.`)), `iotPolicy.${k} is not a setting`);
});
