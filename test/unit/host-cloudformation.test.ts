/**
 * The CloudFormation host: policies in CloudFormation, SAM, Serverless and cdk.out templates, in
 * YAML and JSON, found at their exact template positions; intrinsic functions resolved with
 * unknown values opaque; the template rules; and fixes written in the template's own syntax, each
 * re-parsed to prove the template stays valid.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from 'yaml';
import { analyzeDocument, getCodeActions, toDiagnostics, type AnalyzedFinding, type PolicyDocument } from '../../server/src/service';
import { templateOptions } from '../../server/src/service/hosts/cloudformation/context';
import { parseTemplate, templateKind } from '../../server/src/service/hosts/cloudformation/template';
import { decodeScalar } from '../../server/src/service/hosts/yaml/scalars';
import { parseYaml } from '../../server/src/service/hosts/yaml/tree';
import { ruleTester } from '../util/ruleTester';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'templates');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function template(text: string, file = 'template.yaml'): PolicyDocument {
  const doc = parseTemplate(text, file);
  assert.ok(doc, `${file} is a template`);
  return doc;
}

/** Findings as `rule line:column "text"`, in document order. */
function found(text: string, file = 'template.yaml', only?: string[]): string[] {
  const td = TextDocument.create('file:///t', 'yaml', 1, text);
  return analyzeDocument(template(text, file))
    .filter((f) => !only || only.includes(f.ruleId))
    .map((f) => {
      const p = td.positionAt(f.span.offset);
      return `${f.ruleId} ${p.line + 1}:${p.character + 1} ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`;
    });
}

/** Applies the preferred quick fix of the first finding of `ruleId`; the result must still parse. */
function fixed(text: string, ruleId: string, file = 'template.yaml'): string {
  const doc = template(text, file);
  const td = TextDocument.create('file:///t', file.endsWith('.json') ? 'json' : 'yaml', 1, text);
  const f = analyzeDocument(doc).find((x) => x.ruleId === ruleId) as AnalyzedFinding;
  assert.ok(f, `a ${ruleId} finding`);
  const diagnostics = toDiagnostics(td, [f]);
  const actions = getCodeActions(td, doc, diagnostics[0].range, diagnostics, { only: ['quickfix'] });
  const action = actions.find((a) => a.isPreferred) ?? actions[0];
  assert.ok(action, `a quick fix for ${ruleId}`);
  const out = TextDocument.applyEdits(td, action.edit!.changes![td.uri]);
  if (file.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(out));
  else assert.deepEqual(parseDocument(out).errors.map((e) => e.message), []);
  return out;
}

describe('YAML scalars map every decoded character to the file', () => {
  const cases: [string, string][] = [
    ['a: plain text here\n', 'PLAIN'],
    ['a: plain\n  folded\n\n  paragraph\n', 'PLAIN'],
    ["a: 'it''s quoted'\n", 'QUOTE_SINGLE'],
    ['a: "esc \\t \\u00e9 \\"q\\" done"\n', 'QUOTE_DOUBLE'],
    ['a: "line\\\n    joined"\n', 'QUOTE_DOUBLE'],
    ['a: |\n  {"x": 1}\n  y\n\nb: 1\n', 'BLOCK_LITERAL'],
    ['a: |-\n  keep\n  no end\n', 'BLOCK_LITERAL'],
    ['a: >\n  folded\n  line\n\n  next\n   more\n  back\n', 'BLOCK_FOLDED'],
    ['a: |+\n  kept\n\n', 'BLOCK_LITERAL'],
  ];
  for (const [src, style] of cases) {
    it(`${style}: ${JSON.stringify(src)}`, () => {
      const tree = parseYaml(src);
      const value = tree.root!.children![0].children![1];
      const sv = tree.strings.get(value)!;
      const expected = (parseDocument(src).contents as { items: { value: { value: string } }[] }).items[0].value.value;
      assert.equal(sv.value, expected);
      const d = decodeScalar(src, value.offset, value.offset + value.length, tree.styles.get(value)!);
      assert.equal(d.value, expected, 'the decoder agrees with the parser (no coarse fallback)');
      // Every character that is not folded white space or an escape sits where the map says.
      for (let i = 0; i < sv.value.length; i++) {
        const at = src[sv.offsetOf(i)];
        if (sv.value[i] === ' ' || sv.value[i] === '\n' || at === '\\' || at === "'") continue;
        assert.equal(at, sv.value[i], `decoded ${i} of ${JSON.stringify(sv.value)}`);
      }
    });
  }
});

describe('detection: cheap text checks, and nothing else is touched', () => {
  it('templates, Serverless files and cdk.out by content and name', () => {
    assert.equal(templateKind('AWSTemplateFormatVersion: "2010-09-09"\n', 'x.yaml'), 'cloudformation');
    assert.equal(templateKind('Resources:\n  P:\n    Type: AWS::IoT::Policy\n', 'x.yml'), 'cloudformation');
    assert.equal(templateKind('resources:\n  Resources: {}\n', 'app/serverless.yml'), 'serverless');
    assert.equal(templateKind('{"Resources": {"P": {"Type": "AWS::IoT::Policy"}}}', 'cdk.out/Stack.template.json'), 'cdk');
    // A Serverless service under another name, by its top-level keys.
    const service = 'service: chat\nprovider:\n  name: aws\nresources:\n  Resources:\n    P:\n      Type: AWS::IoT::Policy\n';
    assert.equal(templateKind(service, 'api/serverless.dev.yml'), 'serverless');
    assert.equal(templateKind(service.replace('service: chat\n', ''), 'api/x.yml'), 'cloudformation');
  });
  it('other YAML and JSON files are not templates', () => {
    assert.equal(templateKind('name: build\non: [push]\njobs: {}\n', '.github/workflows/ci.yml'), undefined);
    assert.equal(templateKind('{"name": "pkg", "version": "1.0.0"}', 'package.json'), undefined);
    assert.equal(templateKind('Resources:\n  B:\n    Type: AWS::S3::Bucket\n', 'x.yaml'), undefined);
    assert.equal(templateKind('service: x\n', 'serverless.yml'), undefined);
  });
});

describe('CloudFormation YAML', () => {
  const text = fixture('device-policy.yaml');

  it('findings at template positions: existing rules and the three template rules', () => {
    assert.deepEqual(found(text), [
      'sub-variable-not-escaped 26:102 "${iot:ClientId}"',
      'resource-type-mismatch 29:87 "topic"',
      'pseudo-parameter-outside-sub 32:35 "${AWS::Region}"',
      'pseudo-parameter-outside-sub 32:50 "${AWS::AccountId}"',
      'escape-outside-sub 32:74 "${!iot:Connection.Thing.ThingName}"',
    ]);
  });

  it('parameters and pseudo parameters in Fn::Sub are opaque: no false error, the rest still checked', () => {
    // `${TopicPrefix}` and `${AWS::Region}` stand for anything; the Subscribe on `topic/` is still a mismatch.
    assert.deepEqual(found(text, undefined, ['unknown-policy-variable', 'invalid-arn', 'arn-placeholder', 'overly-permissive']), []);
  });

  it('one policy, by logical id, over its resource', () => {
    const doc = template(text);
    assert.deepEqual(doc.policies.map((p) => [p.key, text.substr(p.nameSpan!.offset, p.nameSpan!.length)]), [['DevicePolicy', 'DevicePolicy']]);
  });

  it('sub-variable-not-escaped: the fix writes ${!iot:ClientId}', () => {
    assert.match(fixed(text, 'sub-variable-not-escaped'), /topic\/\$\{TopicPrefix\}\/\$\{!iot:ClientId\}\/telemetry/);
  });

  it('escape-outside-sub: the fix drops the !', () => {
    assert.match(fixed(text, 'escape-outside-sub'), /:topic\/\$\{iot:Connection\.Thing\.ThingName\}\/commands\n/);
  });

  it('pseudo-parameter-outside-sub: the fix wraps the value in !Sub and escapes its policy variables', () => {
    const out = fixed(text, 'pseudo-parameter-outside-sub');
    assert.match(out, /Resource: !Sub arn:aws:iot:\$\{AWS::Region\}:\$\{AWS::AccountId\}:topic\/\$\{!iot:Connection\.Thing\.ThingName\}\/commands/);
  });

  it('an existing rule\'s fix keeps the YAML: topic/ becomes topicfilter/ in place', () => {
    assert.match(fixed(text, 'resource-type-mismatch'), /:topicfilter\/\$\{TopicPrefix\}\/\$\{!iot:Connection\.Thing\.ThingName\}\/commands/);
  });

  it('a structural fix is written as YAML in the layout of its neighbours, comments kept', () => {
    const src = text.replace("            Condition:\n              Bool:\n                iot:Connection.Thing.IsAttached: 'true'\n", '');
    const out = fixed(src, 'connect-without-attached-thing');
    assert.match(out, /client\/\$\{!iot:Connection\.Thing\.ThingName\}\n {12}Condition:\n {14}Bool:\n {16}iot:Connection\.Thing\.IsAttached: "true"\n/);
    assert.match(out, /# The policy every device certificate gets\./);
  });
});

describe('policies held as JSON text', () => {
  const text = fixture('policy-as-text.yaml');

  it('a !Sub | block: a typo inside ${!...} is reported at its column, the ! taken into account', () => {
    const f = found(text, undefined, ['unknown-policy-variable']);
    assert.deepEqual(f, ['unknown-policy-variable 13:79 "${!iot:Connection.Thing.ThingNme}"']);
  });

  it('a | block: an unknown action at its place in the block', () => {
    assert.deepEqual(found(text, undefined, ['unknown-action']), ['unknown-action 23:56 "iot:Pubish"']);
    assert.match(fixed(text, 'unknown-action'), /"Action": "iot:Publish"/);
  });

  it('a provisioning template: YAML, then the template body, then the escaped policy string', () => {
    const src = fixture('provisioning.yaml');
    assert.deepEqual(found(src, undefined, ['resource-type-mismatch', 'arn-placeholder']), [
      'arn-placeholder 15:175 "123456789012"',
      'resource-type-mismatch 15:188 "topic"',
    ]);
    assert.deepEqual(template(src).policies.map((p) => p.key), ['FleetTemplate.policy']);
    // The fix writes the escapes of both strings it goes through.
    assert.match(fixed(src, 'resource-type-mismatch'), /:topicfilter\/cmd\/\*\\"\}\]\}"/);
  });
});

describe('Fn::If: both branches are analysed', () => {
  it('each branch reports its own finding', () => {
    const text = fixture('conditions.yaml');
    assert.deepEqual(template(text).policies[0].variants?.length, 2);
    assert.deepEqual(found(text, undefined, ['overly-permissive', 'connect-without-attached-thing']), [
      'connect-without-attached-thing 19:75 "${!iot:Connection.Thing.ThingName}"',
      'overly-permissive 20:18 "*"',
    ]);
  });
});

describe('Fn::If around a whole statement', () => {
  it('the branch\'s own Fn::Sub strings are read and checked', () => {
    const text = [
      'Conditions:', '  C: !Equals [a, b]', 'Resources:', '  P:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', '        Statement:',
      '          - !If', '            - C', '            - Effect: Allow', '              Action: iot:Subscribe',
      '              Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/x/${iot:ClientId}"', '            - !Ref AWS::NoValue', '',
    ].join('\n');
    assert.deepEqual(found(text, undefined, ['resource-type-mismatch', 'sub-variable-not-escaped']), [
      'resource-type-mismatch 13:76 "topic"',
      'sub-variable-not-escaped 13:84 "${iot:ClientId}"',
    ]);
  });
});

describe('JSON templates, Serverless and cdk.out', () => {
  it('JSON: Fn::Join keeps the resource type checked; Fn::Sub needs the escape, written in JSON', () => {
    const text = fixture('template.json');
    assert.deepEqual(found(text, 'template.json', ['resource-type-mismatch', 'sub-variable-not-escaped']), [
      'resource-type-mismatch 14:138 "topic"',
      'sub-variable-not-escaped 20:114 "${iot:ClientId}"',
    ]);
    assert.match(fixed(text, 'sub-variable-not-escaped', 'template.json'), /readings\/\$\{!iot:ClientId\}"\}/);
  });

  it('Serverless: its variables are opaque, ${!...} outside a Sub is still an error', () => {
    const text = fixture('serverless.yml');
    assert.deepEqual(found(text, 'serverless.yml', ['escape-outside-sub', 'pseudo-parameter-outside-sub', 'invalid-arn', 'overly-permissive']), [
      'escape-outside-sub 18:75 "${!iot:ClientId}"',
    ]);
  });

  it('cdk.out: the policy is named by its logical id and carries its construct path', () => {
    const doc = template(fixture('cdk.out/DeviceStack.template.json'), 'cdk.out/DeviceStack.template.json');
    assert.deepEqual(doc.policies.map((p) => [p.key, p.detail]), [['DevicePolicy6D8B6F2C', 'DeviceStack/DevicePolicy']]);
  });
});

describe('YAML edge cases without noise', () => {
  it('anchors, aliases and merges are resolved; unknown tags are opaque', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  P:',
      '    Type: AWS::IoT::Policy',
      '    Properties:',
      '      PolicyDocument:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - &connect',
      '            Effect: Allow',
      '            Action: iot:Connect',
      '            Resource: !Custom whatever',
      '          - <<: *connect',
      '            Action: iot:Publishh',
      '',
    ].join('\n');
    assert.deepEqual(found(text, undefined, ['unknown-action', 'invalid-arn', 'invalid-value-type', 'template-syntax-error']), ['unknown-action 14:21 "iot:Publishh"']);
  });

  it('a YAML syntax error inside a policy is reported once', () => {
    const text = fixture('device-policy.yaml').replace("Version: '2012-10-17'", "Version: '2012-10-17");
    assert.equal(found(text, undefined, ['template-syntax-error']).length, 1);
  });
});

ruleTester('sub-variable-not-escaped', {
  host: (t) => template(t),
  valid: ['Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: !Sub "arn:aws:iot:${AWS::Region}:1:client/${!iot:ClientId}"\n'],
  invalid: [{
    code: 'Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: !Sub "arn:aws:iot:${AWS::Region}:1:client/[[${iot:ClientId}]]"\n',
    errors: [{ messageId: 'unescaped' }],
    output: 'Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: !Sub "arn:aws:iot:${AWS::Region}:1:client/${!iot:ClientId}"\n',
  }],
});

ruleTester('escape-outside-sub', {
  host: (t) => template(t),
  valid: ['Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: "arn:aws:iot:eu-west-1:1:client/${iot:ClientId}"\n'],
  invalid: [{
    code: 'Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: "arn:aws:iot:eu-west-1:1:client/[[${!iot:ClientId}]]"\n',
    errors: [{ messageId: 'literal' }],
    output: 'Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Resource: "arn:aws:iot:eu-west-1:1:client/${iot:ClientId}"\n',
  }],
});

ruleTester('pseudo-parameter-outside-sub', {
  host: (t) => template(t, 'template.json'),
  valid: ['{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Statement": [{"Resource": {"Fn::Sub": "arn:aws:iot:${AWS::Region}:1:client/a"}}]}}}}}'],
  invalid: [{
    code: '{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Statement": [{"Resource": "arn:aws:iot:[[${AWS::Region}]]:1:client/a"}]}}}}}',
    errors: [{ messageId: 'literal' }],
    output: '{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Statement": [{"Resource": {"Fn::Sub": "arn:aws:iot:${AWS::Region}:1:client/a"}}]}}}}}',
  }],
});

describe('resolving a template for given inputs (eval, test)', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Stage: { Type: String, Default: dev }',
    '  Fleet: { Type: String }',
    'Mappings:',
    '  Topics:',
    '    dev: { Root: sandbox }',
    '    prod: { Root: fleet }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Stage, prod]',
    '  NotProd: !Not [!Condition IsProd]',
    'Resources:',
    '  P:',
    '    Type: AWS::IoT::Policy',
    '    Properties:',
    '      PolicyDocument:',
    '        Statement:',
    '          - Effect: Allow',
    '            Action: iot:Publish',
    '            Resource:',
    '              - !Sub',
    '                - "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/${Root}/${!iot:ClientId}"',
    '                - Root: !FindInMap [Topics, !Ref Stage, Root]',
    '              - !If [NotProd, !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/debug/*", !Ref AWS::NoValue]',
    '              - !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${Fleet}/*"',
    '',
  ].join('\n');
  const resources = (inputs: Parameters<typeof templateOptions>[1]): unknown => {
    const doc = parseTemplate(text, 'template.yaml', templateOptions(text, inputs));
    assert.equal(doc?.policies[0].variants, undefined, 'one variant once conditions are known');
    return doc!.policies[0].model.statements[0].resource!.items.map((s) => s.value);
  };

  it('pseudo parameters, defaults, mappings and conditions take the given values', () => {
    assert.deepEqual(resources({ region: 'cn-north-1', account: '111122223333', parameters: new Map([['Fleet', 'f1']]) }), [
      'arn:aws-cn:iot:cn-north-1:111122223333:topic/sandbox/${iot:ClientId}',
      'arn:aws:iot:cn-north-1:111122223333:topic/debug/*',
      'arn:aws:iot:cn-north-1:111122223333:topic/f1/*',
    ]);
  });

  it('a parameter given on the command line beats its default, and conditions follow it', () => {
    assert.deepEqual(resources({ region: 'eu-west-1', account: '1', parameters: new Map([['Stage', 'prod'], ['Fleet', 'f']]) }), [
      'arn:aws:iot:eu-west-1:1:topic/fleet/${iot:ClientId}',
      'arn:aws:iot:eu-west-1:1:topic/f/*',
    ]);
  });

  it('what stays unknown is opaque, never invented', () => {
    const doc = parseTemplate(text, 'template.yaml', templateOptions(text, { region: 'eu-west-1' }))!;
    const items = doc.policies[0].model.statements[0].resource!.items;
    assert.deepEqual(items.map((s) => s.opaque.map((o) => o.label)), [['${AWS::AccountId}'], ['${AWS::AccountId}'], ['${AWS::AccountId}', '${Fleet}']]);
  });
});

describe('Fn::Select, Fn::GetAtt and Fn::ImportValue', () => {
  const policy = (resource: string): string => [
    'Resources:', '  P:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', '        Statement:',
    '          - Effect: Allow', '            Action: iot:Publish', `            Resource: ${resource}`, '',
  ].join('\n');

  it('an item selected from a literal list keeps its own positions, and is checked', () => {
    const text = policy('!Select [1, ["arn:aws:iot:eu-west-1:1:topic/a", "arn:aws:iot:eu-west-1:1:topicfilter/b"]]');
    assert.deepEqual(found(text, undefined, ['resource-type-mismatch']), ['resource-type-mismatch 9:96 "topicfilter"']);
  });

  it('an item of a Fn::Split of a literal keeps its positions too', () => {
    const text = policy('!Select [1, !Split [",", "arn:aws:iot:eu-west-1:1:topic/a,arn:aws:iot:eu-west-1:1:topicfilter/b"]]');
    assert.deepEqual(found(text, undefined, ['resource-type-mismatch']), ['resource-type-mismatch 9:105 "topicfilter"']);
  });

  it('GetAtt and ImportValue take values given by name; unknown otherwise', () => {
    const text = policy('[!GetAtt Thing.Arn, !ImportValue FleetTopic, !Sub "${Thing.Arn}/x"]');
    const values = new Map([['Thing.Arn', 'arn:aws:iot:eu-west-1:1:thing/t1'], ['FleetTopic', 'arn:aws:iot:eu-west-1:1:topic/f']]);
    const items = (values?: Map<string, string>): string[] =>
      parseTemplate(text, 'template.yaml', { values })!.policies[0].model.statements[0].resource!.items.map((s) => s.value);
    assert.deepEqual(items(values), ['arn:aws:iot:eu-west-1:1:thing/t1', 'arn:aws:iot:eu-west-1:1:topic/f', 'arn:aws:iot:eu-west-1:1:thing/t1/x']);
    assert.deepEqual(items(), ['*/x'], 'opaque items are no strings; the Sub keeps its known part');
  });
});
