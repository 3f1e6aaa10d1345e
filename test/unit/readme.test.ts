/** The README lists every rule with its default severity and docs link (regenerate: npm run build). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, RULES_BY_ID, RULE_IDS } from '../../server/src/service';

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

test('README rules table lists every rule, its default severity and its docs page', () => {
  const missing = ALL_RULES.filter((r) => !README.includes(`| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.defaultSeverity} |`)).map((r) => r.meta.id);
  assert.deepEqual(missing, [], 'run `npm run build` after `npm run build`');
});

test('README lists the registered rules that are not configurable outside the severity table', () => {
  const unconfigurable = [...RULES_BY_ID.values()].filter((r) => !RULE_IDS.has(r.meta.id)).map((r) => r.meta.id);
  assert.ok(unconfigurable.includes('internal-error'));
  for (const id of unconfigurable) {
    assert.ok(README.includes(`- [\`${id}\`](docs/rules/${id}.md) (`), `${id} is not listed: run \`npm run build\``);
    assert.ok(!README.includes(`| [\`${id}\`](docs/rules/${id}.md) |`), `${id} is in the table of configurable rules`);
  }
});

test('README keeps the two set-up commands', () => {
  assert.ok(README.includes('npm install && npm start'));
  assert.ok(README.includes('npm test'));
});
