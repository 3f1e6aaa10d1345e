/**
 * The CDK host: `CfnPolicy` constructs in TypeScript, JavaScript and Python stacks, read at their
 * exact positions through every escape; substitutions opaque (never a false error, the known parts
 * still checked); the CDK's own policy classes mapped to the policy shape; fixes written in the
 * language's syntax, each re-parsed with its grammar to prove the code stays valid; completion
 * items applied and compared as text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import {
  analyzeDocument, doComplete, doHover, getCodeActions, getPolicyDocumentSymbols, openPolicyDocument, policyAt, toDiagnostics,
  type AnalyzedFinding, type PolicyDocument,
} from '../../server/src/service';
import { getCodeLenses } from '../../server/src/service/features/codeLens';
import { cdkDocument, codeLanguageOf, mentionsIotPolicy, type CdkOptions } from '../../server/src/service/hosts/cdk';
import { parserFor } from '../../server/src/service/hosts/grammars';
import { loadGrammars } from '../util/grammars';
import { ruleTester } from '../util/ruleTester';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cdk');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function languageOf(file: string): 'typescript' | 'python' {
  return file.endsWith('.py') ? 'python' : 'typescript';
}

function open(text: string, file = 'stack.ts', cdk?: CdkOptions, detectByContent = false): PolicyDocument {
  const doc = openPolicyDocument(text, { path: `/app/lib/${file}`, policyGlobs: [], detectByContent, cdk });
  assert.ok(doc, `${file} is read as a CDK stack`);
  return doc;
}

/** `rule line:column "text"` of each finding, in document order. */
function found(text: string, file = 'stack.ts', only?: string[], cdk?: CdkOptions, byContent = false): string[] {
  const td = TextDocument.create('file:///t', 'typescript', 1, text);
  return analyzeDocument(open(text, file, cdk, byContent))
    .filter((f) => !only || only.includes(f.ruleId))
    .map((f) => {
      const p = td.positionAt(f.span.offset);
      return `${f.ruleId} ${p.line + 1}:${p.character + 1} ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`;
    });
}

/** ERROR and missing nodes of the language's parse. */
function parseErrors(text: string, file: string): number {
  const tree = parserFor(languageOf(file))!.parse(text)!;
  let n = 0;
  const visit = (node: NonNullable<ReturnType<typeof tree.rootNode.child>>): void => {
    if (node.isError || node.isMissing) n++;
    if (!node.hasError) return;
    for (let i = 0; i < node.childCount; i++) visit(node.child(i)!);
  };
  visit(tree.rootNode);
  tree.delete();
  return n;
}

/**
 * Applies a quick fix of the first finding of `ruleId` (the preferred one, or the one whose title
 * matches), the way the editor does; the result must parse as cleanly as before.
 */
function fixed(text: string, ruleId: string, file = 'stack.ts', title?: RegExp, byContent = false): string {
  const doc = open(text, file, undefined, byContent);
  const td = TextDocument.create(`file:///app/lib/${file}`, languageOf(file), 1, text);
  const f = analyzeDocument(doc).find((x) => x.ruleId === ruleId) as AnalyzedFinding;
  assert.ok(f, `a ${ruleId} finding`);
  const diagnostics = toDiagnostics(td, [f]);
  const actions = getCodeActions(td, doc, diagnostics[0].range, diagnostics, { only: ['quickfix'] });
  const action = title ? actions.find((a) => title.test(a.title)) : actions.find((a) => a.isPreferred) ?? actions[0];
  assert.ok(action, `a quick fix for ${ruleId}; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  const out = TextDocument.applyEdits(td, action.edit!.changes![td.uri]);
  assert.ok(parseErrors(out, file) <= parseErrors(text, file), `"${action.title}" leaves code that does not parse:\n${out}`);
  return out;
}

/** A snippet as the editor inserts it: placeholders kept, tab stops dropped, escapes resolved. */
function expandSnippet(s: string): string {
  return s.replace(/\\([\\$}])|\$\{\d+:((?:\\.|[^}\\])*)\}|\$\{\d+\|([^,|]*)[^}]*\}|\$\d+/g, (_m, esc?: string, ph?: string, choice?: string) =>
    esc ?? (ph !== undefined ? expandSnippet(ph) : choice ?? ''));
}

/** Completion at `|`: the items, and the text after accepting one (snippets expanded as the editor does). */
function complete(source: string, file = 'stack.ts', snippetSupport = false): { labels: string[]; apply(label: string): string; item(label: string): CompletionItem } {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const td = TextDocument.create(`file:///app/lib/${file}`, languageOf(file), 1, text);
  const list = doComplete(td, open(text, file), td.positionAt(offset), { snippetSupport });
  const item = (label: string): CompletionItem => {
    const it = list.items.find((i) => i.label === label);
    assert.ok(it, `${label} offered; got ${JSON.stringify(list.items.map((i) => i.label).slice(0, 30))}`);
    return it;
  };
  return {
    labels: list.items.map((i) => i.label),
    item,
    apply(label) {
      const it = item(label);
      const e = it.textEdit as TextEdit;
      return TextDocument.applyEdits(td, [{ range: e.range, newText: it.insertTextFormat === 2 ? expandSnippet(e.newText) : e.newText }]);
    },
  };
}

/** A TypeScript stack around one policy document. */
function tsStack(document: string, head = ''): string {
  return `import * as cdk from 'aws-cdk-lib';\nimport * as iot from 'aws-cdk-lib/aws-iot';\n${head}\nexport class S extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n    super(scope, id);\n    new iot.CfnPolicy(this, 'P', {\n      policyDocument: ${document},\n    });\n  }\n}\n`;
}

/** A Python stack around one policy document. */
function pyStack(document: string, head = ''): string {
  return `from aws_cdk import Stack, aws_iam as iam, aws_iot as iot\n${head}\n\nclass S(Stack):\n    def __init__(self, scope, construct_id):\n        super().__init__(scope, construct_id)\n        iot.CfnPolicy(self, "P", policy_document=${document})\n`;
}

/**
 * The number of policies the host reads in each text, read in a worker thread: a text the reader
 * never finishes fails the test at the deadline instead of stalling the whole run.
 */
function policyCountsInWorker(texts: [string, string][], deadlineMs: number): Promise<number[]> {
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { useNodeWasm } = require(workerData.out + '/server/src/node/wasm.js');
    const { ensureGrammar } = require(workerData.out + '/server/src/service/hosts/grammars.js');
    const { cdkDocument } = require(workerData.out + '/server/src/service/hosts/cdk/index.js');
    useNodeWasm();
    Promise.all([ensureGrammar('typescript'), ensureGrammar('python')]).then(() => {
      parentPort.postMessage(workerData.texts.map(([text, file]) => {
        const python = file.endsWith('.py');
        return cdkDocument(text, '/app/lib/' + file, python ? 'python' : 'typescript')?.policies.length ?? 0;
      }));
    });`;
  const worker = new Worker(script, { eval: true, workerData: { texts, out: path.join(__dirname, '..', '..') } });
  return new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the reader did not finish within ${deadlineMs} ms`)), deadlineMs);
    worker.once('message', (counts: number[]) => {
      clearTimeout(timer);
      resolve(counts);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).finally(() => void worker.terminate());
}

before(() => loadGrammars('typescript', 'python'));

describe('which files the CDK host reads', () => {
  it('TypeScript, JavaScript and Python by extension or language id; declaration files are not code', () => {
    assert.equal(codeLanguageOf('lib/stack.ts'), 'typescript');
    assert.equal(codeLanguageOf('bin/app.mjs'), 'typescript');
    assert.equal(codeLanguageOf('lib/stack.cts'), 'typescript');
    assert.equal(codeLanguageOf('lib/stack.js'), 'typescript');
    assert.equal(codeLanguageOf('app.py'), 'python');
    assert.equal(codeLanguageOf('lib/stack.d.ts'), undefined);
    assert.equal(codeLanguageOf('untitled', 'javascript'), 'typescript');
  });

  it('a file that names no CfnPolicy is not parsed: one string search', () => {
    const text = 'import * as iam from "aws-cdk-lib/aws-iam";\nnew iam.PolicyDocument({ statements: [] });\n'.repeat(300);
    assert.equal(mentionsIotPolicy(text), false);
    assert.equal(cdkDocument(text, 'role.ts', 'typescript'), undefined);
  });

  it("IAM's CfnPolicy and unrelated classes of that name are not IoT policies", () => {
    const text = "import * as iam from 'aws-cdk-lib/aws-iam';\nnew iam.CfnPolicy(this, 'P', { policyDocument: { Statement: [] }, policyName: 'p' });\nclass CfnPolicy {}\nnew CfnPolicy();\n";
    assert.equal(openPolicyDocument(text, { path: 'x.ts', policyGlobs: [], detectByContent: false }), undefined);
  });

  it('every way of naming the construct: namespace, default, alias, aws-cdk-lib member, require, CDK v1, Python imports', () => {
    const doc = { ts: "{ Version: '2012-10-17', Statement: [] }", py: '{"Version": "2012-10-17", "Statement": []}' };
    const ts = [
      `import * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, 'A', { policyDocument: ${doc.ts} });`,
      `import Iot from 'aws-cdk-lib/aws-iot'\nnew Iot.CfnPolicy(this, 'A', { policyDocument: ${doc.ts} })`,
      `import { CfnPolicy as IotPolicy } from 'aws-cdk-lib/aws-iot';\nnew IotPolicy(this, 'A', { policyDocument: ${doc.ts} });`,
      `import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_iot.CfnPolicy(this, 'A', { policyDocument: ${doc.ts} });`,
      `import { aws_iot as iot } from 'aws-cdk-lib';\nnew iot.CfnPolicy(this, 'A', { policyDocument: ${doc.ts} });`,
      `const { CfnPolicy } = require('aws-cdk-lib/aws-iot');\nnew CfnPolicy(this, 'A', { policyDocument: ${doc.ts} });`,
      `import {CfnPolicy} from "@aws-cdk/aws-iot";\nnew CfnPolicy(this, "A", { policyDocument: ${doc.ts} });`,
    ];
    for (const t of ts) assert.deepEqual(open(t, 'stack.js').policies.map((p) => p.key), ['A'], t);
    const py = [
      `from aws_cdk import aws_iot as iot\niot.CfnPolicy(self, "A", policy_document=${doc.py})`,
      `from aws_cdk import (\n    aws_iot\n)\naws_iot.CfnPolicy(self, "A", policy_document=${doc.py})`,
      `import aws_cdk.aws_iot as iot\niot.CfnPolicy(self, "A", policy_document=${doc.py})`,
      `import aws_cdk as cdk\ncdk.aws_iot.CfnPolicy(self, "A", policy_document=${doc.py})`,
      `from aws_cdk.aws_iot import CfnPolicy\nCfnPolicy(self, "A", policy_document=${doc.py})`,
    ];
    for (const t of py) assert.deepEqual(open(t, 'app.py').policies.map((p) => p.key), ['A'], t);
  });
});

describe('construct ids', () => {
  it('a computed id is named as written between its delimiters', () => {
    const ts = "import * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, `${this.props.resourcePrefix}-gg-thing-policy`, { policyDocument: { Version: '2012-10-17', Statement: [] } });\n";
    assert.deepEqual(open(ts).policies.map((p) => p.key), ['${this.props.resourcePrefix}-gg-thing-policy']);
    const py = 'from aws_cdk import aws_iot as iot\niot.CfnPolicy(self, f"{prefix}-policy", policy_document={"Version": "2012-10-17", "Statement": []})\n';
    assert.deepEqual(open(py, 'app.py').policies.map((p) => p.key), ['{prefix}-policy']);
  });

  it('two constructs with one id get distinct keys', () => {
    const ts = "import * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, 'P', { policyDocument: {} });\nnew iot.CfnPolicy(this, 'P', { policyDocument: {} });\n";
    assert.deepEqual(open(ts).policies.map((p) => [p.key, p.name]), [['P', 'P'], ['P#2', 'P']]);
  });
});

describe('TypeScript: object literals and template literals', () => {
  const text = fixture('device-stack.ts');

  it('findings at the exact characters of the file, through \\${ and \\u escapes', () => {
    assert.deepEqual(found(text), [
      'unknown-policy-variable 28:75 "\\\\${iot:Connection.Thing.ThingNme}"',
      'escape-outside-sub 39:84 "\\\\${!iot:ClientId}"',
      'resource-type-mismatch 46:68 "topic"',
      'unknown-action 65:39 "iot:\\\\u0050ubish"',
      'overly-permissive 66:60 "*"',
    ]);
  });

  it('substitutions are opaque: no false error on ${cdk.Aws.REGION}, ${this.account}, ${props.fleetName}', () => {
    assert.deepEqual(found(text, undefined, ['invalid-arn', 'arn-placeholder', 'template-syntax', 'unknown-policy-variable']), [
      'unknown-policy-variable 28:75 "\\\\${iot:Connection.Thing.ThingNme}"',
    ]);
  });

  it('one policy per construct, by construct id; a policy in a const is found from inside the const', () => {
    const doc = open(text);
    assert.deepEqual(doc.policies.map((p) => [p.key, p.detail, text.substr(p.nameSpan!.offset, p.nameSpan!.length)]), [
      ['DevicePolicy', undefined, 'DevicePolicy'],
      ['DashboardPolicy', undefined, 'DashboardPolicy'],
    ]);
    assert.equal(policyAt(doc, text.indexOf("'iot:GetThingShadow'"))?.key, 'DashboardPolicy');
    assert.equal(doc.policies[0].model.host.id, 'cdk');
  });

  it('a constant string in a substitution is read (its characters are the constant\'s)', () => {
    const sv = open(text).policies[0].model.strings.find((s) => s.value.includes('fleet/telemetry'));
    assert.ok(sv, 'the Publish resource holds the constant');
    assert.equal(sv.value, 'arn:aws:iot:*:*:topic/fleet/telemetry/${iot:Connection.Thing.ThingName}');
    assert.equal(sv.opaque.length, 2);
  });

  it('the fixes keep TypeScript: \\${ stays escaped, single quotes stay single', () => {
    assert.match(fixed(text, 'unknown-policy-variable', undefined, /ThingName\}'$/), /client\/\\\$\{iot:Connection\.Thing\.ThingName\}`,/);
    assert.match(fixed(text, 'escape-outside-sub'), /\/\\\$\{iot:ClientId\}\/status`/);
    assert.match(fixed(text, 'resource-type-mismatch'), /:topicfilter\/commands\/\\\$\{iot:Connection\.Thing\.ThingName\}`/);
    assert.match(fixed(text, 'unknown-action'), /Action: \['iot:GetThingShadow', 'iot:Publish'\],/);
  });

  it('known pseudo parameters fill in ${cdk.Aws.REGION} and ${this.account}', () => {
    const values = new Map([['AWS::Region', 'eu-west-1'], ['AWS::AccountId', '493812760155']]);
    const sv = open(text, undefined, { values }).policies[0].model.strings.find((s) => s.value.includes(':client/'));
    assert.equal(sv?.value, 'arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingNme}');
    assert.deepEqual(sv?.opaque, []);
  });
});

describe('TypeScript: escapes map one decoded character to its escape', () => {
  it('\\n, \\u0041, \\\\, \\x41 and a line continuation in quoted strings; \\` and \\${ in templates', () => {
    const text = tsStack("{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:\\u0043onnect', Resource: ['a\\nb', 'c\\\\d', 'e\\x41\\\nf', `g\\`h\\${iot:ClientId}`] }] }");
    const model = open(text).policies[0].model;
    const values = model.strings.map((s) => s.value);
    for (const v of ['iot:Connect', 'a\nb', 'c\\d', 'eAf', 'g`h${iot:ClientId}']) assert.ok(values.includes(v), `${JSON.stringify(v)} in ${JSON.stringify(values)}`);
    const action = model.statements[0].action!.items[0];
    assert.equal(text.slice(action.offsetOf(4), action.offsetOf(5)), '\\u0043');
    const tpl = model.strings.find((s) => s.value.startsWith('g`h'))!;
    const v = tpl.variables[0];
    assert.equal(text.substr(v.span.offset, v.span.length), '\\${iot:ClientId}');
    assert.equal(text.substr(v.nameSpan.offset, v.nameSpan.length), 'iot:ClientId');
  });
});

describe('TypeScript: the CDK policy classes', () => {
  const text = fixture('iam-stack.ts');

  it('PolicyStatement properties read as Effect/Action/Resource; formatArn as an ARN; addResources of a statement constant', () => {
    assert.deepEqual(found(text, undefined, ['unknown-action', 'resource-type-mismatch', 'missing-element', 'missing-version']), [
      'unknown-action 10:33 "iot:Pubish"',
      'resource-type-mismatch 28:59 "topic"',
    ]);
    const model = open(text).policies[0].model;
    assert.deepEqual(model.statements.map((s) => s.effectValue?.value), ['Allow', 'Allow', 'Allow']);
    assert.equal(model.versionValue?.value, '2012-10-17');
    assert.deepEqual(model.statements[1].resource?.items.map((i) => i.value), [
      'arn:aws:iot:*:*:topic/gateways/${iot:ClientId}/telemetry',
      'arn:aws:iot:*:*:topic/gateways/${iot:ClientId}/events',
    ]);
    assert.equal(model.statements[2].resource?.items[0].value, 'arn:*:iot:*:*:topic/gateways/${iot:ClientId}/commands');
  });

  it('PolicyDocument.fromJson: the Version the CDK adds is not missing', () => {
    assert.deepEqual(found(text, undefined, ['missing-version']), []);
    assert.equal(open(text).policies[1].key, 'ProvisioningPolicy');
  });

  it('fixes inside a PolicyStatement; a new statement in the fromJson list laid out as its neighbours', () => {
    assert.match(fixed(text, 'unknown-action'), /actions: \['iot:Publish', 'iot:Publish'\],/);
    assert.match(fixed(text, 'resource-type-mismatch'), /resource: 'topicfilter', resourceName/);
    const added = fixed(text, 'missing-dependent-action');
    assert.ok(added.includes([
      '          },',
      '          {',
      "            Effect: 'Allow',",
      "            Action: 'iot:Connect',",
      "            Resource: 'arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}',",
      "            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },",
      '          },',
      '        ],',
    ].join('\n')), added);
  });

  it('a condition added to a PolicyStatement is written as `conditions:`', () => {
    const src = tsStack(
      "new iam.PolicyDocument({\n        statements: [\n          new iam.PolicyStatement({\n            effect: iam.Effect.ALLOW,\n            actions: ['iot:Connect'],\n            resources: ['arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingName}'],\n          }),\n        ],\n      })",
      "import * as iam from 'aws-cdk-lib/aws-iam';",
    );
    const out = fixed(src, 'connect-without-attached-thing');
    assert.match(out, /resources: \['arn[^\n]*'\],\n {12}conditions: \{ Bool: \{ 'iot:Connection\.Thing\.IsAttached': 'true' \} \},\n {10}\}\),/);
  });

  it('a statement added to a PolicyDocument is a new PolicyStatement in the file\'s spelling', () => {
    const src = tsStack(
      "new iam.PolicyDocument({\n        statements: [\n          new iam.PolicyStatement({\n            actions: ['iot:Subscribe'],\n            resources: ['arn:aws:iot:eu-west-1:493812760155:topicfilter/fleet/cmd'],\n          }),\n        ],\n      })",
      "import * as iam from 'aws-cdk-lib/aws-iam';",
    );
    const out = fixed(src, 'missing-dependent-action');
    assert.ok(out.includes([
      '          }),',
      '          new iam.PolicyStatement({',
      '            effect: iam.Effect.ALLOW,',
      "            actions: ['iot:Receive'],",
      "            resources: ['arn:aws:iot:eu-west-1:493812760155:topic/fleet/cmd'],",
      '          }),',
      '          new iam.PolicyStatement({',
    ].join('\n')), out);
  });

  it('a principal is removed with its line', () => {
    const src = tsStack(
      "new iam.PolicyDocument({\n        statements: [\n          new iam.PolicyStatement({\n            principals: [new iam.AnyPrincipal()],\n            actions: ['iot:Connect'],\n            resources: ['*'],\n          }),\n        ],\n      })",
      "import * as iam from 'aws-cdk-lib/aws-iam';",
    );
    assert.deepEqual(found(src, undefined, ['principal-not-supported']), ['principal-not-supported 11:13 "principals"']);
    assert.ok(!fixed(src, 'principal-not-supported').includes('principals'));
  });
});

describe('TypeScript: policies as JSON text, Fn.sub and other files', () => {
  const text = fixture('text-stack.ts');

  it('JSON.parse of a template literal: JSON errors and policy findings in place; Fn.sub reads ${!...}', () => {
    assert.deepEqual(found(text), [
      'resource-type-mismatch 17:67 "topicfilter"',
      'json-syntax 17:89 ","',
      'overly-permissive 28:81 "${iot:ClientId}"',
      'sub-variable-not-escaped 28:81 "${iot:ClientId}"',
    ]);
  });

  it('fixes inside the JSON text and inside Fn.sub', () => {
    assert.match(fixed(text, 'json-syntax'), /topicfilter\/readers\/\*"\n/);
    assert.match(fixed(text, 'sub-variable-not-escaped'), /client\/\$\{!iot:ClientId\}'\)/);
  });

  it('a substitution inside a JSON string is opaque; one outside the strings makes the document unknown', () => {
    const inString = tsStack('JSON.parse(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:${this.region}:${this.account}:topic/a"}]}`)');
    assert.deepEqual(found(inString, undefined, ['invalid-arn', 'arn-placeholder', 'json-syntax']), []);
    const outside = tsStack('JSON.parse(`{"Version": "2012-10-17", "Statement": ${JSON.stringify(statements)}}`)');
    assert.deepEqual(found(outside), []);
  });

  it('the file a stack reads with readFileSync is read through the injected reader; its findings are its own', () => {
    const reads: string[] = [];
    const readFile = (p: string) => {
      reads.push(p);
      return { path: p, text: fixture('policies/device-policy.json') };
    };
    const doc = open(text, 'text-stack.ts', { readFile });
    assert.deepEqual(reads, ['/app/lib/policies/device-policy.json']);
    assert.deepEqual(doc.policies.map((p) => p.key), ['ReaderPolicy', 'SubPolicy']);
    assert.equal(doc.linked?.length, 1);
    const linked = doc.linked![0];
    assert.equal(linked.name, 'FilePolicy');
    assert.deepEqual(analyzeDocument(linked.document).map((f) => f.ruleId).filter((r) => r === 'resource-type-mismatch'), ['resource-type-mismatch']);
    // Without a reader (the editor) the file is not followed.
    assert.equal(open(text, 'text-stack.ts').linked, undefined);
  });
});

describe('Python stacks', () => {
  const text = fixture('iot_stack.py');

  it('findings at their place: f-strings, .format, % and json.loads', () => {
    assert.deepEqual(found(text, 'iot_stack.py'), [
      'fstring-variable-not-escaped 34:104 "${iot:Connection.Thing.ThingName}"',
      'unknown-policy-variable 35:57 "${{iot:Connection.Thing.ThingNam}}"',
      'missing-dependent-action 46:31 "iot:Subscribe"',
      'resource-type-mismatch 46:48 "iot:Receive"',
      'overly-permissive 55:131 "${iot:ClientId}"',
    ]);
  });

  it('f-string fields, .format fields and % conversions are opaque; the module constant is read', () => {
    const model = open(text, 'iot_stack.py').policies[0].model;
    const values = model.strings.map((s) => s.value);
    assert.ok(values.includes('arn:*:iot:*:*:client/${iot:Connection.Thing.ThingName}'), JSON.stringify(values));
    assert.ok(values.includes('arn:*:iot:*:*:topic/fleet/${iot:Connection.Thing.ThingName}/data'));
    assert.ok(values.includes('arn:aws:iot:*:*:topic/*/${iot:Connection.Thing.ThingNam}/state'));
    const operator = open(text, 'iot_stack.py').policies[1].model;
    assert.equal(operator.statements[0].resource?.items[0].value, 'arn:aws:iot:*:*:topicfilter/operators/*');
  });

  it('fixes keep Python: doubled braces, keyword arguments, escapes of a triple-quoted string', () => {
    assert.match(fixed(text, 'fstring-variable-not-escaped', 'iot_stack.py'), /topic\/\{TOPIC_ROOT\}\/\$\{\{iot:Connection\.Thing\.ThingName\}\}\/data"/);
    assert.match(fixed(text, 'unknown-policy-variable', 'iot_stack.py', /ThingName\}'$/), /\/\$\{\{iot:Connection\.Thing\.ThingName\}\}\/state"\.format/);
    assert.ok(fixed(text, 'missing-dependent-action', 'iot_stack.py').includes([
      '                ),',
      '                iam.PolicyStatement(',
      '                    effect=iam.Effect.ALLOW,',
      '                    actions=["iot:Receive"],',
      '                    resources=["arn:aws:iot:*:*:topic/operators/*"],',
      '                ),',
    ].join('\n')));
    assert.match(fixed(text, 'overly-permissive', 'iot_stack.py'), /client\/\$\{iot:Connection\.Thing\.ThingName\}", "Condition": \{"Bool"/);
  });

  it('a condition added to a dict statement is a dict entry', () => {
    const src = pyStack('{\n            "Version": "2012-10-17",\n            "Statement": [{\n                "Effect": "Allow",\n                "Action": "iot:Connect",\n                "Resource": f"arn:aws:iot:{self.region}:{self.account}:client/${{iot:Connection.Thing.ThingName}}",\n            }],\n        }');
    const out = fixed(src, 'connect-without-attached-thing', 'app.py');
    assert.match(out, /ThingName\}\}",\n {16}"Condition": \{"Bool": \{"iot:Connection\.Thing\.IsAttached": "true"\}\},\n/);
  });
});

describe('more forms: Arn.format, format_arn, add_actions, addStatements, Fn.sub in Python, files read in Python', () => {
  const values = (doc: PolicyDocument) => doc.policies.map((p) => p.model.statements.map((st) => [st.action?.items.map((i) => i.value), st.resource?.items.map((i) => i.value)]));

  it('Arn.format in TypeScript: the resource type is checked where it is written', () => {
    const text = tsStack("{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: cdk.Arn.format({ service: 'iot', resource: 'topic', resourceName: 'a/b', arnFormat: cdk.ArnFormat.SLASH_RESOURCE_NAME }, this) }] }");
    assert.deepEqual(values(open(text)), [[[['iot:Subscribe'], ['arn:*:iot:*:*:topic/a/b']]]]);
    assert.deepEqual(found(text, undefined, ['resource-type-mismatch']), ['resource-type-mismatch 8:158 "topic"']);
  });

  it('format_arn, Arn.format(ArnComponents(...)) and add_actions on a statement variable in Python', () => {
    const text = [
      'from aws_cdk import Stack, Arn, ArnComponents, aws_iam as iam, aws_iot as iot',
      'st = iam.PolicyStatement(resources=[Stack.of(self).format_arn(service="iot", resource="topic", resource_name="a/b")])',
      'st.add_actions("iot:Receive", "iot:Receeve")',
      'iot.CfnPolicy(self, "P", policy_document=iam.PolicyDocument(statements=[st]))',
      'iot.CfnPolicy(self, "Q", policy_document=iam.PolicyDocument(statements=[iam.PolicyStatement(actions=["iot:Publish"], resources=[Arn.format(ArnComponents(service="iot", resource="topicfilter", resource_name="x"), self)])]))',
      '',
    ].join('\n');
    assert.deepEqual(values(open(text, 'app.py')), [
      [[['iot:Receive', 'iot:Receeve'], ['arn:*:iot:*:*:topic/a/b']]],
      [[['iot:Publish'], ['arn:*:iot:*:*:topicfilter/x']]],
    ]);
    assert.deepEqual(found(text, 'app.py', ['unknown-action', 'resource-type-mismatch']), [
      'unknown-action 3:32 "iot:Receeve"',
      'resource-type-mismatch 5:179 "topicfilter"',
    ]);
  });

  it('addStatements on a PolicyDocument constant', () => {
    const text = "import * as iot from 'aws-cdk-lib/aws-iot';\nconst doc = new iam.PolicyDocument();\ndoc.addStatements(new iam.PolicyStatement({ actions: ['iot:Pubish'], resources: ['*'] }));\nnew iot.CfnPolicy(this, 'P', { policyDocument: doc });\n";
    assert.deepEqual(found(text, undefined, ['unknown-action']), ['unknown-action 3:56 "iot:Pubish"']);
  });

  it('Fn.sub in Python: ${!iot:ClientId} is the variable, no escape-outside-sub', () => {
    const text = pyStack('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": Fn.sub("arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/${!iot:ClientId}")}]}', 'from aws_cdk import Fn');
    assert.deepEqual(values(open(text, 'app.py')), [[[['iot:Connect'], ['arn:aws:iot:*:*:client/${iot:ClientId}']]]]);
    assert.deepEqual(found(text, 'app.py', ['escape-outside-sub', 'sub-variable-not-escaped']), []);
  });

  it('files a Python stack or a require reads: with open(...) as f, open(...).read(), os.path.join(os.path.dirname(__file__), ...)', () => {
    const reads: string[] = [];
    const readFile = (p: string) => {
      reads.push(p);
      return { path: p, text: '{"Version": "2012-10-17", "Statement": []}' };
    };
    const py = [
      'import json, os',
      'from aws_cdk import aws_iot as iot',
      'with open(os.path.join(os.path.dirname(__file__), "policies", "device.json")) as f:',
      '    doc = json.load(f)',
      'iot.CfnPolicy(self, "A", policy_document=doc)',
      'iot.CfnPolicy(self, "B", policy_document=json.loads(open("policies/operator.json").read()))',
      '',
    ].join('\n');
    const doc = open(py, 'app.py', { readFile });
    assert.deepEqual(doc.linked?.map((l) => [l.name, l.path]), [['A', '/app/lib/policies/device.json'], ['B', 'policies/operator.json']]);
    open("import * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, 'P', { policyDocument: require('./policy.json') });\n", 'stack.ts', { readFile });
    const fromJson = "import * as fs from 'node:fs';\nimport * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, 'P', { policyDocument: iam.PolicyDocument.fromJson(JSON.parse(fs.readFileSync('policies/p.json').toString())) });\n";
    open(fromJson, 'stack.ts', { readFile });
    assert.deepEqual(reads, ['/app/lib/policies/device.json', 'policies/operator.json', '/app/lib/policy.json', 'policies/p.json']);
  });
});

describe('completion inside the policy literals', () => {
  const stmt = (resource: string) => tsStack(`{\n        Version: '2012-10-17',\n        Statement: [{\n          Effect: 'Allow',\n          Action: 'iot:Publish',\n          Resource: ${resource},\n        }],\n      }`);

  it('after \\${ in a template literal: the variable, closed, the substitutions kept', () => {
    const c = complete(stmt('`arn:aws:iot:${cdk.Aws.REGION}:${cdk.Aws.ACCOUNT_ID}:topic/\\${iot:|`'));
    assert.match(c.apply('iot:Connection.Thing.ThingName'), /Resource: `arn:aws:iot:\$\{cdk\.Aws\.REGION\}:\$\{cdk\.Aws\.ACCOUNT_ID\}:topic\/\\\$\{iot:Connection\.Thing\.ThingName\}`,/);
  });

  it('a bare ${ in a template literal is rewritten as \\${', () => {
    const c = complete(stmt('`arn:aws:iot:${cdk.Aws.REGION}:${cdk.Aws.ACCOUNT_ID}:topic/${|}`'));
    assert.match(c.apply('iot:ClientId'), /:topic\/\\\$\{iot:ClientId\}`,/);
  });

  it('a topic after topic/ in a template literal keeps its substitutions and escapes the variable', () => {
    const c = complete(stmt('`arn:aws:iot:${cdk.Aws.REGION}:${cdk.Aws.ACCOUNT_ID}:topic/|`'), undefined, true);
    assert.match(c.apply('${iot:Connection.Thing.ThingName}/*'), /:topic\/\\\$\{iot:Connection\.Thing\.ThingName\}\/\*`,/);
  });

  it('an ARN with a policy variable in a template literal is written with \\${', () => {
    const c = complete(stmt('`|`'), undefined, true);
    const out = c.apply('arn:aws:iot:region:account:topic/${iot:Connection.Thing.ThingName}/*');
    assert.match(out, /Resource: `arn:aws:iot:region:account:topic\/\\\$\{iot:Connection\.Thing\.ThingName\}\/\*`,/);
  });

  it('actions in a quoted string, keys outside strings in the file\'s key style', () => {
    const actions = complete(tsStack("{\n        Version: '2012-10-17',\n        Statement: [{ Effect: 'Allow', Action: 'iot:Pub|' }],\n      }"));
    assert.match(actions.apply('iot:Publish'), /Action: 'iot:Publish' \}/);
    const keys = complete(tsStack("{\n        Version: '2012-10-17',\n        Statement: [{\n          Effect: 'Allow',\n          Res|\n        }],\n      }"));
    assert.match(keys.apply('Resource'), /\n {10}Resource: ''\n/);
  });

  it('a key in JSON text held in a string is written as JSON, escaped for that string', () => {
    const c = complete(tsStack('JSON.parse("{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", Act|}]}")'));
    assert.match(c.apply('Action'), /\\"Effect\\": \\"Allow\\", \\"Action\\": \\"\\"\}\]\}"\)/);
  });

  it('in a Python f-string, ${{ is the variable\'s opening and the close is doubled', () => {
    const src = (r: string) => pyStack(`{\n            "Version": "2012-10-17",\n            "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": ${r}}],\n        }`);
    const open1 = complete(src('f"arn:aws:iot:{self.region}:{self.account}:topic/${{iot:|"'), 'app.py');
    assert.match(open1.apply('iot:ClientId'), /topic\/\$\{\{iot:ClientId\}\}"/);
    const bare = complete(src('f"arn:aws:iot:{self.region}:{self.account}:topic/|"'), 'app.py', true);
    assert.match(bare.apply('${iot:Connection.Thing.ThingName}/*'), /topic\/\$\{\{iot:Connection\.Thing\.ThingName\}\}\/\*"/);
  });
});

describe('policies held as JSON text in a string constant (found by content)', () => {
  const ts = fixture('policy-constants.ts');
  const py = fixture('policy_constants.py');

  it('TypeScript: the constants holding an IoT policy, by the names they are bound to; IAM text is not one', () => {
    assert.deepEqual(open(ts, 'policy-constants.ts', undefined, true).policies.map((p) => [p.key, ts.substr(p.nameSpan!.offset, p.nameSpan!.length)]), [
      ['devicePolicy', 'devicePolicy'], ['reader', 'reader'],
    ]);
  });

  it('findings at the characters of the file; none on ${...}, <%= ... %> or {{ ... }}', () => {
    assert.deepEqual(found(ts, 'policy-constants.ts', undefined, undefined, true), [
      'connect-without-attached-thing 12:68 "\\\\${iot:Connection.Thing.ThingName}"',
      'resource-type-mismatch 17:59 "topicfilter"',
      'resource-type-mismatch 22:52 "topic"',
      'unknown-action 28:83 "iot:Publsh"',
    ]);
    const values = open(ts, 'policy-constants.ts', undefined, true).policies[0].model.strings.map((v) => v.value);
    assert.ok(values.includes('arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}'), JSON.stringify(values));
    assert.ok(values.includes('arn:aws:iot:*:*:topicfilter/fleet/${iot:ClientId}/*'), 'the constant PREFIX is read');
  });

  it('Python: a triple-quoted constant and a returned f-string; a docstring is prose', () => {
    assert.deepEqual(open(py, 'policy_constants.py', undefined, true).policies.map((p) => p.key), ['TELEMETRY_POLICY', 'policy_for']);
    assert.deepEqual(found(py, 'policy_constants.py', ['resource-type-mismatch', 'invalid-arn', 'arn-placeholder'], undefined, true), [
      'resource-type-mismatch 8:61 "topicfilter"',
      'resource-type-mismatch 14:139 "topic"',
    ]);
  });

  it('an unknown value outside the JSON strings is an opaque value, not a syntax error', () => {
    const text = 'export const p = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ${actions}, "Resource": <%- resources %>}, {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topicfilter/x"}]}`;\n';
    assert.deepEqual(found(text, 'stack.ts', undefined, undefined, true), ['resource-type-mismatch 1:206 "topicfilter"']);
  });

  it('strings a CfnPolicy reads stay its policy; nothing is read by content when detection is off', () => {
    assert.deepEqual(open(fixture('text-stack.ts'), 'text-stack.ts', undefined, true).policies.map((p) => p.key), ['ReaderPolicy', 'SubPolicy']);
    assert.deepEqual(open(fixture('iot_stack.py'), 'iot_stack.py', undefined, true).policies.map((p) => p.key), open(fixture('iot_stack.py'), 'iot_stack.py').policies.map((p) => p.key));
    assert.equal(openPolicyDocument(ts, { path: '/app/lib/policy-constants.ts', policyGlobs: [], detectByContent: false }), undefined);
    assert.ok(!mentionsIotPolicy(ts, false));
    assert.ok(mentionsIotPolicy(ts));
  });

  it('fixes are JSON text written in the literal: its quotes, \\${ and doubled braces kept', () => {
    assert.ok(fixed(ts, 'unknown-action', 'policy-constants.ts', undefined, true).includes(`"Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/it\\'s/<%= name %>"`));
    assert.ok(fixed(ts, 'resource-type-mismatch', 'policy-constants.ts', undefined, true).includes('"arn:aws:iot:{{ region }}:{{ account }}:topic/${PREFIX}/\\${iot:ClientId}/*"'));
    assert.match(fixed(ts, 'connect-without-attached-thing', 'policy-constants.ts', undefined, true), /ThingName\}",\n {6}"Condition": \{"Bool": \{"iot:Connection\.Thing\.IsAttached": "true"\}\}\n/);
    const triple = fixed(py, 'missing-dependent-action', 'policy_constants.py', undefined, true);
    assert.ok(triple.includes('}, {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"'), triple);
    const fstring = fixed(py.slice(py.indexOf('def policy_for')), 'missing-dependent-action', 'policy_constants.py', undefined, true);
    assert.ok(fstring.includes('topic/a/*"}}, {{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${{iot:Connection.Thing.ThingName}}"'), fstring);
  });

  it('the example of docs/cdk.md reports what the page shows', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'cdk.md'), 'utf8');
    const section = page.slice(page.indexOf('## Policies held in a string constant'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const shown = [...section.matchAll(/^lib\/constants\.ts:(\d+):(\d+) \w+ .*\[([a-z-]+)\]$/gm)].map((m) => `${m[3]} ${m[1]}:${m[2]}`);
    assert.equal(shown.length, 2);
    assert.deepEqual(found(example, 'constants.ts', undefined, undefined, true).map((f) => f.replace(/ ".*$/, '')), shown);
  });

  it('a value holding a placeholder or a substitution is never rewritten: no fix rather than a lossy one', () => {
    const policies = open(ts, 'policy-constants.ts', undefined, true).policies;
    const w = policies[0].writer();
    assert.deepEqual(w.setAt(['Statement', 0, 'Resource'], 'arn:aws:iot:*:*:client/a'), [], 'holds <%= region %>');
    assert.deepEqual(w.setAt(['Statement', 2, 'Resource'], 'arn:aws:iot:*:*:topicfilter/a'), [], 'holds ${cdk.Aws.REGION}');
    assert.deepEqual(w.setAt(['Statement', 1, 'Effect'], 'Deny').map((e) => e.text), ['"Deny"']);
    const resource = policies[0].model.statements[0].resource!.items[0];
    const region = resource.value.indexOf('*');
    assert.deepEqual(w.replaceInString(resource, region, region + 1, 'eu-west-1').text, '', 'the placeholder is not replaced');
  });
});

describe('outline, size lens, hover and syntax', () => {
  it('the outline has one entry per construct with its statements; a lens per policy', () => {
    const text = fixture('iam-stack.ts');
    const td = TextDocument.create('file:///app/lib/iam-stack.ts', 'typescript', 1, text);
    const doc = open(text);
    const symbols = getPolicyDocumentSymbols(td, doc);
    assert.deepEqual(symbols.map((s) => [s.name, s.detail]), [['GatewayPolicy', 'gateway-policy'], ['ProvisioningPolicy', 'IoT policy']]);
    assert.deepEqual(symbols[0].children?.filter((c) => c.name !== 'Version').map((c) => c.name), [
      'Allow iot:Connect → client/${ClientId}',
      'Allow iot:Publish, iot:Pubish → topic/gateways/${ClientId}/…, topic/gat…',
      'Allow iot:Subscribe → topic/gateways/${ClientId}/…',
    ]);
    const lenses = getCodeLenses(td, doc);
    assert.equal(lenses.length, 2);
    assert.match(lenses[0].command!.title, /^Policy size: at least \d+ \/ 2048 characters/);
    assert.equal(lenses[0].range.start.line, text.slice(0, text.indexOf('new iot.CfnPolicy')).split('\n').length - 1);
  });

  it('hover on an action inside a PolicyStatement', () => {
    const text = fixture('iam-stack.ts');
    const td = TextDocument.create('file:///t', 'typescript', 1, text);
    const doc = open(text);
    const at = text.indexOf("'iot:Connect'") + 3;
    const h = doHover(td, policyAt(doc, at)!.model, td.positionAt(at));
    assert.match(JSON.stringify(h?.contents), /iot:Connect/);
  });

  it('template-syntax never fires in code, and half-typed code elsewhere reports nothing of its own', () => {
    const text = tsStack("{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:${region}:${account}:topic/a' }] }");
    assert.deepEqual(found(text, undefined, ['template-syntax']), []);
    const broken = fixture('device-stack.ts').replace('super(scope, id, props);', 'super(scope, id, props;\n    const x = ');
    const rules = new Set(analyzeDocument(open(broken)).map((f) => f.ruleId));
    for (const r of ['template-syntax', 'template-syntax-error', 'json-syntax']) assert.ok(!rules.has(r), r);
    assert.ok(rules.has('unknown-action'), 'the policies are still read');
  });

  it('a name the parser inserts for a missing one (`Statement: }`, `{ CfnPolicy as }`) does not stall the reader', async () => {
    const texts: [string, string][] = [
      [tsStack("{ Version: '2012-10-17', Statement: }"), 'stack.ts'],
      [tsStack("{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: , Resource: '*' }] }"), 'stack.ts'],
      ["import { CfnPolicy as } from 'aws-cdk-lib/aws-iot';\nnew CfnPolicy(this, 'A', { policyDocument: {} });\n", 'stack.ts'],
      ["const { CfnPolicy: } = require('aws-cdk-lib/aws-iot');\nnew CfnPolicy(this, 'A', { policyDocument: {} });\n", 'stack.ts'],
      [pyStack('{"Version": "2012-10-17", "Statement": }'), 'app.py'],
    ];
    assert.deepEqual(await policyCountsInWorker(texts, 20_000), [1, 1, 0, 0, 1]);
  });
});

const py = (resource: string) => `from aws_cdk import aws_iot as iot\niot.CfnPolicy(self, "P", policy_document={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": ${resource}}]})\n`;

ruleTester('fstring-variable-not-escaped', {
  host: (t) => open(t, 'app.py'),
  valid: [
    py('f"arn:aws:iot:{region}:1:topic/${{iot:ClientId}}"'),
    py('"arn:aws:iot:eu-west-1:1:topic/${iot:ClientId}"'),
    py('"arn:aws:iot:%s:1:topic/${iot:ClientId}" % region'),
    { name: 'a field that is not a policy variable is opaque', code: py('f"arn:aws:iot:{region}:1:topic/${suffix}"') },
  ],
  invalid: [
    {
      code: py('f"arn:aws:iot:{region}:1:topic/[[${iot:ClientId}]]"'),
      errors: [{ messageId: 'fstring' }],
      output: py('f"arn:aws:iot:{region}:1:topic/${{iot:ClientId}}"'),
    },
    {
      name: 'a string .format fills in',
      code: py("'arn:aws:iot:{}:1:topic/[[${iot:Connection.Thing.ThingName}]]'.format(region)"),
      errors: [{ messageId: 'fstring' }],
      output: py("'arn:aws:iot:{}:1:topic/${{iot:Connection.Thing.ThingName}}'.format(region)"),
    },
  ],
});

const ts = (resource: string) => `import * as iot from 'aws-cdk-lib/aws-iot';\nnew iot.CfnPolicy(this, 'P', { policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: ${resource} }] } });\n`;

ruleTester('escape-outside-sub', {
  host: (t) => open(t),
  valid: [ts('`arn:aws:iot:${region}:1:topic/\\${iot:ClientId}`'), ts("Fn.sub('arn:aws:iot:${AWS::Region}:1:topic/${!iot:ClientId}')")],
  invalid: [{
    code: ts('`arn:aws:iot:${region}:1:topic/[[\\${!iot:ClientId}]]`'),
    errors: [{ messageId: 'cdk', message: /the CDK joins strings with `Fn::Join`/ }],
    output: ts('`arn:aws:iot:${region}:1:topic/\\${iot:ClientId}`'),
  }],
});

ruleTester('sub-variable-not-escaped', {
  host: (t) => open(t),
  valid: [ts("cdk.Fn.sub('arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${!iot:ClientId}')")],
  invalid: [{
    code: ts("cdk.Fn.sub('arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/[[${iot:ClientId}]]')"),
    errors: [{ messageId: 'unescaped' }],
    output: ts("cdk.Fn.sub('arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${!iot:ClientId}')"),
  }],
});
