/**
 * The JSON host's fast path builds jsonc-parser's tree for every text it accepts, and accepts no
 * text jsonc-parser finds an error in (or reads with comments, trailing commas, odd white space).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { parseWellFormed } from '../../server/src/service/hosts/json/wellFormed';
import { policySize } from '../../server/src/service/catalog/topics';
import type { PolicyNode } from '../../server/src/service/policy/tree';

const SEED = 20261206;

function jsonc(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  return { root, errors };
}

/** Same node for node: type, offset, length, value, colonOffset, children; parents point up. */
function assertSameTree(ours: PolicyNode, theirs: Node, path = '$'): void {
  assert.equal(ours.type, theirs.type, `${path}: type`);
  assert.equal(ours.offset, theirs.offset, `${path}: offset`);
  assert.equal(ours.length, theirs.length, `${path}: length`);
  assert.ok(Object.is(ours.value, theirs.value), `${path}: value ${String(ours.value)} vs ${String(theirs.value)}`);
  assert.equal(ours.colonOffset, theirs.colonOffset, `${path}: colonOffset`);
  assert.equal(ours.children?.length, theirs.children?.length, `${path}: children`);
  ours.children?.forEach((c, i) => {
    assert.equal(c.parent, ours, `${path}[${i}]: parent`);
    assertSameTree(c, theirs.children![i], `${path}[${i}]`);
  });
}

/** Whatever the fast path accepts, jsonc-parser reads without an error, to the same tree. */
function agrees(text: string): boolean {
  const fast = parseWellFormed(text, 256);
  if (!fast) return false;
  const slow = jsonc(text);
  assert.deepEqual(slow.errors, [], `accepted a text jsonc-parser reports errors in: ${JSON.stringify(text)}`);
  assertSameTree(fast.root, slow.root!);
  assert.equal(text.length - fast.blanks, policySize(text), 'white space as policySize counts it');
  return true;
}

test('every JSON value, however printed, parses to jsonc-parser\'s tree', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, 4, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      assert.ok(agrees(text), `gave up on well-formed JSON: ${text}`);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('strings with escapes, unicode and spaces decode as jsonc-parser decodes them', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 6 }), (strings) => {
      const text = JSON.stringify(Object.fromEntries(strings.map((s, i) => [s + i, s])));
      assert.ok(agrees(text));
    }),
    { seed: SEED, numRuns: 1000 },
  );
  for (const text of ['"\\u00e9\\uD83D\\uDE00\\/\\b\\f\\n\\r\\t\\"\\\\"', '"\\uDC00 lone"', '["a b", "  "]', '{"k y": "v a l"}']) assert.ok(agrees(text), text);
});

test('no text with an error, a comment or unusual white space is accepted', () => {
  const rejected = [
    '', '   ', '{', '}', '{"a":1,}', '[1,]', '{"a" 1}', '{"a":}', '{a:1}', "{'a':1}", '[01]', '[1.]', '[.5]', '[-]', '[1e]', '[+1]',
    '[truex]', '[nul]', '[True]', '[NaN]', '[Infinity]', '{"a":1} x', '{"a":1}{}', '// c\n{}', '{/* c */}', '{"a":1 // c\n}',
    '\ufeff{}', '{\u00a0}', '{\v}', '{\f}', '["\\x41"]', '["\\u12"]', '["\\u12G4"]', '["a\tb"]', '["a\nb"]', '["a', '"\\', '[1 2]',
    '{"a":1 "b":2}', '[1,,2]', '["\u0000"]', '{"a":1,,"b":2}',
  ];
  for (const text of rejected) {
    assert.equal(parseWellFormed(text, 256), undefined, JSON.stringify(text));
  }
});

test('random edits of policies: whatever is accepted is jsonc-parser\'s tree, and nothing broken is', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['iot:Connect'], Resource: 'arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: ['arn:aws:iot:eu-west-1:123456789012:topic/a b/\u00e9'], Condition: { NumericLessThan: { 'iot:Connection.Thing.Attributes[batch]': 10.5e1 } } },
    ],
  }, null, 2);
  const chars = ['{', '}', '[', ']', '"', ',', ':', ' ', '\n', '\t', '\\', '/', '*', 'a', '1', '-', '.', 'e', 't', 'n', '\u00a0', '\r'];
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.array(fc.record({ at: fc.nat(policy.length), del: fc.nat(3), ins: fc.constantFrom(...chars) }), { minLength: 1, maxLength: 3 }), (edits) => {
      let text = policy;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.ins + text.slice(at + e.del);
      }
      if (agrees(text)) accepted++;
      else refused++;
    }),
    { seed: SEED, numRuns: 3000 },
  );
  // Both ways, many times: edits inside strings keep the text well-formed, most others break it.
  assert.ok(accepted > 300 && refused > 300, `accepted ${accepted}, refused ${refused}`);
});

test('nesting deeper than the limit is left to the slow path, which refuses it', () => {
  assert.ok(parseWellFormed('['.repeat(256) + ']'.repeat(256), 256));
  assert.equal(parseWellFormed('['.repeat(257) + ']'.repeat(257), 256), undefined);
  assert.equal(parseWellFormed('['.repeat(100_000) + ']'.repeat(100_000), 256), undefined);
});

test('a key that could start an intrinsic function is noticed', () => {
  assert.equal(parseWellFormed('{"Resource": {"Ref": "T"}}', 256)?.intrinsicKeys, true);
  assert.equal(parseWellFormed('{"Resource": {"Fn::Sub": "x"}}', 256)?.intrinsicKeys, true);
  assert.equal(parseWellFormed('{"x": {"Condition": "IsProd"}}', 256)?.intrinsicKeys, true);
  assert.equal(parseWellFormed('{"Condition": {"Bool": {"k": "true"}}, "Resource": "Ref"}', 256)?.intrinsicKeys, false);
});
