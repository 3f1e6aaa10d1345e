/** The README lists every rule with its default severity and docs link (regenerate: npm run build). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service';

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

test('README rules table lists every rule, its default severity and its docs page', () => {
  const missing = ALL_RULES.filter((r) => !README.includes(`| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.defaultSeverity} |`)).map((r) => r.meta.id);
  assert.deepEqual(missing, [], 'run `npm run build` after `npm run build`');
});

test('README keeps the two set-up commands', () => {
  assert.ok(README.includes('npm install && npm start'));
  assert.ok(README.includes('npm test'));
});
