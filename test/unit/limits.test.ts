/**
 * Documents beyond any real policy or template are bounded, never fatal and never silent: above
 * 1 MB only syntax and structure, above 4 MB nothing parsed, 10,000 statements modelled, 1,000
 * findings reported; each time an `analysis-limit` notice says what was left out.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeDocument, getCodeActions, openPolicyDocument, toDiagnostics, type AnalyzedFinding } from '../../server/src/service';
import { RULES_BY_ID } from '../../server/src/service/rules';
import { LARGE_DOCUMENT_CHARS, MAX_DOCUMENT_CHARS, MAX_FINDINGS, MAX_STATEMENTS } from '../../server/src/service/limits';
import { TextDocument } from 'vscode-languageserver-textdocument';

const ARN = 'arn:aws:iot:eu-west-1:493812760155';
const open = (text: string, path = '/p/device.iot-policy.json') => openPolicyDocument(text, { path, policyGlobs: ['**/*.iot-policy.json'], detectByContent: true });
const policy = (statements: string[]): string => `{"Version": "2012-10-17", "Statement": [${statements.join(',')}]}`;
const notices = (fs: AnalyzedFinding[]): string[] => fs.filter((f) => f.ruleId === 'analysis-limit').map((f) => `${f.messageId} ${f.message}`);

describe('analysis limits', () => {
  it(`above ${LARGE_DOCUMENT_CHARS} characters only syntax and structure are checked, said first`, () => {
    const statement = `{"Effect": "allow", "Action": "iot:Pubish", "Resource": "${ARN}:topic/${'a'.repeat(200)}"}`;
    const text = policy(Array(Math.ceil(LARGE_DOCUMENT_CHARS / statement.length) + 1).fill(statement).slice(0, 5000));
    assert.ok(text.length > LARGE_DOCUMENT_CHARS);
    const found = analyzeDocument(open(text)!);
    assert.match(found[0].message, /^This document is 1\.\d MB: above 1\.0 MB, only its syntax and structure are checked/);
    const rules = new Set(found.map((f) => f.ruleId));
    assert.ok(rules.has('invalid-effect'), 'structure rules still run');
    assert.ok(!rules.has('unknown-action'), 'other rules do not');
  });

  it(`above ${LARGE_DOCUMENT_CHARS} characters code actions run only the rules the diagnostics came from`, () => {
    const statement = `{"Effect": "allow", "Action": "iot:Pubish", "Resource": "${ARN}:topic/${'a'.repeat(200)}"}`;
    const text = policy(Array(5000).fill(statement));
    const doc = TextDocument.create('file:///p/device.iot-policy.json', 'json', 1, text);
    const pdoc = open(text)!;
    const diagnostics = toDiagnostics(doc, analyzeDocument(pdoc));
    const rule = RULES_BY_ID.get('unknown-action') as { check: (ctx: unknown) => void };
    const check = rule.check;
    let runs = 0;
    rule.check = (ctx) => {
      runs++;
      check(ctx);
    };
    try {
      getCodeActions(doc, pdoc, { start: { line: 0, character: 0 }, end: doc.positionAt(400) }, diagnostics, {});
      assert.equal(runs, 0, 'a rule the diagnostics did not run is not run for code actions either');
      // The spy itself works: a small document runs it.
      const small = policy([statement]);
      getCodeActions(TextDocument.create('file:///p/small.iot-policy.json', 'json', 1, small), open(small)!, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } }, [], {});
      assert.ok(runs > 0);
    } finally {
      rule.check = check;
    }
  });

  it(`above ${MAX_DOCUMENT_CHARS} characters a policy is not parsed, and says so; other files are left alone`, () => {
    const text = policy([`{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${'x'.repeat(MAX_DOCUMENT_CHARS)}"}`]);
    const doc = open(text)!;
    assert.equal(doc.policies.length, 0);
    assert.deepEqual(notices(analyzeDocument(doc)), ['tooLarge This document is 4.0 MB: above 4.0 MB it is not analysed at all. (An IoT policy holds at most 2,048 characters, and a template at most 1 MB.)']);
    assert.equal(openPolicyDocument(`{"data": "${'x'.repeat(MAX_DOCUMENT_CHARS)}"}`, { path: '/p/data.json', policyGlobs: [], detectByContent: true }), undefined);
  });

  it(`statements past ${MAX_STATEMENTS} are counted, not modelled`, () => {
    const text = policy(Array(MAX_STATEMENTS + 5).fill('{}'));
    const doc = open(text)!;
    assert.equal(doc.policies[0].model.statements.length, MAX_STATEMENTS);
    assert.ok(notices(analyzeDocument(doc)).includes('statements This policy has 10,005 statements: only the first 10,000 are analysed. (An IoT policy holds at most 2,048 characters.)'));
  });

  it(`at most ${MAX_FINDINGS} findings, then the count of the rest, where they start; the diagnostics serialise`, () => {
    const text = policy(Array(3000).fill('{}'));
    const td = TextDocument.create('file:///p/device.iot-policy.json', 'json', 1, text);
    const found = analyzeDocument(open(text)!);
    assert.equal(found.length, MAX_FINDINGS + 1);
    const last = found[found.length - 1];
    assert.equal(last.ruleId, 'analysis-limit');
    assert.match(last.message, /^\d{1,3}(,\d{3})* more problems are not shown: at most 1,000 are shown per document/);
    assert.ok(last.span.offset >= found[MAX_FINDINGS - 1].span.offset);
    const diagnostics = toDiagnostics(td, found);
    assert.ok(JSON.stringify(diagnostics).length < 2_000_000);
    assert.ok(diagnostics.every((d) => Number.isInteger(d.range.start.character) && Number.isInteger(d.range.end.character)));
  });
});
