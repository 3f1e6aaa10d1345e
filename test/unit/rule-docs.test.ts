/**
 * Every registered rule has a page docs/rules/<id>.md. Every rule that checks policies has a
 * `## Bad` and a `## Good` example (a JSON policy, a YAML or JSON CloudFormation template, or a
 * Terraform file or a CDK stack in TypeScript or Python for the template rules): the bad one
 * triggers the rule, the good one does not, and the good one has no error.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, openPolicyDocument, RULES_BY_ID, type AnalyzedFinding } from '../../server/src/service';
import { parseTemplate } from '../../server/src/service/hosts/cloudformation/template';
import { loadGrammars } from '../util/grammars';
import { lint } from '../util/markers';

// Examples in Terraform and CDK code are read by their tree-sitter grammars.
before(() => loadGrammars('hcl', 'typescript', 'python'));

/** Code fences read by a code host, with the file each example is read as. */
const CODE_FILES: Readonly<Record<string, string>> = {
  hcl: 'main.tf', terraform: 'main.tf', ts: 'stack.ts', typescript: 'stack.ts', python: 'app.py', py: 'app.py',
};

/** The findings of an example: code or a template by its fence (`yaml`, `json template`, `hcl`, `ts`, `python`), else a policy. */
function lintExample(ex: { lang: string; text: string }): AnalyzedFinding[] {
  if (ex.lang === 'json') return lint(ex.text);
  const code = CODE_FILES[ex.lang];
  if (code) {
    const doc = openPolicyDocument(ex.text, { path: `/examples/${code}`, policyGlobs: [], detectByContent: false });
    assert.ok(doc, `the example is a ${code} with a policy`);
    return analyzeDocument(doc);
  }
  const doc = parseTemplate(ex.text, ex.lang === 'yaml' ? 'template.yaml' : 'template.json');
  assert.ok(doc, 'the example is a template');
  return analyzeDocument(doc);
}

const DOCS = path.join(__dirname, '..', '..', '..', 'docs', 'rules');

function example(md: string, heading: string): { lang: string; text: string } | undefined {
  const at = md.search(new RegExp(`^## ${heading}\\b`, 'm'));
  if (at === -1) return undefined;
  const m = /```(jsonc?|yaml|json template|hcl|terraform|ts|typescript|python|py)\n([\s\S]*?)\n```/.exec(md.slice(at));
  return m ? { lang: m[1] === 'jsonc' ? 'json' : m[1], text: m[2] } : undefined;
}

/**
 * Registered rules that no document triggers on purpose, so their pages have no examples to run.
 * `internal-error` is reported only when another rule throws; a policy that triggers it is a bug,
 * and once fixed it no longer triggers it. Its page must still exist and name the rule.
 */
const NO_EXAMPLES: ReadonlySet<string> = new Set(['internal-error', 'analysis-limit']);

test('the rules whose pages have no examples are registered rules', () => {
  assert.deepEqual([...NO_EXAMPLES].filter((id) => !RULES_BY_ID.has(id)), []);
});

for (const rule of RULES_BY_ID.values()) {
  const id = rule.meta.id;
  if (NO_EXAMPLES.has(id)) {
    test(`docs/rules/${id}.md: exists, names the rule and its default severity`, () => {
      const file = path.join(DOCS, `${id}.md`);
      assert.ok(fs.existsSync(file), `missing ${file}`);
      const md = fs.readFileSync(file, 'utf8');
      assert.ok(md.startsWith(`# \`${id}\`\n`), `${file} does not start with the heading # \`${id}\``);
      assert.ok(md.includes(`Default severity: **${rule.meta.defaultSeverity}**.`), 'no "Default severity" line');
    });
    continue;
  }
  test(`docs/rules/${id}.md: bad example reports ${id}, good example does not`, () => {
    const file = path.join(DOCS, `${id}.md`);
    assert.ok(fs.existsSync(file), `missing ${file}`);
    const md = fs.readFileSync(file, 'utf8');
    const bad = example(md, 'Bad');
    const good = example(md, 'Good');
    assert.ok(bad !== undefined, 'no ```json, ```yaml or ```hcl block under "## Bad"');
    assert.ok(good !== undefined, 'no ```json, ```yaml or ```hcl block under "## Good"');
    assert.ok(lintExample(bad!).some((f) => f.ruleId === id), `bad example does not report ${id}`);
    const goodFindings = lintExample(good!);
    assert.deepEqual(goodFindings.filter((f) => f.ruleId === id).map((f) => f.message), [], `good example reports ${id}`);
    assert.deepEqual(goodFindings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`), [], 'good example has errors');
  });
}
