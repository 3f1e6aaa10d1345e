// The Terraform host per keystroke: a 2,000-line .tf file with 30 IoT policies (jsonencode,
// heredoc JSON, quoted JSON, aws_iam_policy_document) among other resources. Each sample is one
// keystroke inside a policy: the host's open (parse, incremental from the previous text, and the
// policies read) plus analyzeDocument, against the bare tree-sitter parse of the same text from
// scratch. Medians over many warm runs.
//
// `node bench/terraform.mjs` prints the table; run.mjs imports run(report).
import { isMain, printSection } from './section.mjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out/server/src');

const WARMUP = 20;
const RUNS = 200;
const POLICIES = 30;
const TARGET_LINES = 2000;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(x) {
  return x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`;
}

const ARN = 'arn:aws:iot:${var.region}:${data.aws_caller_identity.current.account_id}';

function jsonencodePolicy(i) {
  return `resource "aws_iot_policy" "device_${i}" {
  name = "device-${i}"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["iot:Connect"]
        Resource  = "${ARN}:client/$\${iot:Connection.Thing.ThingName}"
        Condition = { Bool = { "iot:Connection.Thing.IsAttached" = "true" } }
      },
      {
        Effect   = "Allow"
        Action   = ["iot:Publish", "iot:Receive"]
        Resource = ["${ARN}:topic/fleet/${i}/$\${iot:Connection.Thing.ThingName}/*"]
      },
      {
        Effect   = "Allow"
        Action   = "iot:Subscribe"
        Resource = "${ARN}:topicfilter/fleet/${i}/$\${iot:Connection.Thing.ThingName}/*"
      },
    ]
  })
}
`;
}

function heredocPolicy(i) {
  return `resource "aws_iot_policy" "gateway_${i}" {
  name   = "gateway-${i}"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "iot:Connect",
          "Resource": "${ARN}:client/$\${iot:Connection.Thing.ThingName}",
          "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}
        },
        {
          "Effect": "Allow",
          "Action": ["iot:Subscribe"],
          "Resource": "${ARN}:topicfilter/gateways/${i}/#"
        },
        {
          "Effect": "Allow",
          "Action": ["iot:Receive", "iot:Publish"],
          "Resource": "${ARN}:topic/gateways/${i}/*"
        }
      ]
    }
  EOT
}
`;
}

function quotedPolicy(i) {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/$\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }],
  });
  return `resource "aws_iot_policy" "legacy_${i}" {
  name   = "legacy-${i}"
  policy = ${JSON.stringify(doc)}
}
`;
}

function documentPolicy(i) {
  return `resource "aws_iot_policy" "camera_${i}" {
  name   = "camera-${i}"
  policy = data.aws_iam_policy_document.camera_${i}.json
}

data "aws_iam_policy_document" "camera_${i}" {
  statement {
    actions   = ["iot:Connect"]
    resources = ["${ARN}:client/&{iot:Connection.Thing.ThingName}"]

    condition {
      test     = "Bool"
      variable = "iot:Connection.Thing.IsAttached"
      values   = ["true"]
    }
  }

  statement {
    actions   = ["iot:Publish"]
    resources = ["${ARN}:topic/cameras/${i}/&{iot:Connection.Thing.ThingName}/frames"]
  }
}
`;
}

function otherResources(i) {
  return `resource "aws_iot_thing" "thing_${i}" {
  name = "thing-${i}"

  attributes = {
    fleet = "fleet-${i % 4}"
    model = "m${i}"
  }
}

resource "aws_iot_certificate" "cert_${i}" {
  active = true
}

resource "aws_iot_thing_principal_attachment" "attach_${i}" {
  thing     = aws_iot_thing.thing_${i}.name
  principal = aws_iot_certificate.cert_${i}.arn
}

resource "aws_cloudwatch_log_group" "logs_${i}" {
  name              = "/iot/fleet/${i}"
  retention_in_days = 14

  tags = {
    Environment = var.environment
    Fleet       = "fleet-${i % 4}"
  }
}
`;
}

/** The bench document: 30 policies of the four forms, other resources between them, about 2,000 lines. */
export function buildDocument() {
  const forms = [jsonencodePolicy, heredocPolicy, quotedPolicy, documentPolicy];
  let text = 'variable "region" {\n  type = string\n}\n\nvariable "environment" {\n  type = string\n}\n\ndata "aws_caller_identity" "current" {}\n\n';
  for (let i = 0; i < POLICIES; i++) text += forms[i % forms.length](i) + '\n' + otherResources(i) + '\n';
  let n = POLICIES;
  while (text.split('\n').length < TARGET_LINES) text += otherResources(n++) + '\n';
  return text;
}

export async function run(report) {
  const svc = require(path.join(OUT, 'service/index.js'));
  const { useNodeWasm } = require(path.join(OUT, 'node/wasm.js'));
  const grammars = require(path.join(OUT, 'service/hosts/grammars.js'));
  useNodeWasm();
  await grammars.ensureGrammar('hcl');
  const parser = grammars.parserFor('hcl');
  const base = buildDocument();
  const lines = base.split('\n').length;
  const open = (text) => svc.openPolicyDocument(text, { path: 'bench/main.tf', policyGlobs: [], detectByContent: false });
  const first = open(base);
  if (!first || first.policies.length !== POLICIES) throw new Error(`expected ${POLICIES} policies, got ${first?.policies.length}`);
  const findings = svc.analyzeDocument(first).length;

  // A keystroke in the middle of the document, inside a policy: a character typed, then deleted.
  const at = base.indexOf('"iot:Publish"', Math.floor(base.length / 2)) + 5;
  const texts = [base.slice(0, at) + 'x' + base.slice(at), base];
  const parse = [];
  const full = [];
  const fresh = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const text = texts[i % 2];
    let t0 = performance.now();
    parser.parse(text).delete();
    const p = performance.now() - t0;
    t0 = performance.now();
    svc.analyzeDocument(open(text));
    const f = performance.now() - t0;
    // The same analysis with nothing to reuse: another document's path each time.
    t0 = performance.now();
    svc.analyzeDocument(svc.openPolicyDocument(text, { path: `bench/fresh-${i}.tf`, policyGlobs: [], detectByContent: false }));
    const n = performance.now() - t0;
    if (i >= WARMUP) {
      parse.push(p);
      full.push(f);
      fresh.push(n);
    }
  }
  const p = median(parse);
  const f = median(full);
  const n = median(fresh);
  const rows = [
    ['bare tree-sitter parse (from scratch)', ms(p), '1.0x'],
    ['host open + analyzeDocument, per keystroke', ms(f), `${(f / p).toFixed(2)}x`],
    ['host open + analyzeDocument, nothing reused', ms(n), `${(n / p).toFixed(2)}x`],
  ];
  report({
    title: `Terraform: ${lines} lines, ${base.length} characters, ${POLICIES} policies (jsonencode, heredoc, quoted JSON, policy document), ${findings} findings; medians of ${RUNS} keystrokes`,
    rows: [['What', 'Median', 'vs parse'], ...rows],
    goals: [['Terraform: host open + analyzeDocument per keystroke ≤ 3× a bare tree-sitter parse', `${(f / p).toFixed(2)}× (${ms(f)} vs ${ms(p)})`, f / p <= 3]],
  });
  return { parse: p, full: f, fresh: n };
}

if (isMain(import.meta.url)) await run(printSection);
