// Generated AWS IoT policies for the benchmark: realistic statements (policy variables,
// conditions, several actions and resources), deterministic for a given statement count.

export const ACCOUNT = '493812760155';
export const REGION = 'eu-west-1';
const A = `arn:aws:iot:${REGION}:${ACCOUNT}`;
const THING = '${iot:Connection.Thing.ThingName}';

/** Marker in the middle statement that the LSP bench edits (four digits, same length each time). */
export const EDIT_MARKER = 'topic/bench/edit/';

/** One statement, varied by index. */
function statement(i) {
  switch (i % 8) {
    case 0:
      return {
        Sid: `Connect${i}`,
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: `${A}:client/${THING}`,
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      };
    case 1:
      return {
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:RetainPublish'],
        Resource: [`${A}:topic/fleet/${THING}/telemetry/${i}`, `${A}:topic/fleet/${THING}/events/*`],
      };
    case 2:
      return {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [`${A}:topicfilter/fleet/\${iot:ClientId}/cmd/${i}/+`, `${A}:topicfilter/$aws/things/${THING}/jobs/*`],
      };
    case 3:
      return {
        Sid: `Shadow${i}`,
        Effect: 'Allow',
        Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
        Resource: `${A}:thing/${THING}`,
      };
    case 4:
      return {
        Effect: 'Deny',
        Action: 'iot:Publish',
        Resource: `${A}:topic/fleet/admin/${i}/*`,
        Condition: { StringNotEquals: { 'iot:Connection.Thing.Attributes[role]': 'admin' } },
      };
    case 5:
      return {
        Effect: 'Allow',
        Action: ['iot:Receive', 'iotjobsdata:DescribeJobExecution'],
        Resource: [`${A}:topic/fleet/\${iot:ClientId}/cmd/${i}/*`, `${A}:thing/${THING}`],
      };
    case 6:
      return {
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: `${A}:topic/$aws/things/${THING}/shadow/name/cfg${i}/update`,
        Condition: { StringLike: { 'iot:ClientId': ['device-*', 'gw-?-*'] } },
      };
    default:
      return {
        Effect: 'Allow',
        Action: 'iot:AssumeRoleWithCertificate',
        Resource: `${A}:rolealias/edge-${i}`,
      };
  }
}

/** Compact but readable: one statement property per line, arrays and conditions inline. */
function formatStatement(st, indent) {
  const pad = ' '.repeat(indent + 2);
  const lines = Object.entries(st).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${JSON.stringify(v).replace(/,(?=["[{])/g, ', ').replace(/":(?=["[{])/g, '": ')}`);
  return `${' '.repeat(indent)}{\n${lines.join(',\n')}\n${' '.repeat(indent)}}`;
}

/**
 * A policy of `n` statements. The middle statement carries `EDIT_MARKER0000` in a resource and
 * the action `iot:Publish`, where the LSP bench edits, completes and hovers.
 * `mistakes`: also write two realistic mistakes (a misspelt action, a lower-case Effect).
 */
export function generatePolicy(n, { mistakes = false } = {}) {
  const sts = [];
  const mid = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const st = statement(i);
    if (i === mid) {
      st.Action = ['iot:Publish', 'iot:Receive'];
      st.Resource = [`${A}:${EDIT_MARKER}0000`, `${A}:topic/fleet/${THING}/status`];
    }
    if (mistakes && i === 0) st.Action = ['iot:Connect', 'iot:Publsh'];
    if (mistakes && i === Math.min(1, n - 1)) st.Effect = 'allow';
    sts.push(formatStatement(st, 4));
  }
  return `{\n  "Version": "2012-10-17",\n  "Statement": [\n${sts.join(',\n')}\n  ]\n}\n`;
}

/** The smallest statement count whose policy is at least `bytes` long. */
export function statementsForSize(bytes) {
  const size = (n) => Buffer.byteLength(generatePolicy(n));
  let hi = 1;
  while (size(hi) < bytes && hi < 1_000_000) hi *= 2;
  let lo = Math.floor(hi / 2) + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (size(mid) < bytes) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, hi);
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ['${', '"', '{', '}', '[', ']', ':', ',', '\uD800', '\uDC00', '\u0000', '\u200F', '\u200B', '\u202E', '*', '\\', '${iot:'];

/**
 * Hostile and unusual documents for "the slowest document seen": mutations of the generated
 * policies, deep nesting, huge strings and statement counts, and wildcard patterns built to
 * defeat naive matchers. Each entry is { name, text }.
 */
export function hostileDocuments(seed = 20261128) {
  const rand = rng(seed);
  const out = [];
  const base = [generatePolicy(8, { mistakes: true }), generatePolicy(50), generatePolicy(400, { mistakes: true })];
  base.forEach((text, b) => {
    for (let k = 0; k < 20; k++) {
      const chars = [...text];
      const kind = k % 4;
      let t;
      if (kind === 0) t = text.slice(0, Math.floor(rand() * text.length));
      else if (kind === 1) {
        for (let j = 0; j < 1 + Math.floor(rand() * 20); j++) {
          const p = Math.floor(rand() * chars.length);
          chars[p] = String.fromCharCode(chars[p].charCodeAt(0) ^ (1 << Math.floor(rand() * 7)));
        }
        t = chars.join('');
      } else if (kind === 2) {
        const p = Math.floor(rand() * text.length);
        t = text.slice(0, p) + text.slice(p + Math.floor(rand() * 200));
      } else {
        let s = text;
        for (let j = 0; j < 1 + Math.floor(rand() * 10); j++) {
          const p = Math.floor(rand() * s.length);
          s = s.slice(0, p) + INSERTS[Math.floor(rand() * INSERTS.length)] + s.slice(p);
        }
        t = s;
      }
      out.push({ name: `mutation ${['truncate', 'byte flips', 'delete', 'insert'][kind]} #${k} of ${[8, 50, 400][b]} statements`, text: t });
    }
  });
  const depth = 100_000;
  out.push({ name: 'arrays nested 100,000 deep in a Condition value', text: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*","Condition":{"StringEquals":{"iot:ClientId":${'['.repeat(depth)}${']'.repeat(depth)}}}}]}` });
  out.push({ name: 'objects nested 100,000 deep, unclosed', text: '{"a":'.repeat(depth) });
  out.push({ name: '10 MB string resource', text: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"${A}:topic/${'x'.repeat(10 * 1024 * 1024)}"}]}` });
  out.push({ name: '10 MB string of ${ in a resource', text: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"${A}:topic/${'${'.repeat(5 * 1024 * 1024)}"}]}` });
  out.push({ name: '10,000 statements', text: generatePolicy(10_000) });
  const star = 'a*'.repeat(200) + 'b';
  const long = 'a'.repeat(5000);
  const wild = [];
  for (let i = 0; i < 40; i++) {
    wild.push({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/${star}` });
    wild.push({ Effect: 'Deny', Action: 'iot:Publish', Resource: `${A}:topic/${long}` });
    wild.push({ Effect: 'Allow', Action: ['iot:*?*?*?*?*?*?*?*?*?*?x', 'iot:P*u*b*l*i*s*h*'], Resource: `${A}:topic/${'*a'.repeat(300)}` });
  }
  out.push({ name: 'wildcard patterns a*a*…b beside 5,000-character resources (120 statements)', text: JSON.stringify({ Version: '2012-10-17', Statement: wild }, null, 2) });
  const vars = [];
  for (let i = 0; i < 300; i++) vars.push({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/${'${iot:Connection.Thing.Attributes[k]}/'.repeat(40)}${i}` });
  out.push({ name: '300 statements with 40 policy variables each', text: JSON.stringify({ Version: '2012-10-17', Statement: vars }) });
  return out;
}
