// The CDK host per keystroke: a 3,000-line TypeScript stack with 20 IoT policies in the forms
// stacks use (object literals with template literals, PolicyDocument/PolicyStatement, fromJson,
// a const, JSON.parse of a template literal, formatArn), analysed in full (host + every rule)
// after a one-character edit, against the bare tree-sitter parse of the same text. And what a
// TypeScript file that holds no IoT policy costs.
//
// `node bench/cdk.mjs` prints the table; bench/run.mjs calls `run(report)`.
import { isMain, printSection } from './section.mjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out/server/src');

const LINES = 3000;
const POLICIES = 20;
const WARMUP = 10;
const RUNS = 60;
const CHEAP_RUNS = 2000;

/** One policy construct in one of six forms; `n` makes names unique, `edit` the character that changes. */
function policy(n, edit) {
  const action = `iot:Publis${edit}`;
  switch (n % 6) {
    case 0:
      return [
        `    new iot.CfnPolicy(this, 'DevicePolicy${n}', {`,
        `      policyName: \`\${props.fleetName}-device-${n}\`,`,
        '      policyDocument: {',
        "        Version: '2012-10-17',",
        '        Statement: [',
        '          {',
        "            Effect: 'Allow',",
        "            Action: ['iot:Connect'],",
        `            Resource: [\`arn:aws:iot:\${cdk.Aws.REGION}:\${cdk.Aws.ACCOUNT_ID}:client/\\\${iot:Connection.Thing.ThingName}\`],`,
        "            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },",
        '          },',
        '          {',
        "            Effect: 'Allow',",
        `            Action: ['${action}', 'iot:Receive'],`,
        `            Resource: [\`arn:aws:iot:\${this.region}:\${this.account}:topic/fleet${n}/\\\${iot:Connection.Thing.ThingName}/*\`],`,
        '          },',
        '        ],',
        '      },',
        '    });',
      ];
    case 1:
      return [
        `    new iot.CfnPolicy(this, 'GatewayPolicy${n}', {`,
        '      policyDocument: new iam.PolicyDocument({',
        '        statements: [',
        '          new iam.PolicyStatement({',
        '            effect: iam.Effect.ALLOW,',
        "            actions: ['iot:Connect'],",
        `            resources: [\`arn:aws:iot:\${this.region}:\${this.account}:client/\\\${iot:Connection.Thing.ThingName}\`],`,
        "            conditions: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },",
        '          }),',
        '          new iam.PolicyStatement({',
        `            actions: ['${action}', 'iot:Subscribe', 'iot:Receive'],`,
        `            resources: [\`arn:aws:iot:\${this.region}:\${this.account}:topic/gw${n}/*\`, \`arn:aws:iot:\${this.region}:\${this.account}:topicfilter/gw${n}/*\`],`,
        '          }),',
        '        ],',
        '      }),',
        '    });',
      ];
    case 2:
      return [
        `    new iot.CfnPolicy(this, 'ProvisioningPolicy${n}', {`,
        '      policyDocument: iam.PolicyDocument.fromJson({',
        '        Statement: [',
        '          {',
        "            Effect: 'Allow',",
        `            Action: ['${action}', 'iot:Receive'],`,
        `            Resource: [\`arn:aws:iot:\${this.region}:\${this.account}:topic/$aws/certificates/create/*\`],`,
        '          },',
        '        ],',
        '      }),',
        '    });',
      ];
    case 3:
      return [
        `    const readerDocument${n} = {`,
        "      Version: '2012-10-17',",
        '      Statement: [',
        `        { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:493812760155:client/reader-${n}' },`,
        `        { Effect: 'Allow', Action: ['${action}'], Resource: ['arn:aws:iot:eu-west-1:493812760155:topic/readers/${n}'] },`,
        '      ],',
        '    };',
        `    new iot.CfnPolicy(this, 'ReaderPolicy${n}', { policyDocument: readerDocument${n} });`,
      ];
    case 4:
      return [
        `    new iot.CfnPolicy(this, 'TextPolicy${n}', {`,
        '      policyDocument: JSON.parse(`{',
        '        "Version": "2012-10-17",',
        '        "Statement": [',
        `          {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:\${this.region}:\${this.account}:client/text-${n}"},`,
        `          {"Effect": "Allow", "Action": "${action}", "Resource": "arn:aws:iot:\${this.region}:\${this.account}:topic/text/${n}"}`,
        '        ]',
        '      }`),',
        '    });',
      ];
    default:
      return [
        `    new iot.CfnPolicy(this, 'ArnPolicy${n}', {`,
        '      policyDocument: new iam.PolicyDocument({',
        '        statements: [',
        '          new iam.PolicyStatement({',
        `            actions: ['${action}'],`,
        `            resources: [Stack.of(this).formatArn({ service: 'iot', resource: 'topic', resourceName: 'arn/${n}/*' })],`,
        '          }),',
        '        ],',
        '      }),',
        '    });',
      ];
  }
}

/** Ordinary CDK code between the policies (functions, roles, outputs). */
function filler(n) {
  return [
    `    const fn${n} = new lambda.Function(this, 'Handler${n}', {`,
    '      runtime: lambda.Runtime.NODEJS_20_X,',
    "      handler: 'index.handler',",
    `      code: lambda.Code.fromAsset(path.join(__dirname, 'lambda', 'handler${n}')),`,
    '      timeout: cdk.Duration.seconds(30),',
    `      environment: { TABLE: \`\${props.fleetName}-table-${n}\`, STAGE: props.stage },`,
    '    });',
    `    fn${n}.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));`,
    `    new cdk.CfnOutput(this, 'HandlerArn${n}', { value: fn${n}.functionArn });`,
    '',
  ];
}

/** The stack, with the policies spread through it; `edit` is the changing character. */
export function stackText(edit = 'h', lines = LINES, policies = POLICIES) {
  const head = [
    "import * as path from 'path';",
    "import * as cdk from 'aws-cdk-lib';",
    "import { Stack } from 'aws-cdk-lib';",
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    "import * as iot from 'aws-cdk-lib/aws-iot';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    "import { Construct } from 'constructs';",
    '',
    'export interface FleetProps extends cdk.StackProps { readonly fleetName: string; readonly stage: string }',
    '',
    'export class FleetStack extends cdk.Stack {',
    '  constructor(scope: Construct, id: string, props: FleetProps) {',
    '    super(scope, id, props);',
  ];
  const body = [];
  const policyLines = Array.from({ length: policies }, (_, i) => policy(i, edit));
  const budget = lines - head.length - 2 - policyLines.reduce((a, p) => a + p.length, 0);
  const perGap = Math.max(0, Math.floor(budget / policies / filler(0).length));
  let f = 0;
  for (const p of policyLines) {
    for (let k = 0; k < perGap; k++) body.push(...filler(f++));
    body.push(...p);
  }
  // Whole fillers up to the length, then comment lines: the code always parses.
  const room = lines - head.length - 2;
  while (body.length + filler(0).length <= room) body.push(...filler(f++));
  while (body.length < room) body.push('    // fleet wiring continues');
  return [...head, ...body, '  }', '}', ''].join('\n');
}

/** A TypeScript file of the same length with no IoT policy. */
function plainText(lines = LINES) {
  const out = ["import * as cdk from 'aws-cdk-lib';", "import * as iam from 'aws-cdk-lib/aws-iam';", 'export class Plain extends cdk.Stack {', '  constructor(scope: cdk.App, id: string) {', '    super(scope, id);'];
  let f = 0;
  while (out.length + filler(0).length <= lines - 2) out.push(...filler(f++));
  while (out.length < lines - 2) out.push('    // more wiring');
  return [...out, '  }', '}', ''].join('\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmt(x) {
  return x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(1)} ms`;
}

export async function run(report) {
  const { useNodeWasm } = require(path.join(OUT, 'node/wasm.js'));
  const grammars = require(path.join(OUT, 'service/hosts/grammars.js'));
  const svc = require(path.join(OUT, 'service/index.js'));
  useNodeWasm();
  await grammars.ensureGrammar('typescript');
  const parser = grammars.parserFor('typescript');
  const open = (text) => svc.openPolicyDocument(text, { path: '/app/lib/fleet-stack.ts', policyGlobs: [], detectByContent: false });

  // One keystroke: the last letter of an action in every policy alternates, so no two runs see the same text.
  const texts = ['h', 'x'].map((c) => stackText(c));
  const check = open(texts[0]);
  const findings = svc.analyzeDocument(check).length;
  const lineCount = texts[0].split('\n').length - 1;
  const bare = [];
  const ours = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const text = texts[i % 2];
    // Interleaved, so both see the same machine state.
    let t = performance.now();
    parser.parse(text).delete();
    const b = performance.now() - t;
    t = performance.now();
    svc.analyzeDocument(open(text));
    const o = performance.now() - t;
    if (i >= WARMUP) {
      bare.push(b);
      ours.push(o);
    }
  }
  const plain = plainText();
  const cheap = [];
  for (let i = 0; i < WARMUP * 10 + CHEAP_RUNS; i++) {
    const t = performance.now();
    const doc = open(plain);
    const d = performance.now() - t;
    if (doc) throw new Error('a file without CfnPolicy was read as a stack');
    if (i >= WARMUP * 10) cheap.push(d);
  }
  const mb = median(bare);
  const mo = median(ours);
  const rows = [
    ['What', 'Document', 'Median', 'vs parse', 'Goal'],
    ['Bare tree-sitter parse', `${lineCount} lines`, fmt(mb), '1.0×', ''],
    ['Host + every rule, per keystroke', `${check.policies.length} policies, ${findings} findings`, fmt(mo), `${(mo / mb).toFixed(2)}×`, '≤ 3×'],
    ['A TypeScript file with no CfnPolicy', `${plain.split('\n').length - 1} lines`, fmt(median(cheap)), '', '≤ 1 ms'],
  ];
  report({ title: 'CDK host: a 3,000-line TypeScript stack, medians (warm)', rows });
  return { bare: mb, ours: mo, cheap: median(cheap) };
}

if (isMain(import.meta.url)) await run(printSection);
