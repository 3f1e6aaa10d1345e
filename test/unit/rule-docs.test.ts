/**
 * Every rule has a page docs/rules/<id>.md with a `## Bad` and a `## Good` JSON example:
 * the bad one triggers the rule, the good one does not, and the good one has no error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service';
import { lint } from '../util/markers';

const DOCS = path.join(__dirname, '..', '..', '..', 'docs', 'rules');

function example(md: string, heading: string): string | undefined {
  const at = md.search(new RegExp(`^## ${heading}\\b`, 'm'));
  if (at === -1) return undefined;
  const m = /```jsonc?\n([\s\S]*?)\n```/.exec(md.slice(at));
  return m?.[1];
}

for (const rule of ALL_RULES) {
  const id = rule.meta.id;
  test(`docs/rules/${id}.md: bad example reports ${id}, good example does not`, () => {
    const file = path.join(DOCS, `${id}.md`);
    assert.ok(fs.existsSync(file), `missing ${file}`);
    const md = fs.readFileSync(file, 'utf8');
    const bad = example(md, 'Bad');
    const good = example(md, 'Good');
    assert.ok(bad !== undefined, 'no ```json block under "## Bad"');
    assert.ok(good !== undefined, 'no ```json block under "## Good"');
    assert.ok(lint(bad!).some((f) => f.ruleId === id), `bad example does not report ${id}`);
    const goodFindings = lint(good!);
    assert.deepEqual(goodFindings.filter((f) => f.ruleId === id).map((f) => f.message), [], `good example reports ${id}`);
    assert.deepEqual(goodFindings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`), [], 'good example has errors');
  });
}
