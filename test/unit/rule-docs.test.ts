/**
 * Every rule has a page docs/rules/<id>.md with a `## Bad` and a `## Good` example (a JSON policy,
 * or a YAML or JSON CloudFormation template for the template rules): the bad one triggers the
 * rule, the good one does not, and the good one has no error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, analyzeDocument, type AnalyzedFinding } from '../../server/src/service';
import { parseTemplate } from '../../server/src/service/hosts/cloudformation/template';
import { lint } from '../util/markers';

/** The findings of an example: a template by its fence (`yaml`, `json template`), else a policy. */
function lintExample(ex: { lang: string; text: string }): AnalyzedFinding[] {
  if (ex.lang === 'json') return lint(ex.text);
  const doc = parseTemplate(ex.text, ex.lang === 'yaml' ? 'template.yaml' : 'template.json');
  assert.ok(doc, 'the example is a template');
  return analyzeDocument(doc);
}

const DOCS = path.join(__dirname, '..', '..', '..', 'docs', 'rules');

function example(md: string, heading: string): { lang: string; text: string } | undefined {
  const at = md.search(new RegExp(`^## ${heading}\\b`, 'm'));
  if (at === -1) return undefined;
  const m = /```(jsonc?|yaml|json template)\n([\s\S]*?)\n```/.exec(md.slice(at));
  return m ? { lang: m[1] === 'jsonc' ? 'json' : m[1], text: m[2] } : undefined;
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
    assert.ok(lintExample(bad!).some((f) => f.ruleId === id), `bad example does not report ${id}`);
    const goodFindings = lintExample(good!);
    assert.deepEqual(goodFindings.filter((f) => f.ruleId === id).map((f) => f.message), [], `good example reports ${id}`);
    assert.deepEqual(goodFindings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`), [], 'good example has errors');
  });
}
