// The CloudFormation host per keystroke: a 3,000-line YAML template with 40 IoT policies among
// 200 other resources, in the forms templates use (objects with `!Sub` and the `${!iot:...}`
// escape, `!Join`, a policy held as JSON text in `!Sub |`, `!If` around a statement, `Fn::Sub`
// with a variable map), and the same template as JSON. In process: the full analysis (host +
// every rule + diagnostics) against a bare parse of the same text (`yaml`'s parseDocument, and
// jsonc-parser's parseTree for JSON), and what a YAML or JSON file that is no template costs.
// Over LSP: edit → pulled diagnostics from our server, against yaml-language-server validating
// the same template against a JSON schema for its IoT policies (written here).
//
// `node bench/templates.mjs` prints the tables; bench/run.mjs calls `run(report)`.
import { isMain, printSection } from './section.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspServer } from './lsp-client.mjs';
import { buildIotPolicySchema } from './schema.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out/server/src');
const WORK = path.join(ROOT, 'bench/.work');
const OUR_SERVER = path.join(ROOT, 'server/dist/server.js');
const YAML_SERVER = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');

const LINES = 3000;
const POLICIES = 40;
const OTHERS = 200;
const WARMUP = 8;
const RUNS = 40;
const CHEAP_RUNS = 400;
const LSP_WARMUP = 3;
const LSP_RUNS = 20;
/** yaml-language-server waits this long after a change before it validates (fixed in its code). */
const YAML_LS_DELAY_MS = 200;

/** The CloudFormation short forms, for yaml-language-server and for the JSON conversion. */
const TAGS = [
  ['!Sub', 'scalar'], ['!Sub', 'sequence'], ['!Join', 'sequence'], ['!Ref', 'scalar'], ['!GetAtt', 'scalar'], ['!GetAtt', 'sequence'],
  ['!If', 'sequence'], ['!Equals', 'sequence'], ['!Not', 'sequence'], ['!And', 'sequence'], ['!Or', 'sequence'], ['!Condition', 'scalar'],
  ['!FindInMap', 'sequence'], ['!Select', 'sequence'], ['!Split', 'sequence'], ['!ImportValue', 'scalar'], ['!Base64', 'scalar'], ['!GetAZs', 'scalar'],
];

/** One policy resource in one of five forms; `edit` is the character that changes per keystroke. */
function policy(n, edit) {
  const action = `iot:Publis${edit}`;
  const thing = '${!iot:Connection.Thing.ThingName}';
  const arn = 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}';
  const head = [`  DevicePolicy${n}:`, '    Type: AWS::IoT::Policy', '    Properties:', `      PolicyName: !Sub '\${AWS::StackName}-device-${n}'`];
  switch (n % 5) {
    case 0:
      return [...head,
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        '            Action: iot:Connect',
        `            Resource: !Sub ${arn}:client/${thing}`,
        '            Condition:',
        '              Bool:',
        "                iot:Connection.Thing.IsAttached: 'true'",
        '          - Effect: Allow',
        '            Action:',
        `              - ${action}`,
        '              - iot:Receive',
        `            Resource: !Sub ${arn}:topic/fleet${n}/${thing}/*`,
        '          - Effect: Allow',
        '            Action: iot:Subscribe',
        `            Resource: !Sub ${arn}:topicfilter/fleet${n}/${thing}/*`,
      ];
    case 1:
      return [...head,
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        `            Action: [${action}, iot:Receive]`,
        '            Resource:',
        "              - !Join ['', ['arn:aws:iot:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':topic/gw" + n + "/*']]",
        '          - Effect: Allow',
        '            Action: iot:Connect',
        "            Resource: !Join ['', ['arn:aws:iot:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':client/gw" + n + "']]",
      ];
    case 2:
      return [...head,
        '      PolicyDocument: !Sub |',
        '        {',
        '          "Version": "2012-10-17",',
        '          "Statement": [',
        `            {"Effect": "Allow", "Action": "iot:Connect", "Resource": "${arn}:client/${thing}"},`,
        `            {"Effect": "Allow", "Action": ["${action}"], "Resource": ["${arn}:topic/text${n}/${thing}"]}`,
        '          ]',
        '        }',
      ];
    case 3:
      return [...head,
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        `            Action: ${action}`,
        `            Resource: !Sub ${arn}:topic/\${TopicRoot}/${n}/${thing}`,
        '          - !If',
        '            - IsProd',
        '            - Effect: Deny',
        '              Action: iot:Publish',
        `              Resource: !Sub ${arn}:topic/\${TopicRoot}/${n}/debug`,
        "            - !Ref 'AWS::NoValue'",
      ];
    default:
      return [...head,
        '      PolicyDocument:',
        "        Version: '2012-10-17'",
        '        Statement:',
        '          - Effect: Allow',
        `            Action: ${action}`,
        '            Resource: !Sub',
        `              - '${arn}:topic/\${Root}/${thing}'`,
        `              - Root: !FindInMap [Roots, !Ref Stage, Topic${n % 3}]`,
      ];
  }
}

/** Ordinary resources between the policies. */
function other(n) {
  switch (n % 4) {
    case 0:
      return [`  Handler${n}:`, '    Type: AWS::Lambda::Function', '    Properties:', '      Runtime: nodejs20.x', '      Handler: index.handler',
        `      Role: !GetAtt HandlerRole${n}.Arn`, '      Code:', '        S3Bucket: !Ref ArtifactBucket', `        S3Key: !Sub 'handlers/\${Stage}/handler${n}.zip'`,
        '      Environment:', '        Variables:', `          TABLE: !Ref Table${n}`];
    case 1:
      return [`  Table${n}:`, '    Type: AWS::DynamoDB::Table', '    Properties:', '      BillingMode: PAY_PER_REQUEST', '      AttributeDefinitions:',
        '        - AttributeName: thing', '          AttributeType: S', '      KeySchema:', '        - AttributeName: thing', '          KeyType: HASH'];
    case 2:
      return [`  HandlerRole${n}:`, '    Type: AWS::IAM::Role', '    Properties:', '      AssumeRolePolicyDocument:', "        Version: '2012-10-17'",
        '        Statement:', '          - Effect: Allow', '            Principal: { Service: lambda.amazonaws.com }', '            Action: sts:AssumeRole',
        '      ManagedPolicyArns:', '        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'];
    default:
      return [`  Rule${n}:`, '    Type: AWS::IoT::TopicRule', '    Properties:', '      TopicRulePayload:', `        Sql: "SELECT * FROM 'fleet/+/telemetry/${n}'"`,
        '        Actions:', '          - Lambda:', `              FunctionArn: !GetAtt Handler${n - 3 < 0 ? 0 : n - 3}.Arn`, '        RuleDisabled: false'];
  }
}

/** The template: 40 policies spread among 200 other resources, padded with comments to `lines`. */
export function templateYaml(edit = 'h', lines = LINES) {
  const head = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Description: A device fleet (generated for the benchmark).',
    'Parameters:',
    '  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }',
    '  TopicRoot: { Type: String, Default: fleet }',
    '  ArtifactBucket: { Type: String }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Stage, prod]',
    'Mappings:',
    '  Roots:',
    '    dev: { Topic0: sandbox, Topic1: sandbox-b, Topic2: sandbox-c }',
    '    prod: { Topic0: fleet, Topic1: fleet-b, Topic2: fleet-c }',
    'Resources:',
  ];
  const body = [];
  const every = Math.floor(OTHERS / POLICIES);
  for (let p = 0, o = 0; p < POLICIES; p++) {
    for (let k = 0; k < every; k++) body.push(...other(o++));
    body.push(...policy(p, edit));
  }
  const out = [...head, ...body];
  while (out.length < lines) out.push(`  # wiring note ${out.length}`);
  return out.join('\n') + '\n';
}

/** The same template as JSON (long-form intrinsic functions), 2-space indented. */
export function templateJson(yamlText) {
  const YAML = require('yaml');
  const customTags = TAGS.map(([tag, kind]) => {
    const name = tag === '!Ref' || tag === '!Condition' ? tag.slice(1) : `Fn::${tag.slice(1)}`;
    const t = { tag, resolve: (v) => ({ [name]: kind === 'scalar' && tag === '!GetAtt' ? String(v).split('.') : v }) };
    if (kind === 'sequence') t.collection = 'seq';
    return t;
  });
  const value = YAML.parse(yamlText, { customTags });
  return JSON.stringify(value, null, 2) + '\n';
}

/** A JSON file of about the same size that is no template: a package lock. */
function plainJson(bytes) {
  const packages = { '': { name: 'app', version: '1.0.0', dependencies: {} } };
  for (let i = 0; JSON.stringify(packages, null, 2).length < bytes; i++) {
    packages[`node_modules/pkg-${i}`] = { version: `1.${i}.0`, resolved: `https://example.invalid/pkg-${i}-1.${i}.0.tgz`, integrity: `sha512-${'a'.repeat(40)}${i}`, license: 'MIT', dependencies: { [`pkg-${i + 1}`]: `^1.${i + 1}.0` } };
  }
  return JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2) + '\n';
}

/** A YAML file of the same length that is no template (Kubernetes manifests). */
function plainYaml(lines = LINES) {
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    out.push('---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: web-${i}`, '  labels: { app: web }', 'spec:', '  replicas: 2',
      '  template:', '    spec:', '      containers:', `        - name: web-${i}`, '          image: nginx:1.27', '          ports: [{ containerPort: 80 }]');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmt(x) {
  return x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(1)} ms`;
}

/** Times `a` and `b` interleaved (both see the same machine state); medians after a warm-up. */
function paired(a, b, runs = RUNS) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    let t = performance.now();
    a(i);
    const da = performance.now() - t;
    t = performance.now();
    b(i);
    const db = performance.now() - t;
    if (i >= WARMUP) {
      ta.push(da);
      tb.push(db);
    }
  }
  return [median(ta), median(tb)];
}

function inProcess(svc) {
  const YAML = require('yaml');
  const { parseTree } = require('jsonc-parser');
  const { TextDocument } = require('vscode-languageserver-textdocument');
  const open = (text, file) => svc.openPolicyDocument(text, { path: file, policyGlobs: [], detectByContent: true });
  const pipeline = (text, file) => {
    const doc = open(text, file);
    return svc.toDiagnostics(TextDocument.create(`file://${file}`, 'yaml', 1, text), svc.analyzeDocument(doc));
  };
  const yamlTexts = ['h', 'x'].map((c) => templateYaml(c));
  const jsonTexts = yamlTexts.map(templateJson);
  const rows = [];
  const results = {};
  // JSON is YAML too: the goal's baseline is a bare `yaml` parse; parseTree is what a JSON tool uses.
  for (const [kind, texts, file, bare, bareName, goal] of [
    ['YAML', yamlTexts, '/infra/fleet.yaml', (t) => YAML.parseDocument(t), '`yaml` parseDocument', '≤ 3×'],
    ['JSON', jsonTexts, '/infra/fleet.template.json', (t) => YAML.parseDocument(t), '`yaml` parseDocument', '≤ 3×'],
    ['JSON', jsonTexts, '/infra/fleet.template.json', (t) => parseTree(t, []), 'jsonc-parser parseTree', ''],
  ]) {
    const doc = open(texts[1], file);
    const findings = svc.analyzeDocument(doc).length;
    const [b, o] = paired((i) => bare(texts[i % 2]), (i) => pipeline(texts[i % 2], file));
    const key = goal ? kind : `${kind} (parseTree)`;
    results[key] = { bare: b, ours: o, policies: doc.policies.length, findings, lines: texts[0].split('\n').length - 1 };
    rows.push([`${kind} template`, `${results[key].lines} lines, ${doc.policies.length} policies, ${findings} findings`, bareName, fmt(b), fmt(o), `${(o / b).toFixed(2)}×`, goal]);
  }
  const cheap = [];
  const lock = plainJson(Buffer.byteLength(yamlTexts[0]));
  for (const [text, file] of [[plainYaml(), '/k8s/web.yaml'], [lock, '/app/package-lock.json']]) {
    const times = [];
    for (let i = 0; i < WARMUP * 10 + CHEAP_RUNS; i++) {
      const t = performance.now();
      const d = open(text, file);
      const dt = performance.now() - t;
      if (d) throw new Error(`${file} was read as a template`);
      if (i >= WARMUP * 10) times.push(dt);
    }
    cheap.push([file, text.split('\n').length, median(times)]);
  }
  rows.push(['YAML that is no template', `${cheap[0][1] - 1} lines (Kubernetes)`, '', '', fmt(cheap[0][2]), '', '≤ 1 ms']);
  rows.push(['JSON that is no template or policy', `${(Buffer.byteLength(lock) / 1024).toFixed(0)} KB (package-lock.json)`, '', '', fmt(cheap[1][2]), '', '≤ 1 ms']);
  results.cheapYaml = cheap[0][2];
  results.cheapJson = cheap[1][2];
  return { rows, results, yamlText: yamlTexts[0] };
}

/** A JSON schema for templates whose AWS::IoT::Policy documents follow the IoT policy schema. */
function templateSchema(catalog) {
  const policy = buildIotPolicySchema(catalog);
  delete policy.$schema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      Resources: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          if: { properties: { Type: { const: 'AWS::IoT::Policy' } } },
          then: { properties: { Properties: { type: 'object', properties: { PolicyDocument: { anyOf: [{ type: 'string' }, policy] } } } } },
        },
      },
    },
  };
}

/** The same-length edit of an action's last letter (`iot:Publish` ↔ `iot:Publisx`), as a keystroke. */
class Editable {
  constructor(server, uri, text) {
    this.server = server;
    this.uri = uri;
    this.text = text;
    this.version = 1;
    this.at = text.indexOf('iot:Publis') + 'iot:Publis'.length;
  }
  open() {
    return this.server.notify('textDocument/didOpen', { textDocument: { uri: this.uri, languageId: 'yaml', version: 1, text: this.text } });
  }
  edit() {
    const { TextDocument } = require('vscode-languageserver-textdocument');
    const doc = TextDocument.create(this.uri, 'yaml', this.version, this.text);
    const c = this.text[this.at] === 'h' ? 'x' : 'h';
    const range = { start: doc.positionAt(this.at), end: doc.positionAt(this.at + 1) };
    this.text = this.text.slice(0, this.at) + c + this.text.slice(this.at + 1);
    this.version++;
    return this.server.notify('textDocument/didChange', { textDocument: { uri: this.uri, version: this.version }, contentChanges: [{ range, text: c }] });
  }
  close() {
    return this.server.notify('textDocument/didClose', { textDocument: { uri: this.uri } });
  }
}

async function overLsp(catalog, yamlText) {
  mkdirSync(WORK, { recursive: true });
  const schemaFile = path.join(WORK, 'iot-template.schema.json');
  writeFileSync(schemaFile, JSON.stringify(templateSchema(catalog), null, 2) + '\n');
  const ours = new LspServer('ours (pull)', [...(process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : []), OUR_SERVER, '--stdio'], { cwd: ROOT, pull: true, initializationOptions: { pushDiagnostics: false, settings: {} } });
  const yamlLs = new LspServer('yaml-language-server', [YAML_SERVER, '--stdio'], {
    cwd: ROOT,
    pull: false,
    settings: {
      yaml: {
        validate: true,
        hover: false,
        completion: false,
        format: { enable: false },
        schemas: { [pathToFileURL(schemaFile).href]: '*.template.yaml' },
        customTags: TAGS.map(([t, k]) => `${t} ${k}`),
      },
    },
  });
  try {
    await ours.start();
    await yamlLs.start();
    const a = new Editable(ours, 'file:///bench/workspace/fleet.template.yaml', yamlText);
    const b = new Editable(yamlLs, 'file:///bench/workspace/fleet.template.yaml', yamlText);
    await a.open();
    const firstYaml = yamlLs.nextDiagnostics(b.uri, () => true, 30_000);
    await b.open();
    const yamlFirst = await firstYaml;
    const first = await ours.request('textDocument/diagnostic', { textDocument: { uri: a.uri } }, 30_000);
    const oursMs = [];
    const yamlMs = [];
    for (let i = 0; i < LSP_WARMUP + LSP_RUNS; i++) {
      let t = performance.now();
      await a.edit();
      await ours.request('textDocument/diagnostic', { textDocument: { uri: a.uri } }, 30_000);
      const o = performance.now() - t;
      const got = yamlLs.nextDiagnostics(b.uri, () => true, 30_000);
      t = performance.now();
      await b.edit();
      await got;
      const y = performance.now() - t;
      if (i >= LSP_WARMUP) {
        oursMs.push(o);
        yamlMs.push(y);
      }
    }
    await a.close();
    await b.close();
    const yamlRaw = median(yamlMs);
    return { ours: median(oursMs), yamlRaw, yamlNet: yamlRaw - YAML_LS_DELAY_MS, oursFindings: first?.items?.length ?? 0, yamlFindings: yamlFirst.diagnostics.length };
  } finally {
    await ours.stop().catch(() => undefined);
    await yamlLs.stop().catch(() => undefined);
  }
}

export async function run(report, { lsp = true } = {}) {
  const svc = require(path.join(OUT, 'service/index.js'));
  const catalog = require(path.join(OUT, 'service/catalog/index.js'));
  const { rows, results, yamlText } = inProcess(svc);
  const r = (k) => results[k].ours / results[k].bare;
  report({
    goals: [
      ['CloudFormation: full analysis of the 3,000-line YAML template ≤ 3× a bare `yaml` parse', `${r('YAML').toFixed(2)}× (${fmt(results.YAML.ours)} vs ${fmt(results.YAML.bare)})`, r('YAML') <= 3],
      ['CloudFormation: the same template as JSON ≤ 3× a bare `yaml` parse', `${r('JSON').toFixed(2)}× (${fmt(results.JSON.ours)}; ${r('JSON (parseTree)').toFixed(2)}× jsonc-parser's parseTree)`, r('JSON') <= 3],
      ['CloudFormation: detection on a YAML or JSON file that is no template ≤ 1 ms', `YAML ${fmt(results.cheapYaml)}, JSON ${fmt(results.cheapJson)}`, results.cheapYaml <= 1 && results.cheapJson <= 1],
    ],
    title: 'CloudFormation host: a 3,000-line template with 40 IoT policies among 200 resources, medians (warm)',
    text: 'Per keystroke (an action\'s last letter in every policy alternates, so each run sees new text): the host, every rule and `toDiagnostics`, against a bare parse of the same text, interleaved run by run.',
    rows: [['What', 'Document', 'Bare parse', 'Parse', 'Ours', 'Ratio', 'Goal'], ...rows],
  });
  if (lsp) {
    const l = await overLsp(catalog, yamlText);
    results.lsp = l;
    report({
      goals: [['CloudFormation: edit → pulled diagnostics ≤ yaml-language-server validating the template (net of its 200 ms delay)', `${(l.ours / l.yamlNet).toFixed(2)}× (${fmt(l.ours)} vs ${fmt(l.yamlNet)})`, l.ours <= l.yamlNet]],
      title: 'Over LSP: edit → diagnostics on the YAML template, ours vs yaml-language-server',
      text:
        `*Ours*: pull mode, didChange then \`textDocument/diagnostic\`. *yaml-language-server* 1.25.0: push only, with \`yaml.schemas\` associating a schema that puts the IoT policy schema on every \`AWS::IoT::Policy\`'s \`PolicyDocument\`, and \`yaml.customTags\` for the CloudFormation short forms; didChange → \`publishDiagnostics\`. ` +
        `It waits a fixed ${YAML_LS_DELAY_MS} ms after each change before validating; *net* subtracts that wait, so it is the time it takes to validate. Medians of ${LSP_RUNS} edits after ${LSP_WARMUP} warm-ups, alternating between the servers. ` +
        `Diagnostics on the first version: ours ${l.oursFindings}, yaml-language-server ${l.yamlFindings} (it reads no \`!Sub\` string as an ARN and no policy held as text).`,
      rows: [
        ['Server', 'Edit → diagnostics', 'Net of its fixed delay', 'Ratio ours / yaml-language-server (net)', 'Goal'],
        ['ours', fmt(l.ours), fmt(l.ours), '', ''],
        ['yaml-language-server', fmt(l.yamlRaw), fmt(l.yamlNet), `${(l.ours / l.yamlNet).toFixed(2)}×`, '≤ 1×'],
      ],
    });
  }
  return results;
}

if (isMain(import.meta.url)) await run(printSection, { lsp: !process.argv.includes('--no-lsp') });
