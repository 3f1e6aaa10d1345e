/**
 * The Terraform host: `aws_iot_policy` resources in `.tf` files in every form the policy takes
 * (`jsonencode`, heredoc and quoted JSON text, `aws_iam_policy_document`, `file()` and
 * `templatefile()`), in `.tf.json` files and in templates; findings at the exact characters of
 * the file through HCL's escapes; interpolations opaque; fixes written in HCL (or in the JSON the
 * template holds), each re-parsed with the grammar to prove no syntax error was added; and
 * completion items applied and compared as text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { InsertTextFormat, type TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeDocument, doComplete, doHover, getCodeActions, getPolicyDocumentSymbols, openPolicyDocument, toDiagnostics,
  type AnalyzedFinding, type PolicyDocument,
} from '../../server/src/service';
import { parserFor } from '../../server/src/service/hosts/grammars';
import { maskUnparsable, parseHcl } from '../../server/src/service/hosts/terraform/hcl';
import { terraformDocument, terraformTemplateDocument, type TerraformOptions } from '../../server/src/service/hosts/terraform';
import { loadGrammars } from '../util/grammars';
import { withMarkers } from '../util/markers';
import { ruleTester } from '../util/ruleTester';
import { expandSnippet } from '../util/snippets';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'terraform');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function tf(text: string, file = 'main.tf', options?: TerraformOptions): PolicyDocument {
  const doc = terraformDocument(text, file, options);
  assert.ok(doc, `${file} holds a policy`);
  return doc;
}

function label(text: string, f: AnalyzedFinding): string {
  const td = TextDocument.create('file:///t', 'terraform', 1, text);
  const p = td.positionAt(f.span.offset);
  return `${f.ruleId} ${p.line + 1}:${p.character + 1} ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`;
}

/** Findings as `rule line:column "text"`, in document order. */
function found(text: string, only?: string[], file = 'main.tf', options?: TerraformOptions): string[] {
  return analyzeDocument(tf(text, file, options)).filter((f) => !only || only.includes(f.ruleId)).map((f) => label(text, f));
}

/** ERROR and MISSING nodes of a text, as the grammar reads it (the host's masking included). */
function hclErrorCount(text: string): number {
  const tree = parserFor('hcl')!.parse(maskUnparsable(text))!;
  let n = 0;
  const visit = (node: import('web-tree-sitter').Node): void => {
    if (node.isError || node.isMissing) n++;
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.hasError || c.isMissing) visit(c);
  };
  visit(tree.rootNode);
  tree.delete();
  return n;
}

/** Applies the preferred quick fix of the first finding of `ruleId` (or the fix titled `title`); the result must parse as before. */
function fixed(text: string, ruleId: string, o: { file?: string; title?: RegExp; at?: string; line?: number } = {}): string {
  const file = o.file ?? 'main.tf';
  const doc = /\.tpl$/.test(file) ? terraformTemplateDocument(text, file)! : tf(text, file);
  const td = TextDocument.create('file:///t', 'terraform', 1, text);
  const f = analyzeDocument(doc).find((x) => x.ruleId === ruleId && (!o.at || text.substr(x.span.offset, x.span.length) === o.at)
    && (!o.line || td.positionAt(x.span.offset).line + 1 === o.line));
  assert.ok(f, `a ${ruleId} finding`);
  const diagnostics = toDiagnostics(td, [f]);
  const actions = getCodeActions(td, doc, diagnostics[0].range, diagnostics, { only: ['quickfix'] });
  const action = o.title ? actions.find((a) => o.title!.test(a.title)) : actions.find((a) => a.isPreferred) ?? actions[0];
  assert.ok(action, `a quick fix for ${ruleId} among ${actions.map((a) => a.title).join(', ')}`);
  const out = TextDocument.applyEdits(td, action.edit!.changes![td.uri]);
  if (file.endsWith('.tf')) assert.ok(hclErrorCount(out) <= hclErrorCount(text), `the fix adds an HCL syntax error:\n${out}`);
  else if (file.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(out));
  return out;
}

/** What an edit changed: the lines it replaced (`-`) and the lines that replace them (`+`). */
function changed(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [...a.slice(start, a.length - end).map((l) => `-${l}`), ...b.slice(start, b.length - end).map((l) => `+${l}`)];
}

/** Completion at the `|` of a source: the items, and the text after accepting one. */
function complete(source: string, file = 'main.tf') {
  const { text, offsets } = withMarkers(source);
  const td = TextDocument.create('file:///t', 'terraform', 1, text);
  const list = doComplete(td, tf(text, file), td.positionAt(offsets[0]), { snippetSupport: true });
  const labels = list.items.map((i) => i.label);
  return {
    labels,
    apply(labelText: string): string {
      const it = list.items.find((i) => i.label === labelText);
      assert.ok(it, `no item "${labelText}" among ${labels.slice(0, 30).join(', ')}`);
      const e = it.textEdit as TextEdit;
      const newText = it.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(e.newText) : e.newText;
      return text.slice(0, td.offsetAt(e.range.start)) + newText + text.slice(td.offsetAt(e.range.end));
    },
  };
}

before(() => loadGrammars('hcl'));

describe('detection', () => {
  it('a file with no aws_iot_policy costs a string search, not a parse', () => {
    assert.equal(terraformDocument('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n', 'main.tf'), undefined);
  });
});

describe('fleet.tf: the forms of a policy, at their exact places', () => {
  const text = fixture('fleet.tf');

  it('findings through jsonencode, a heredoc and a policy document', () => {
    assert.deepEqual(found(text), [
      'unknown-action 49:12 "iot:Pubish"',
      'unknown-policy-variable 51:48 "$${iot:Connection.Thing.ThingNme}"',
      'resource-type-mismatch 56:34 "topic"',
      'terraform-variable-not-escaped 56:48 "${iot:Connection.Thing.ThingName}"',
      'missing-dependent-action 84:22 "iot:Subscribe"',
      'terraform-variable-not-escaped 85:88 "${iot:Connection.Thing.ThingName}"',
      'unknown-action 89:22 "iot:Recieve"',
      'connect-without-attached-thing 105:69 "&{iot:Connection.Thing.ThingName}"',
      'policy-variable-case 111:76 "&{iot:ClientID}"',
    ]);
  });

  it('one outline entry per policy, named by its resource address', () => {
    const doc = tf(text);
    const td = TextDocument.create('file:///t', 'terraform', 1, text);
    assert.deepEqual(getPolicyDocumentSymbols(td, doc).map((s) => [s.name, s.detail, s.children?.length]), [
      ['aws_iot_policy.sensor', 'IoT policy', 4],
      ['aws_iot_policy.gateway', 'IoT policy', 4],
      ['aws_iot_policy.camera', 'data.aws_iam_policy_document.camera', 3],
    ]);
  });

  it('the model says which host read it', () => {
    assert.deepEqual(tf(text).policies.map((p) => p.model.host.id + ' ' + p.model.host.language), ['terraform hcl', 'terraform hcl', 'terraform hcl']);
  });

  it('terraform-variable-not-escaped: the fix writes $${', () => {
    assert.deepEqual(changed(text, fixed(text, 'terraform-variable-not-escaped')), [
      '-        Resource = "${local.arn}:topic/sensors/${iot:Connection.Thing.ThingName}/commands"',
      '+        Resource = "${local.arn}:topic/sensors/$${iot:Connection.Thing.ThingName}/commands"',
    ]);
  });

  it('unknown-action in jsonencode: the fix keeps the HCL and its comment', () => {
    assert.deepEqual(changed(text, fixed(text, 'unknown-action')), [
      '-          "iot:Pubish", # typo kept on purpose',
      '+          "iot:Publish", # typo kept on purpose',
    ]);
  });

  it('unknown-policy-variable in $${...}: the fix keeps the escape', () => {
    assert.deepEqual(changed(text, fixed(text, 'unknown-policy-variable')), [
      '-        Resource = "${local.arn}:topic/sensors/$${iot:Connection.Thing.ThingNme}/telemetry"',
      '+        Resource = "${local.arn}:topic/sensors/$${iot:Connection.Thing.ThingName}/telemetry"',
    ]);
  });

  it('resource-type-mismatch in jsonencode: topic/ becomes topicfilter/', () => {
    assert.deepEqual(changed(text, fixed(text, 'resource-type-mismatch', { at: 'topic' })), [
      '-        Resource = "${local.arn}:topic/sensors/${iot:Connection.Thing.ThingName}/commands"',
      '+        Resource = "${local.arn}:topicfilter/sensors/${iot:Connection.Thing.ThingName}/commands"',
    ]);
  });

  it('in a heredoc: the action fix and the escape fix', () => {
    assert.deepEqual(changed(text, fixed(text, 'unknown-action', { at: 'iot:Recieve' })), [
      '-          "Action": "iot:Recieve",',
      '+          "Action": "iot:Receive",',
    ]);
    assert.deepEqual(changed(text, fixed(text, 'terraform-variable-not-escaped', { line: 85 })), [
      '-          "Resource": "arn:aws:iot:${var.region}:${local.account}:topicfilter/gateways/${iot:Connection.Thing.ThingName}/*"',
      '+          "Resource": "arn:aws:iot:${var.region}:${local.account}:topicfilter/gateways/$${iot:Connection.Thing.ThingName}/*"',
    ]);
  });

  it('in a policy document: &{...} kept, a condition block added', () => {
    assert.deepEqual(changed(text, fixed(text, 'policy-variable-case')), [
      '-    resources = ["arn:aws:iot:${var.region}:${local.account}:topic/cameras/&{iot:ClientID}/frames"]',
      '+    resources = ["arn:aws:iot:${var.region}:${local.account}:topic/cameras/&{iot:ClientId}/frames"]',
    ]);
    assert.deepEqual(changed(text, fixed(text, 'connect-without-attached-thing')), [
      '+    condition {',
      '+      test     = "Bool"',
      '+      variable = "iot:Connection.Thing.IsAttached"',
      '+      values   = ["true"]',
      '+    }',
    ]);
  });
});

describe('forms.tf: quoted keys, locals, JSON in a quoted string, directives, opaque values', () => {
  const text = fixture('forms.tf');

  it('each form is read; unknown values raise nothing', () => {
    assert.deepEqual(found(text), ['duplicate-value 14:37 "iot:Connect"', 'missing-dependent-action 29:91 "iot:Publish"']);
    assert.deepEqual(tf(text).policies.map((p) => p.key), ['aws_iot_policy.device', 'aws_iot_policy.legacy', 'aws_iot_policy.flat', 'aws_iot_policy.opaque']);
  });

  it('a local read through jsonencode(local.x): the fix is written in the locals, in their `"Key" : value` style', () => {
    assert.deepEqual(changed(text, fixed(text, 'duplicate-value')), [
      '-        "Action" : ["iot:Connect", "iot:Connect"],',
      '+        "Action" : ["iot:Connect"],',
    ]);
  });

  it('JSON in a quoted string: a new statement is JSON escaped for HCL, its variable escaped for Terraform', () => {
    const out = fixed(text, 'missing-dependent-action');
    const added = '{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"iot:Connect\\", \\"Resource\\": \\"arn:aws:iot:*:*:client/$${iot:Connection.Thing.ThingName}\\", '
      + '\\"Condition\\": {\\"Bool\\": {\\"iot:Connection.Thing.IsAttached\\": \\"true\\"}}}';
    assert.deepEqual(changed(text, out), [
      '-  policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"iot:Publish\\",\\"Resource\\":\\"arn:aws:iot:us-east-1:${var.account}:topic/${var.stage}/*\\"}]}"',
      `+  policy = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"iot:Publish\\",\\"Resource\\":\\"arn:aws:iot:us-east-1:\${var.account}:topic/\${var.stage}/*\\"}, ${added}]}"`,
    ]);
    assert.deepEqual(found(out, ['missing-dependent-action']), []);
  });

  it('the outline entry of a policy written in the locals is the local', () => {
    const p = tf(text).policies.find((x) => x.key === 'aws_iot_policy.device')!;
    assert.equal(text.slice(p.span.offset, p.span.offset + 15), '{\n    "Version"');
  });
});

/** A one-policy file around a jsonencode statement list. */
function encoded(statements: string, extra = ''): string {
  return `resource "aws_iot_policy" "p" {\n  name = "p"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n${statements}\n    ]\n  })\n}\n${extra}`;
}

describe('interpolations are opaque; known parts are still checked', () => {
  it('${var.x}, ${local.x}, ${data...}, ${resource...} and %{ } raise no false error', () => {
    const text = encoded([
      '      {',
      '        Effect   = "Allow"',
      '        Action   = ["iot:Publish", "iot:Receive"]',
      '        Resource = [',
      '          "arn:${data.aws_partition.current.partition}:iot:${data.aws_region.current.name}:${var.account}:topic/${aws_iot_thing.t.name}/*",',
      '          "arn:aws:iot:eu-west-1:493812760155:topic/%{ if var.prod }live%{ else }test%{ endif }/$${iot:ClientId}",',
      '        ]',
      '      },',
    ].join('\n'));
    assert.deepEqual(found(text, ['invalid-arn', 'arn-placeholder', 'unknown-policy-variable', 'policy-variable-syntax', 'resource-type-mismatch', 'invalid-topic']), []);
  });

  it('the resource type of an ARN with opaque parts is still checked', () => {
    const text = encoded('      { Effect = "Allow", Action = "iot:Subscribe", Resource = "arn:aws:iot:${var.region}:${var.account}:topic/${var.root}/x" },');
    assert.deepEqual(found(text, ['resource-type-mismatch']), ['resource-type-mismatch 6:106 "topic"']);
  });

  it('TerraformOptions.vars: ${var.name} takes its value, a finding in it covers the interpolation', () => {
    const text = encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:${var.region}:${var.account}:client/$${iot:Connection.Thing.ThingName}", Condition = { Bool = { "iot:Connection.Thing.IsAttached" = "true" } } },');
    assert.deepEqual(found(text, ['arn-placeholder', 'invalid-arn']), []);
    const vars = new Map([['region', 'eu-west-1'], ['account', '123456789012']]);
    assert.deepEqual(found(text, ['arn-placeholder', 'invalid-arn'], 'main.tf', { vars }), ['arn-placeholder 6:89 "${var.account}"']);
  });

  it('$${iot:...} is the literal policy variable: a typo in it is reported with the escape', () => {
    const text = encoded('      { Effect = "Allow", Action = "iot:Publish", Resource = "arn:aws:iot:eu-west-1:493812760155:topic/$${iot:ClientID}" },');
    assert.deepEqual(found(text, ['policy-variable-case', 'terraform-variable-not-escaped']), ['policy-variable-case 6:104 "$${iot:ClientID}"']);
  });

  it('an unescaped ${iot:...} is reported, and the rest of the policy and file is still read', () => {
    const text = encoded([
      '      { Effect = "Allow", Action = "iot:Publish", Resource = "arn:aws:iot:eu-west-1:493812760155:topic/${iot:ClientId}/${aws:SourceIp}" },',
      '      { Effect = "Allow", Action = "iot:Pubish", Resource = "*" },',
    ].join('\n'), 'resource "aws_iot_policy" "q" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "iot:Recieve", Resource = "${iot:ClientId}" }] })\n}\n');
    assert.deepEqual(found(text, ['terraform-variable-not-escaped', 'unknown-action', 'template-syntax-error']), [
      'terraform-variable-not-escaped 6:104 "${iot:ClientId}"',
      'terraform-variable-not-escaped 6:120 "${aws:SourceIp}"',
      'unknown-action 7:37 "iot:Pubish"',
      'unknown-action 12:68 "iot:Recieve"',
      'terraform-variable-not-escaped 12:94 "${iot:ClientId}"',
    ]);
  });

  it('${!iot:...}, the CloudFormation escape, keeps its ! in Terraform: escape-outside-sub, then the escape', () => {
    const text = encoded('      { Effect = "Allow", Action = "iot:Publish", Resource = "arn:aws:iot:eu-west-1:493812760155:topic/${!iot:ClientId}" },');
    assert.deepEqual(found(text, ['escape-outside-sub', 'terraform-variable-not-escaped']), ['escape-outside-sub 6:104 "${!iot:ClientId}"']);
    const once = fixed(text, 'escape-outside-sub');
    assert.match(once, /topic\/\$\{iot:ClientId\}"/);
    assert.match(fixed(once, 'terraform-variable-not-escaped'), /topic\/\$\$\{iot:ClientId\}"/);
  });

  it('statements a policy document merges or generates are unknown, not missing', () => {
    const text = [
      'resource "aws_iot_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\n',
      'data "aws_iam_policy_document" "d" {',
      '  source_policy_documents = [data.aws_iam_policy_document.base.json]',
      '  statement {\n    actions   = ["iot:Publish"]\n    resources = ["arn:aws:iot:*:*:topic/&{iot:Connection.Thing.ThingName}"]\n  }',
      '  dynamic "statement" {\n    for_each = var.extra\n    content {\n      actions   = statement.value.actions\n      resources = statement.value.resources\n    }\n  }',
      '}\n',
    ].join('\n');
    assert.deepEqual(tf(text).policies[0].model.statements.map((st) => st.node.type), ['opaque', 'object', 'opaque']);
    assert.deepEqual(found(text), []);
  });

  it('template-syntax never fires in a Terraform file', () => {
    const text = encoded('      { Effect = "Allow", Action = "iot:Publish", Resource = "arn:aws:iot:${AWS::Region}:1:topic/a" },');
    assert.deepEqual(found(text, ['template-syntax']), []);
  });

  it('the size lens counts the rendered policy, and says when values are unknown', () => {
    const known = tf(encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "*" },')).policies[0].model.size();
    assert.deepEqual(known, { chars: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }).length, complete: true });
    const partly = tf(encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:${var.region}:1:client/a" },')).policies[0].model.size();
    assert.equal(partly.complete, false);
  });
});

describe('HCL syntax errors: reported only where they stop the analysis of a policy', () => {
  const text = fixture('fleet.tf');

  it('inside a policy: once, at the missing bracket', () => {
    const broken = text.replace('Action   = ["iot:Connect"]', 'Action   = ["iot:Connect"');
    assert.deepEqual(found(broken, ['template-syntax-error']), ['template-syntax-error 39:34 "\\n"']);
  });

  it('outside every policy: nothing (terraform-ls reports it)', () => {
    const broken = text.replace('  enabled     = true', '  enabled     = true true');
    assert.deepEqual(found(broken, ['template-syntax-error']), []);
  });

  it('when it hides the policies after it: reported where it is', () => {
    const broken = text.replace('sql_version = "2016-03-23"', 'sql_version = = "2016-03-23"');
    assert.deepEqual(found(broken, ['template-syntax-error']), ['template-syntax-error 66:16 " "']);
    assert.deepEqual(tf(broken).policies.map((p) => p.key), ['aws_iot_policy.sensor']);
  });
});

describe('hostile files', () => {
  it('jsonencode nested thousands of levels deep: read to a depth, the rest opaque, no stack overflow', () => {
    const text = encoded(`      ${'{ a = '.repeat(5000)}1${' }'.repeat(5000)},`);
    assert.doesNotThrow(() => analyzeDocument(tf(text)));
  });

  it('a heredoc nested too deep for JSON: the policy is kept, and says why it is not read', () => {
    const text = `resource "aws_iot_policy" "p" {\n  policy = <<EOF\n${'['.repeat(100000)}\nEOF\n}\n`;
    assert.deepEqual(analyzeDocument(tf(text)).map((f) => f.ruleId), ['json-syntax']);
  });

  it('locals that name each other are not followed forever', () => {
    const text = 'locals {\n  a = local.b\n  b = local.a\n  s = "${local.t}x"\n  t = "${local.s}y"\n}\n'
      + 'resource "aws_iot_policy" "p" {\n  policy = jsonencode(local.a)\n}\n'
      + 'resource "aws_iot_policy" "q" {\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iot:Connect", Resource = "${local.s}" }] })\n}\n';
    assert.deepEqual(tf(text).policies.map((p) => p.key), ['aws_iot_policy.q']);
  });
});

describe('incremental parsing', () => {
  it('a document edited keystroke by keystroke parses as it would from scratch', () => {
    const text = fixture('fleet.tf');
    const parser = parserFor('hcl')!;
    let current = text;
    const edits = [
      (t: string) => t.replace('iot:Pubish', 'iot:Pubis'),
      (t: string) => t.replace('iot:Pubis', 'iot:Publish'),
      (t: string) => t.replace('$${iot:ClientId}', '${iot:ClientId}'),
      (t: string) => t.replace('  EOT\n', '  EO\n'),
      (t: string) => t.replace('  EO\n', '  EOT\n'),
      (t: string) => t.replace('resource "aws_iot_policy" "camera"', '# gone\nresource "aws_iot_policy" "camera"'),
    ];
    for (const edit of edits) {
      current = edit(current);
      const incremental = parseHcl(parser, current, 'incremental.tf')!.rootNode.toString();
      const fresh = parser.parse(maskUnparsable(current))!;
      assert.equal(incremental, fresh.rootNode.toString());
      fresh.delete();
    }
  });
});

describe('file() and templatefile(): the named file is analysed as its own document', () => {
  const dir = path.join(FIXTURES, 'templated');
  const main = fs.readFileSync(path.join(dir, 'main.tf'), 'utf8');
  const readFile = (p: string): string | undefined => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };

  it('with a reader (the CLI): each file is read, its findings at its own positions', () => {
    const doc = tf(main, path.join(dir, 'main.tf'), { readFile });
    assert.deepEqual(doc.policies, []);
    const linked = (doc.linked ?? []).map((l) => {
      const text = l.document.text;
      const findings = analyzeDocument(l.document).map((f) => label(text, f));
      return { file: path.relative(dir, l.path), name: l.name, call: main.substr(l.span.offset, 14), findings };
    });
    assert.deepEqual(linked, [
      { file: 'policies/base.json', name: 'aws_iot_policy.base', call: 'file("${path.m', findings: ['unknown-action 12:18 "iot:Publsh"'] },
      {
        file: 'policies/device.json.tpl', name: 'aws_iot_policy.device', call: 'templatefile("',
        findings: ['terraform-variable-not-escaped 13:76 "${iot:Connection.Thing.ThingName}"', 'resource-type-mismatch 18:56 "topic"'],
      },
    ]);
  });

  it('templatefile() variables with literal values are known in the template', () => {
    const doc = tf(main, path.join(dir, 'main.tf'), { readFile });
    const device = doc.linked!.find((l) => l.name === 'aws_iot_policy.device')!;
    const resource = device.document.policies[0].model.statements[1].resource!.items[0];
    // `region = var.region` is unknown (one `*`); the literal account and topic root are known.
    assert.equal(resource.value, 'arn:aws:iot:*:493812760155:topic/fleet/${iot:Connection.Thing.ThingName}/*');
  });

  it('without a reader (the editor): no linked document, no error', () => {
    const doc = tf(main, path.join(dir, 'main.tf'));
    assert.equal(doc.linked, undefined);
    assert.deepEqual(analyzeDocument(doc), []);
  });

  it('a template opened on its own: every ${...} opaque, $${ a literal ${, an unescaped policy variable reported', () => {
    const text = fs.readFileSync(path.join(dir, 'policies', 'device.json.tpl'), 'utf8');
    const doc = openPolicyDocument(text, { path: 'policies/device.json.tpl', policyGlobs: [], detectByContent: false });
    assert.ok(doc);
    assert.equal(doc.hostId, 'terraform');
    assert.deepEqual(analyzeDocument(doc).map((f) => label(text, f)), [
      'terraform-variable-not-escaped 13:76 "${iot:Connection.Thing.ThingName}"',
      'resource-type-mismatch 18:56 "topic"',
    ]);
    assert.deepEqual(changed(text, fixed(text, 'terraform-variable-not-escaped', { file: 'device.json.tpl' })), [
      '-      "Resource": "arn:aws:iot:${region}:${account_id}:topic/${topic_root}/${iot:Connection.Thing.ThingName}/*"',
      '+      "Resource": "arn:aws:iot:${region}:${account_id}:topic/${topic_root}/$${iot:Connection.Thing.ThingName}/*"',
    ]);
  });
});

describe('.tf.json: Terraform\'s JSON syntax', () => {
  const text = fixture('main.tf.json');

  it('the policy string is JSON text in a template: findings through both JSON escapes and the template', () => {
    assert.deepEqual(found(text, undefined, 'main.tf.json'), [
      'overly-permissive 9:183 "${iot:ClientId}"',
      'terraform-variable-not-escaped 9:183 "${iot:ClientId}"',
      'resource-type-mismatch 9:313 "topic"',
    ]);
  });

  it('the escape fix is written inside the JSON string', () => {
    const out = fixed(text, 'terraform-variable-not-escaped', { file: 'main.tf.json' });
    assert.equal(out, text.replace('client/${iot:ClientId}', () => 'client/$${iot:ClientId}'));
  });

  it('completion inside the JSON string: the action, and a variable after $${', () => {
    const action = text.replace('[\\"iot:Connect\\"]', () => '[\\"iot:Conn|\\"]');
    assert.match(complete(action, 'main.tf.json').apply('iot:Connect'), /\[\\"iot:Connect\\"\]/);
    const variable = text.replace('client/${iot:ClientId}', () => 'client/$${iot:Cl|}');
    assert.match(complete(variable, 'main.tf.json').apply('iot:ClientId'), /client\/\$\$\{iot:ClientId\}\\"/);
  });
});

describe('completion writes Terraform', () => {
  const statement = (resource: string, action = '"iot:Publish"') => encoded(`      {\n        Effect   = "Allow"\n        Action   = [${action}]\n        Resource = "${resource}"\n      },`);

  it('an action in jsonencode: the string content', () => {
    const c = complete(statement('*', '"iot:Pub|"'));
    assert.match(c.apply('iot:Publish'), /Action {3}= \["iot:Publish"\]/);
  });

  it('after $${ in a string: the variable name, the escape kept', () => {
    const c = complete(statement('arn:aws:iot:eu-west-1:493812760155:topic/$${iot:Conn|}'));
    assert.match(c.apply('iot:Connection.Thing.ThingName'), /topic\/\$\$\{iot:Connection\.Thing\.ThingName\}"/);
  });

  it('after an unescaped ${: the item writes $${', () => {
    const c = complete(statement('arn:aws:iot:eu-west-1:493812760155:topic/${iot:Conn|'));
    assert.match(c.apply('iot:Connection.Thing.ThingName'), /topic\/\$\$\{iot:Connection\.Thing\.ThingName\}"/);
    // Just typed, before any name: the string still parses, and the item writes the whole variable.
    assert.match(complete(statement('arn:aws:iot:eu-west-1:493812760155:client/${|')).apply('iot:ClientId'), /client\/\$\$\{iot:ClientId\}"/);
  });

  it('an ARN template escapes its policy variable for Terraform', () => {
    const c = complete(statement('arn:aws:iot:eu-west-1:493812760155:topic/|'));
    const label = c.labels.find((l) => l.includes('${iot:Connection.Thing.ThingName}'));
    assert.ok(label, c.labels.join(', '));
    assert.match(c.apply(label), /topic\/\$\$\{iot:Connection\.Thing\.ThingName\}\/\*"/);
  });

  it('a statement key in jsonencode: `Key = value` in HCL', () => {
    const c = complete(encoded('      {\n        Effect   = "Allow"\n        Action   = ["iot:Connect"]\n        Resource = "*"\n        Cond|\n      },'));
    assert.deepEqual(changed(encoded('      {\n        Effect   = "Allow"\n        Action   = ["iot:Connect"]\n        Resource = "*"\n        Cond\n      },'), c.apply('Condition')), [
      '-        Cond',
      '+        Condition = {',
      '+\t"StringEquals" = {',
      '+\t\t"" = ""',
      '+\t}',
      '+}',
    ]);
  });

  it('in a heredoc: JSON, the variable escaped for the template', () => {
    const text = 'resource "aws_iot_policy" "p" {\n  policy = <<-EOT\n    {\n      "Version": "2012-10-17",\n      "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:${var.region}:*:client/${iot:Thi|"}]\n    }\n  EOT\n}\n';
    assert.match(complete(text).apply('iot:Connection.Thing.ThingName'), /client\/\$\$\{iot:Connection\.Thing\.ThingName\}"\}\]/);
  });

  it('in a policy document: attribute values, &{...} where the document uses it, attributes by their names', () => {
    const doc = (body: string) => `resource "aws_iot_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\n\ndata "aws_iam_policy_document" "d" {\n  statement {\n${body}\n  }\n}\n`;
    const resources = '    resources = ["arn:aws:iot:*:*:topicfilter/&{iot:ClientId}"]';
    assert.match(complete(doc(`    actions   = ["iot:Sub|"]\n${resources}`)).apply('iot:Subscribe'), /actions {3}= \["iot:Subscribe"\]/);
    assert.match(complete(doc(`    actions   = ["iot:Subscribe"]\n    resources = ["arn:aws:iot:*:*:topicfilter/&{iot:Cl|}"]`)).apply('iot:ClientId'), /topicfilter\/&\{iot:ClientId\}"/);
    assert.match(complete(doc(`    actions   = ["iot:Subscribe"]\n${resources}\n    condition {\n      test     = "StringEq|"\n      variable = "iot:ClientId"\n      values   = ["a"]\n    }`)).apply('StringEquals'), /test {5}= "StringEquals"\n/);
    const effect = complete(doc(`    actions   = ["iot:Subscribe"]\n    eff|\n${resources}`));
    assert.match(effect.apply('Effect'), /\n {4}effect = "Allow"\n/);
    assert.match(effect.apply('NotAction'), /\n {4}not_actions = \[""\]\n/);
  });

  it('hover works on HCL positions', () => {
    const { text, offsets } = withMarkers(statement('*', '"iot:Pub|lish"'));
    const doc = tf(text);
    const td = TextDocument.create('file:///t', 'terraform', 1, text);
    const h = doHover(td, doc.policies[0].model, td.positionAt(offsets[0]));
    assert.match(JSON.stringify(h?.contents), /iot:Publish/);
  });
});

ruleTester('terraform-variable-not-escaped', {
  host: (t) => tf(t),
  valid: [
    encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:${var.region}:1:client/$${iot:ClientId}" },'),
    'resource "aws_iot_policy" "p" {\n  policy = data.aws_iam_policy_document.d.json\n}\ndata "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["iot:Connect"]\n    resources = ["arn:aws:iot:*:*:client/&{iot:ClientId}"]\n  }\n}\n',
  ],
  invalid: [
    {
      name: 'in jsonencode',
      code: encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:${var.region}:1:client/[[${iot:ClientId}]]" },'),
      errors: [{ messageId: 'unescaped' }],
      output: encoded('      { Effect = "Allow", Action = "iot:Connect", Resource = "arn:aws:iot:${var.region}:1:client/$${iot:ClientId}" },'),
    },
    {
      name: 'in a heredoc, twice, the second one opaque-adjacent',
      code: 'resource "aws_iot_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/[[${iot:ClientId}]]/${var.x}/[[${aws:SourceIp}]]"}]}\nEOF\n}\n',
      errors: [{ messageId: 'unescaped' }, { messageId: 'unescaped' }],
      output: 'resource "aws_iot_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/$${iot:ClientId}/${var.x}/${aws:SourceIp}"}]}\nEOF\n}\n',
    },
  ],
});

describe('policies no aws_iot_policy names, found by their content', () => {
  before(() => loadGrammars('hcl'));

  it('a file that opens with comments is read (its blocks come after them)', () => {
    const text = '# IoT policies of the fleet\n// owned by the platform team\n' + 'resource "aws_iot_policy" "p" {\n  name   = "p"\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iot:Pubish", Resource = "*" }] })\n}\n';
    assert.deepEqual(found(text, ['unknown-action']), ['unknown-action 5:92 "iot:Pubish"']);
  });

  it("a module's input and a template_file template holding a policy are policies, named by address", () => {
    const text = [
      'module "iot" {', '  source      = "../modules/iot"', '  thing_names = ["a"]',
      '  policy_json = jsonencode({', '    Version   = "2012-10-17"',
      '    Statement = [{ Effect = "Allow", Action = ["iot:Pubish"], Resource = "*" }]', '  })', '}',
      'data "template_file" "device" {', '  template = <<EOF',
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:eu-west-1:1:topic/a"}]}',
      'EOF', '}',
      'module "other" {', '  source = "../x"', '  tags   = { team = "iot:platform" }', '}', '',
    ].join('\n');
    const doc = tf(text);
    assert.deepEqual(doc.policies.map((p) => p.name), ['module.iot.policy_json', 'data.template_file.device.template']);
    assert.deepEqual(found(text, ['unknown-action', 'resource-type-mismatch']), ['unknown-action 6:49 "iot:Pubish"', 'resource-type-mismatch 11:125 "topic"']);
  });
});
