/**
 * A policy read from its last version (`hosts/json/incremental.ts`) is the policy a whole parse
 * reads: the same tree, node for node (types, offsets, lengths, values, separators, parents), the
 * same strings with the same offset maps and `${...}` references, the same statements, size and
 * findings. Each case is a policy and a run of edits, every version read from the one before it
 * (or parsed whole where the edit was not inside one statement). Runs with a fixed seed and a
 * fresh one that is printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, parsePolicy, type PolicyModel, type PolicyNode, type StringValue } from '../../server/src/service';
import { reparse } from '../../server/src/service/hosts/json/incremental';
import { MAX_NESTING, reparsePolicy } from '../../server/src/service/hosts/json/parse';
import { A, apply, render, scenario, type State } from '../util/policyEdits';

const FIXED_SEED = 20261207;
const FRESH_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`# fast-check seeds (reparse): fixed ${FIXED_SEED}, fresh ${FRESH_SEED} (rerun with FC_SEED=${FRESH_SEED})`);

/** The tree as plain data, checking on the way that every child names its parent. */
function tree(node: PolicyNode | undefined, parent?: PolicyNode): unknown {
  if (!node) return undefined;
  assert.equal(node.parent, parent, `parent of the ${node.type} at ${node.offset}`);
  return [node.type, node.offset, node.length, node.value, node.colonOffset, node.children?.map((c) => tree(c, node))];
}

function str(sv: StringValue | undefined): unknown {
  if (!sv) return undefined;
  const offsets = Array.from({ length: sv.value.length + 1 }, (_, i) => sv.offsetOf(i));
  return [sv.value, sv.span, offsets, sv.spanOf(0, sv.value.length), sv.variables, sv.node.offset];
}

/** Everything a model says, as plain data: what the features and rules read. */
function snapshot(m: PolicyModel): unknown {
  const prop = (p: { key: string; keySpan: unknown; node: PolicyNode; value: PolicyNode | undefined } | undefined) => p && [p.key, p.keySpan, p.node.offset, p.value?.offset];
  return {
    text: m.text, tree: tree(m.root), errors: m.syntaxErrors, json: m.json && [m.json.text, m.json.errors, m.json.toDocument(3)],
    size: m.size(), notes: m.notes(), host: m.host, selfContained: m.selfContained, refused: m.refused, variablesEnabled: m.variablesEnabled,
    top: m.topProps.map(prop), version: prop(m.version), versionValue: str(m.versionValue), statementProp: prop(m.statementProp),
    statementIsArray: m.statementIsArray, omitted: m.omittedStatements, strings: m.strings.map(str),
    statements: m.statements.map((st) => ({
      index: st.index, node: st.node.offset, isObject: st.isObject, props: st.props.map(prop), sid: prop(st.sid), effect: prop(st.effect),
      effectValue: str(st.effectValue),
      lists: [st.action, st.notAction, st.resource, st.notResource].map((l) => l && [prop(l.prop), l.isArray, l.items.map(str), l.invalid.map((n) => n.offset)]),
      condition: st.condition && [prop(st.condition.prop), st.condition.operators.map((o) => [prop(o.prop), o.operator, o.keys.map((k) => [prop(k.prop), k.key, k.isArray, k.values.map((v) => [v.node.offset, v.kind, str(v.str)])])])],
    })),
  };
}

function check(seed: number): { read: number; parsed: number } {
  const counts = { read: 0, parsed: 0 };
  fc.assert(
    fc.property(scenario(1), (sc) => {
      let state: State = { version: sc.version, statements: sc.statements, compact: sc.compact, duplicateKey: sc.duplicateKey };
      let previous = parsePolicy(render(state.version, state.statements, state.compact, state.duplicateKey));
      for (const e of sc.edits) {
        state = apply(state, e);
        const text = state.text ?? render(state.version, state.statements, state.compact, state.duplicateKey);
        const read = reparse(previous, text, MAX_NESTING);
        const whole = parsePolicy(text);
        if (read) {
          counts.read++;
          assert.deepEqual(snapshot(read), snapshot(whole), `models differ on:\n${text}`);
          assert.deepEqual(analyze(read, undefined, { reuse: false }), analyze(whole, undefined, { reuse: false }), `findings differ on:\n${text}`);
          assert.deepEqual(analyze(read), analyze(whole, undefined, { reuse: false }), `findings with reuse differ on:\n${text}`);
        } else counts.parsed++;
        previous = read ?? whole;
      }
    }),
    { seed, numRuns: Number(process.env.FC_RUNS ?? 200) },
  );
  return counts;
}

test('a policy read from its last version is the policy a whole parse reads (fixed seed)', () => {
  const { read, parsed } = check(FIXED_SEED);
  // Not vacuous: many edits are inside one statement and are read incrementally.
  assert.ok(read > 100, `only ${read} of ${read + parsed} versions were read from the last one`);
});

test('a policy read from its last version is the policy a whole parse reads (fresh seed)', () => {
  check(FRESH_SEED);
});

const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements, Id: 'after' }, null, 2);
const sts = Array.from({ length: 6 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/t${i}/\${iot:ClientId}` }));

test('an edit inside one statement rebuilds only that statement; the others are the same objects, moved', () => {
  // Statement 4's resource has an escape: its offset map moves too.
  const text = policy(sts).replace('topic/t4/', 'topic\\/t4/');
  const first = parsePolicy(text);
  const kept = first.statements.map((st) => st);
  const after = first.statements[4].resource!.items[0];
  const before = after.span.offset;
  const edited = text.replace('topic/t2/', 'topic/t2-longer/');
  const next = reparse(first, edited, MAX_NESTING)!;
  assert.ok(next, 'read from the last version');
  assert.notEqual(next.statements[2], kept[2]);
  for (const i of [0, 1, 3, 4, 5]) assert.equal(next.statements[i], kept[i], `statement ${i} kept`);
  assert.equal(next.root, first.root);
  assert.equal(after.span.offset, before + '-longer'.length);
  assert.equal(after.value, `${A}:topic/t4/\${iot:ClientId}`);
  assert.equal(edited.slice(after.offsetOf(after.value.indexOf('t4')), after.offsetOf(after.value.length)), 't4/${iot:ClientId}');
  assert.equal(edited.substr(after.variables[0].span.offset, after.variables[0].span.length), '${iot:ClientId}');
  assert.deepEqual(snapshot(next), snapshot(parsePolicy(edited)));
});

test('edits the incremental read does not take are parsed whole', () => {
  const text = policy(sts);
  const cases: [string, string][] = [
    ['an edit across two statements', text.replace('"S2"', '"S2" }, { "Sid": "S2b"')],
    ['the Version', text.replace('2012-10-17', '2008-10-17')],
    ['after the statements', text.replace('"after"', '"later"')],
    ['a statement brace removed', text.replace(/\}\s*,\s*\{\s*"Sid": "S3"/, ', "Sid": "S3"')],
    ['a syntax error inside a statement', text.replace('"S2"', '"S2')],
    ['an intrinsic function typed in', text.replace(`"${A}:topic/t2/\${iot:ClientId}"`, '{ "Fn::Sub": "x" }')],
    ['the same text', text],
  ];
  for (const [what, edited] of cases) {
    assert.equal(reparse(parsePolicy(text), edited, MAX_NESTING), undefined, what);
    assert.deepEqual(snapshot(reparsePolicy(parsePolicy(text), edited)), snapshot(parsePolicy(edited)), what);
  }
});

test('a model is read from at most once, and one with a syntax error never', () => {
  const text = policy(sts);
  const first = parsePolicy(text);
  assert.ok(reparse(first, text.replace('t1/', 't11/'), MAX_NESTING));
  // Spent: its nodes belong to the version read from it.
  assert.equal(reparse(first, text.replace('t1/', 't12/'), MAX_NESTING), undefined);
  const broken = parsePolicy(text.replace('"S0"', '"S0'));
  assert.equal(reparse(broken, text, MAX_NESTING), undefined);
});

test('a failure of the incremental read falls back to a whole parse', () => {
  const text = policy(sts);
  const first = parsePolicy(text);
  // A model whose strings cannot be read: the incremental read throws half way.
  const broken = Object.create(first, { strings: { get: () => { throw new Error('defect'); } } }) as PolicyModel;
  const edited = text.replace('t1/', 't11/');
  assert.throws(() => reparse(Object.create(parsePolicy(text), { strings: { get: () => { throw new Error('defect'); } } }) as PolicyModel, edited, MAX_NESTING));
  assert.deepEqual(snapshot(reparsePolicy(broken, edited)), snapshot(parsePolicy(edited)));
});
