/**
 * Property-based tests (fast-check): no feature throws on any input, every range lies inside the
 * document, every quick fix applied leaves strict JSON and removes its diagnostic, and every
 * completion edit applies cleanly. Each property runs with a fixed seed and with a fresh seed
 * that is printed (rerun with FC_SEED=<seed>).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree, ParseErrorCode, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import {
  analyze, doComplete, doHover, getCodeActions, getDocumentSymbols, jsonDocument, parsePolicy, toDiagnostics, mergeConfigs, RULE_IDS,
} from '../../server/src/service';
import { MAX_NESTING, nestingDepth } from '../../server/src/service/hosts/json/parse';

const FIXED_SEED = 20261128;
const FRESH_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`# fast-check seeds: fixed ${FIXED_SEED}, fresh ${FRESH_SEED} (rerun with FC_SEED=${FRESH_SEED})`);
const SEEDS: [string, number][] = [['fixed seed', FIXED_SEED], ['fresh seed', FRESH_SEED]];

const CONFIG = mergeConfigs({ defaults: { region: 'eu-west-1', accountId: '493812760155' } });
const A = 'arn:aws:iot:eu-west-1:493812760155';

/** Small fixtures covering every element and many findings. */
const FIXTURES: string[] = [
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/fleet/\${iot:Connection.Thing.ThingName}/*` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/fleet/\${iot:Connection.Thing.ThingName}/*` },
    ],
  }, null, 2),
  JSON.stringify({
    Statement: [
      { Effect: 'allow', Action: ['iot:Subscribe', 'iot:PublishRetain', 'lambda:*', 1], Resource: ['arn:aws:iot:region:123456789012:topic/a/+/b', `${A}:client/*`] },
      { Effect: 'Deny', Action: 'iot:Subscribe', Resources: `${A}:topicfilter/a/#`, Principal: '*' },
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqual: { 'iot:ClientId': '${iot:ClientID}' }, Bool: { 'aws:RequestTag/x': 'yes' } } },
    ],
  }, null, 2),
  '{\n  "Version": "2012-10-17",\n  "Statement": {\n    "Effect": "Allow",\n    "Action": "iot:Publish",\n    "Resource": "arn:aws:iot:eu-west-1:493812760155:topic/$(*)/${iot:Thing.ThingName}/${iot:Connection.Thing.Attributes[room]}/${aws:SourceIp\\u007d"\n  }\n}\n',
  '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":["iot:Connect","iot:Connect"],"Resource":["arn:aws:iot:eu-west-1:493812760155:client/${iot:ClientId}",],},],}',
  '// comment\n{ "Version": "2012-10-17", "Statement": [ { "Effect": "Deny", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:eu-west-1:493812760155:topicfilter/building/control_room/*" },\n { "Effect": "Allow", "Action": ["iot:Subscribe"], "Resource": "arn:aws:iot:eu-west-1:493812760155:topicfilter/building/*" } ] }',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["greengrass:*","iot:AssumeRoleWithCertificate"],"Resource":["*","arn:aws:iot:eu-west-1:493812760155:rolealias/${iot:Connection.Thing.ThingName}"],"Condition":{"ForAllValues:StringEquals":{"iot:ConnectAttributes":["PersistentConnect"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}]}',
];

function strictParse(text: string): ParseError[] {
  const errors: ParseError[] = [];
  // jsonc-parser recurses per level; the model refuses such documents, and so does this check.
  if (nestingDepth(text, MAX_NESTING).offset !== -1) return [{ error: ParseErrorCode.InvalidSymbol, offset: 0, length: 0 }];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  return errors;
}

function assertRange(text: string, doc: TextDocument, r: Range, what: string): void {
  const s = doc.offsetAt(r.start);
  const e = doc.offsetAt(r.end);
  // offsetAt clamps, so also compare the positions round-trip.
  assert.deepEqual(doc.positionAt(s), r.start, `${what}: start ${JSON.stringify(r.start)} outside the document`);
  assert.deepEqual(doc.positionAt(e), r.end, `${what}: end ${JSON.stringify(r.end)} outside the document`);
  assert.ok(s <= e && e <= text.length, `${what}: bad range ${JSON.stringify(r)}`);
}

function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  const out: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const dc of edit.documentChanges ?? []) if ('edits' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  return out;
}

/**
 * Runs every feature; `everyOffset` also asks hover and completion at every offset. `applyFixes`
 * applies and re-checks each code action (costly on huge documents, where only ranges are checked).
 */
function exercise(text: string, everyOffset: boolean, applyFixes = true): void {
  const uri = 'file:///fuzz/policy.iot-policy.json';
  const doc = TextDocument.create(uri, 'json', 1, text);
  const model = parsePolicy(text);
  const findings = analyze(model, CONFIG);
  for (const f of findings) {
    assert.ok(f.span.offset >= 0 && f.span.length >= 0 && f.span.offset + f.span.length <= text.length, `${f.ruleId} span outside the document`);
    assert.notEqual(f.ruleId, 'internal-error', f.message);
  }
  const diagnostics = toDiagnostics(doc, findings);
  for (const d of diagnostics) {
    assertRange(text, doc, d.range, `diagnostic ${String(d.code)}`);
    for (const ri of d.relatedInformation ?? []) assertRange(text, doc, ri.location.range, `related of ${String(d.code)}`);
  }
  const walk = (syms: ReturnType<typeof getDocumentSymbols>): void => {
    for (const s of syms) {
      assertRange(text, doc, s.range, `symbol ${s.name}`);
      assertRange(text, doc, s.selectionRange, `symbol ${s.name} selection`);
      walk(s.children ?? []);
    }
  };
  walk(getDocumentSymbols(doc, model));

  // Quick fixes: applied, they leave strict JSON (when it was strict before) and remove their diagnostic.
  const whole: Range = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  const wasStrict = strictParse(text).length === 0;
  for (const action of getCodeActions(doc, jsonDocument(model), whole, diagnostics, { config: CONFIG })) {
    const edits = editsOf(action.edit, uri);
    for (const e of edits) assertRange(text, doc, e.range, `edit of "${action.title}"`);
    if (!edits.length || !applyFixes) continue;
    const fixed = TextDocument.applyEdits(doc, edits);
    if (!wasStrict) continue;
    assert.deepEqual(strictParse(fixed).map((e) => e.error), [], `"${action.title}" broke the JSON:\n${fixed}`);
    if (action.kind === 'quickfix') {
      for (const d of action.diagnostics ?? []) {
        const after = analyze(parsePolicy(fixed), CONFIG).filter((f) => f.ruleId === d.code);
        const before = findings.filter((f) => f.ruleId === d.code);
        assert.ok(after.length < before.length, `"${action.title}" did not remove its ${String(d.code)} diagnostic:\n${fixed}`);
      }
    }
  }

  const offsets = everyOffset ? Array.from({ length: text.length + 1 }, (_, i) => i) : [0, text.length >> 1, text.length];
  for (const off of offsets) {
    const pos = doc.positionAt(off);
    const hover = doHover(doc, model, pos);
    if (hover?.range) assertRange(text, doc, hover.range, `hover at ${off}`);
    const list = doComplete(doc, jsonDocument(model), pos, { config: CONFIG, snippetSupport: true });
    for (const item of list.items) {
      const te = item.textEdit;
      if (!te) continue;
      const range = 'range' in te ? te.range : te.replace;
      assertRange(text, doc, range, `completion "${item.label}" at ${off}`);
      const s = doc.offsetAt(range.start);
      const e = doc.offsetAt(range.end);
      assert.ok(s <= off && off <= e, `completion "${item.label}" at ${off} replaces ${s}-${e}, not around the cursor`);
      TextDocument.applyEdits(doc, [{ range, newText: te.newText }, ...(item.additionalTextEdits ?? [])]);
    }
  }
}

const TOKENS = ['${', '}', '"', '{', '}', '[', ']', ',', ':', '$(', '\\', '\\u', '\u0000', '\ud800', '\udc00', '\u200f', '\u200b', '\u202e', '\ufeff', '#', '+', '*', '?', '/', 'iot:', 'arn:aws:iot:', '\n', ' '];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, muts: Mutation[]): string {
  let t = text;
  for (const m of muts) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === 'flip') t = t.slice(0, at) + String.fromCharCode(m.ch) + t.slice(at + 1);
    else if (m.kind === 'truncate') t = t.slice(0, at);
    else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else t = t.slice(0, at) + m.token + t.slice(at);
  }
  return t;
}

for (const [label, seed] of SEEDS) {
  test(`random JSON values never break a feature (${label})`, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        const text = JSON.stringify(v, null, 1) ?? 'null';
        exercise(text, text.length < 200);
        exercise(JSON.stringify({ Version: '2012-10-17', Statement: v }), false);
      }),
      { seed, numRuns: 100 },
    );
  });

  test(`mutated fixtures never break a feature; ranges stay inside (${label})`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES.keys()), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, muts) => {
        exercise(mutate(FIXTURES[i], muts), true);
      }),
      // Every offset of every mutated document: hover and completion run ~500 times per document.
      { seed, numRuns: 15 },
    );
  });

  test(`policy-shaped random statements never break a feature (${label})`, () => {
    const str = fc.oneof(
      fc.constantFrom('iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:*', '*', 'iot:GetThingShadow', 'iotjobsdata:DescribeJobExecution', 'greengrass:Discover', 'iot:CreateThing', 's3:GetObject'),
      fc.constantFrom(`${A}:client/\${iot:ClientId}`, `${A}:topic/a/+/b`, `${A}:topicfilter/a/#`, `${A}:thing/*`, '*', 'arn:aws:iot:region:account-id:topic/x', `${A}:topic/\${iot:Connection.Thing.ThingName}/*`),
      fc.string({ maxLength: 12 }),
    );
    const statement = fc.record(
      {
        Effect: fc.constantFrom('Allow', 'Deny', 'allow', ''),
        Action: fc.oneof(str, fc.array(str, { maxLength: 4 })),
        Resource: fc.oneof(str, fc.array(str, { maxLength: 4 })),
        Condition: fc.dictionary(fc.constantFrom('Bool', 'StringEquals', 'ForAnyValue:StringLike', 'IpAddress', 'Null', 'Foo'), fc.dictionary(fc.constantFrom('iot:Connection.Thing.IsAttached', 'aws:SourceIp', 'iot:ConnectAttributes', 'x'), fc.oneof(str, fc.array(str, { maxLength: 3 }), fc.boolean()))),
      },
      { requiredKeys: ['Effect'] },
    );
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), fc.constantFrom('2012-10-17', '2008-10-17', undefined), (sts, version) => {
        exercise(JSON.stringify({ Version: version, Statement: sts }, null, 2), false);
      }),
      { seed, numRuns: 200 },
    );
  });
}

test('100,000 levels of nesting: diagnosed, no stack overflow', () => {
  for (const open of ['[', '{"a":']) {
    const text = open.repeat(100_000) + (open === '[' ? ']' : '1}').repeat(100_000);
    exercise(text, false);
    const findings = analyze(parsePolicy(text));
    assert.ok(findings.some((f) => f.ruleId === 'json-syntax'), 'deep nesting is reported');
  }
});

test('a 10 MB string is analysed without failure', () => {
  const big = 'a'.repeat(10 * 1024 * 1024);
  exercise(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/${big}` }] }), false, false);
  exercise(JSON.stringify({ Version: '2012-10-17', Statement: big }), false, false);
});

test('10,000 statements are analysed without failure', () => {
  const sts = Array.from({ length: 10_000 }, (_, i) => ({ Effect: i % 7 ? 'Allow' : 'Deny', Action: ['iot:Publish', 'iot:Subscribe'], Resource: [`${A}:topic/t${i}/*`, `${A}:topicfilter/t${i}/+`] }));
  const text = JSON.stringify({ Version: '2012-10-17', Statement: sts }, null, 2);
  exercise(text, false, false);
  if (RULE_IDS.has('policy-too-large')) assert.ok(analyze(parsePolicy(text)).some((f) => f.ruleId === 'policy-too-large'), 'size limit reported');
});
