/**
 * Every rule that declares a fix offers it on its docs page's Bad example, and the fix, applied
 * through the same path as the editor's quick fix, clears a finding of that rule. Examples are
 * read by the host their code fence names, so template and code rules are walked the same way.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, ALL_RULES, getCodeActions, openPolicyDocument, toDiagnostics, type PolicyDocument } from '../../server/src/service';
import { loadGrammars } from '../util/grammars';
import { ruleDoc, ruleExample } from '../util/ruleDocs';

function open(file: string, text: string): PolicyDocument {
  const doc = openPolicyDocument(text, { path: `/examples/${file}`, policyGlobs: ['**/*.iot-policy.json'], detectByContent: true });
  assert.ok(doc, `${file} is read by a host`);
  return doc;
}

/**
 * Some fixes write the configured region and account (`iotPolicy.defaults.*`): set, as a user
 * who wants those fixes has them.
 */
const CONFIG = { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } };

describe('every rule with a fix fixes its Bad example', () => {
  before(() => loadGrammars('hcl', 'typescript', 'python'));

  const withFix = ALL_RULES.filter((r) => r.fix);
  it('some rules declare fixes', () => assert.ok(withFix.length >= 20, `${withFix.length}`));

  for (const rule of withFix) {
    const id = rule.meta.id;
    it(`${id}: the fix is offered on docs/rules/${id}.md and clears the finding`, () => {
      const ex = ruleExample(ruleDoc(id), 'Bad');
      assert.ok(ex, 'a Bad example in a fence a host reads');
      const doc = open(ex.file, ex.text);
      const findings = analyzeDocument(doc, CONFIG).filter((f) => f.ruleId === id);
      assert.ok(findings.length > 0, `the Bad example reports ${id}`);
      const td = TextDocument.create(`file:///examples/${ex.file}`, 'plaintext', 1, ex.text);
      const diagnostics = toDiagnostics(td, findings);
      const actions = diagnostics.flatMap((d) => getCodeActions(td, doc, d.range, [d], { config: CONFIG, only: ['quickfix'] }));
      assert.ok(actions.length > 0, `${id} declares a fix but offers none on its Bad example`);
      const action = actions.find((a) => a.isPreferred) ?? actions[0];
      const fixed = TextDocument.applyEdits(td, action.edit!.changes![td.uri]);
      const after = analyzeDocument(open(ex.file, fixed), CONFIG).filter((f) => f.ruleId === id);
      assert.ok(after.length < findings.length, `"${action.title}" leaves ${after.length} of ${findings.length} ${id} findings`);
    });
  }
});
