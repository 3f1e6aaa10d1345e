/**
 * MQTT topics: reserved topics (shadow, jobs, events, provisioning, Greengrass), topic rules,
 * and quotas. Source: reference §4.2, §4.4, §6, §8.
 */

export interface ReservedTopic {
  /** Template with `${iot:Connection.Thing.ThingName}` where the thing name goes; `<...>` for other names. */
  template: string;
  family: 'shadow' | 'named-shadow' | 'jobs' | 'events' | 'provisioning' | 'greengrass' | 'defender' | 'rules';
  description: string;
  /** Which of Publish / Subscribe+Receive a device uses on it. */
  direction: 'publish' | 'subscribe' | 'both';
}

const T = '${iot:Connection.Thing.ThingName}';

function shadowTopics(prefix: string, family: 'shadow' | 'named-shadow', what: string): ReservedTopic[] {
  const out: ReservedTopic[] = [];
  for (const op of ['get', 'update', 'delete']) {
    out.push({ template: `${prefix}/${op}`, family, direction: 'publish', description: `Request to ${op} the ${what}.` });
    out.push({ template: `${prefix}/${op}/accepted`, family, direction: 'subscribe', description: `Response when the ${what} ${op} succeeded.` });
    out.push({ template: `${prefix}/${op}/rejected`, family, direction: 'subscribe', description: `Response when the ${what} ${op} was rejected.` });
  }
  out.push({ template: `${prefix}/update/delta`, family, direction: 'subscribe', description: `Differences between desired and reported state of the ${what}.` });
  out.push({ template: `${prefix}/update/documents`, family, direction: 'subscribe', description: `Full previous and current documents of the ${what} after each update.` });
  return out;
}

export const RESERVED_TOPICS: readonly ReservedTopic[] = [
  ...shadowTopics(`$aws/things/${T}/shadow`, 'shadow', 'classic shadow'),
  ...shadowTopics(`$aws/things/${T}/shadow/name/<shadowName>`, 'named-shadow', 'named shadow'),
  { template: `$aws/things/${T}/jobs/get`, family: 'jobs', direction: 'publish', description: 'Request the list of pending job executions.' },
  { template: `$aws/things/${T}/jobs/get/accepted`, family: 'jobs', direction: 'subscribe', description: 'Pending job executions.' },
  { template: `$aws/things/${T}/jobs/get/rejected`, family: 'jobs', direction: 'subscribe', description: 'Rejected request for pending job executions.' },
  { template: `$aws/things/${T}/jobs/start-next`, family: 'jobs', direction: 'publish', description: 'Start the next pending job execution.' },
  { template: `$aws/things/${T}/jobs/start-next/accepted`, family: 'jobs', direction: 'subscribe', description: 'The started job execution.' },
  { template: `$aws/things/${T}/jobs/start-next/rejected`, family: 'jobs', direction: 'subscribe', description: 'Rejected start-next request.' },
  { template: `$aws/things/${T}/jobs/<jobId>/get`, family: 'jobs', direction: 'publish', description: 'Describe one job execution.' },
  { template: `$aws/things/${T}/jobs/<jobId>/get/accepted`, family: 'jobs', direction: 'subscribe', description: 'The described job execution.' },
  { template: `$aws/things/${T}/jobs/<jobId>/get/rejected`, family: 'jobs', direction: 'subscribe', description: 'Rejected describe request.' },
  { template: `$aws/things/${T}/jobs/<jobId>/update`, family: 'jobs', direction: 'publish', description: 'Update the status of a job execution.' },
  { template: `$aws/things/${T}/jobs/<jobId>/update/accepted`, family: 'jobs', direction: 'subscribe', description: 'Accepted job execution update.' },
  { template: `$aws/things/${T}/jobs/<jobId>/update/rejected`, family: 'jobs', direction: 'subscribe', description: 'Rejected job execution update.' },
  { template: `$aws/things/${T}/jobs/notify`, family: 'jobs', direction: 'subscribe', description: 'Notification when the list of pending job executions changes.' },
  { template: `$aws/things/${T}/jobs/notify-next`, family: 'jobs', direction: 'subscribe', description: 'Notification when the next pending job execution changes.' },
  { template: '$aws/events/presence/connected/<clientId>', family: 'events', direction: 'subscribe', description: 'Lifecycle event: a client connected.' },
  { template: '$aws/events/presence/disconnected/<clientId>', family: 'events', direction: 'subscribe', description: 'Lifecycle event: a client disconnected.' },
  { template: '$aws/events/subscriptions/subscribed/<clientId>', family: 'events', direction: 'subscribe', description: 'Lifecycle event: a client subscribed.' },
  { template: '$aws/events/subscriptions/unsubscribed/<clientId>', family: 'events', direction: 'subscribe', description: 'Lifecycle event: a client unsubscribed.' },
  { template: '$aws/events/job/<jobId>/<event>', family: 'events', direction: 'subscribe', description: 'Job events (completed, canceled, deleted).' },
  { template: '$aws/events/jobExecution/<jobId>/<event>', family: 'events', direction: 'subscribe', description: 'Job execution events.' },
  { template: '$aws/events/thing/<thingName>/<event>', family: 'events', direction: 'subscribe', description: 'Registry events for things.' },
  { template: '$aws/certificates/create/<payloadFormat>', family: 'provisioning', direction: 'publish', description: 'Fleet provisioning: create keys and a certificate (payload format `json` or `cbor`).' },
  { template: '$aws/certificates/create/<payloadFormat>/accepted', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: the new certificate and keys.' },
  { template: '$aws/certificates/create/<payloadFormat>/rejected', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: certificate creation rejected.' },
  { template: '$aws/certificates/create-from-csr/<payloadFormat>', family: 'provisioning', direction: 'publish', description: 'Fleet provisioning: create a certificate from a CSR.' },
  { template: '$aws/certificates/create-from-csr/<payloadFormat>/accepted', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: the certificate made from the CSR.' },
  { template: '$aws/certificates/create-from-csr/<payloadFormat>/rejected', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: CSR rejected.' },
  { template: '$aws/provisioning-templates/<templateName>/provision/<payloadFormat>', family: 'provisioning', direction: 'publish', description: 'Fleet provisioning: register the thing with a template.' },
  { template: '$aws/provisioning-templates/<templateName>/provision/<payloadFormat>/accepted', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: the thing was provisioned.' },
  { template: '$aws/provisioning-templates/<templateName>/provision/<payloadFormat>/rejected', family: 'provisioning', direction: 'subscribe', description: 'Fleet provisioning: provisioning rejected.' },
  { template: '$aws/things/<coreDeviceThingName>/greengrass/health/json', family: 'greengrass', direction: 'both', description: 'Greengrass core device status (nucleus health).' },
  { template: '$aws/things/<coreDeviceThingName>/greengrassv2/health/json', family: 'greengrass', direction: 'both', description: 'Greengrass V2 core device status.' },
  { template: `$aws/things/${T}/defender/metrics/json`, family: 'defender', direction: 'publish', description: 'Device Defender: device-side metrics report (JSON).' },
  { template: `$aws/things/${T}/defender/metrics/json/accepted`, family: 'defender', direction: 'subscribe', description: 'Device Defender: metrics accepted.' },
  { template: `$aws/things/${T}/defender/metrics/json/rejected`, family: 'defender', direction: 'subscribe', description: 'Device Defender: metrics rejected.' },
  { template: '$aws/rules/<ruleName>/<topic>', family: 'rules', direction: 'publish', description: 'Basic Ingest: send straight to a rule (the prefix does not count toward topic limits).' },
];

/** Quotas that bear on the policy document itself (reference §6). */
export const QUOTAS = {
  /** Characters, excluding white space. */
  policyDocumentMaxChars: 2048,
  policyVersionsMax: 5,
  policiesPerPrincipalMax: 10,
  policiesPerThingGroupMax: 2,
  topicMaxBytes: 256,
  topicMaxSlashes: 7,
  clientIdMaxBytes: 128,
  thingNameMaxBytes: 128,
  subscriptionsPerSubscribe: 8,
  subscriptionsPerConnection: 50,
  shareNameMaxChars: 128,
} as const;

/** Size of a policy as AWS counts it: characters excluding white space. */
export function policySize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    n++;
  }
  return n;
}

export interface TopicProblem {
  /** Index in the topic string. */
  start: number;
  end: number;
  message: string;
}

/**
 * Checks a topic or filter for what no MQTT client can send: misplaced `#`/`+`, more than 7
 * slashes (the `$share/<name>/` and `$aws/rules/<rule>/` prefixes not counted), more than 256
 * bytes. Policy wildcards `*`/`?` and `${...}` are allowed and not counted as levels.
 */
export function checkTopic(topic: string, kind: 'topic' | 'topicfilter'): TopicProblem[] {
  const problems: TopicProblem[] = [];
  let body = topic;
  let offset = 0;
  const special = topic.charCodeAt(0) === 0x24; // `$share/...`, `$aws/rules/...`
  const share = special ? /^\$share\/([^/]*)\//.exec(topic) : null;
  if (share && kind === 'topicfilter') {
    offset = share[0].length;
    body = topic.slice(offset);
    if (/[+#]/.test(share[1])) problems.push({ start: 7, end: 7 + share[1].length, message: 'the share name of a shared subscription may not contain `+` or `#`' });
  }
  const ingest = special ? /^\$aws\/rules\/[^/]*\//.exec(topic) : null;
  if (ingest) {
    offset = ingest[0].length;
    body = topic.slice(offset);
  }
  // Strip variables so `${...}` contents are not read as levels.
  const levels = body.split('/');
  let pos = offset;
  for (let i = 0; i < levels.length; i++) {
    const lvl = levels[i];
    const hash = lvl.indexOf('#');
    if (hash !== -1) {
      if (lvl !== '#') problems.push({ start: pos + hash, end: pos + hash + 1, message: '`#` must stand alone in its topic level (`a/#`, not `a#`)' });
      else if (i !== levels.length - 1) problems.push({ start: pos + hash, end: pos + hash + 1, message: '`#` must be the last level of a topic filter' });
    }
    const plus = lvl.indexOf('+');
    if (plus !== -1 && lvl !== '+' && !lvl.includes('${')) problems.push({ start: pos + plus, end: pos + plus + 1, message: '`+` must stand alone in its topic level (`a/+/b`, not `a/b+`)' });
    pos += lvl.length + 1;
  }
  const slashes = countOutsideVariables(body, '/');
  if (slashes > QUOTAS.topicMaxSlashes) {
    problems.push({ start: offset, end: topic.length, message: `has ${slashes} slashes${offset ? ' after its prefix' : ''}: AWS IoT allows at most ${QUOTAS.topicMaxSlashes} (${QUOTAS.topicMaxSlashes + 1} levels) in a topic or filter` });
  }
  const bytes = utf8Length(body);
  if (bytes > QUOTAS.topicMaxBytes && !body.includes('*')) {
    problems.push({ start: offset, end: topic.length, message: `is ${bytes} bytes long: AWS IoT topics are at most ${QUOTAS.topicMaxBytes} bytes (UTF-8)` });
  }
  return problems;
}

function countOutsideVariables(s: string, ch: string): number {
  let n = 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') depth++;
    else if (s[i] === '}' && depth) depth--;
    else if (s[i] === ch && !depth) n++;
  }
  return n;
}

/** UTF-8 byte length without Node's Buffer, so the library also runs in a browser worker. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Reserved topic lookup (reserved-topic rule, hover)
// ---------------------------------------------------------------------------------------------

interface TopicTrieNode {
  children: Map<string, TopicTrieNode>;
  /** A level that is a name (`<thingName>`, `${...}`): any single level. */
  any?: TopicTrieNode;
  /** A trailing `<topic>`: anything below (Basic Ingest). */
  rest?: ReservedTopic;
  /** Reserved topics that end here. */
  topic?: ReservedTopic;
}

function newNode(): TopicTrieNode {
  return { children: new Map() };
}

const RESERVED_TRIE: TopicTrieNode = (() => {
  const root = newNode();
  for (const t of RESERVED_TOPICS) {
    const levels = t.template.split(T).join('<thing>').split('/');
    let node = root;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i];
      if (l === '<topic>' && i === levels.length - 1) {
        node.rest = t;
        break;
      }
      if (l.startsWith('<')) node = node.any ??= newNode();
      else {
        let next = node.children.get(l);
        if (!next) node.children.set(l, (next = newNode()));
        node = next;
      }
      if (i === levels.length - 1) node.topic ??= t;
    }
  }
  return root;
})();

export interface ReservedTopicLevelTypo {
  /** Index in the topic string of the misspelled level, and its end. */
  start: number;
  end: number;
  text: string;
  /** The reserved level meant, best first. */
  suggestions: string[];
}

export interface ReservedTopicMatch {
  /** The reserved topic this concrete topic is (all levels known). */
  topic?: ReservedTopic;
  /** A level that is a near miss of a reserved level (`updte` for `update`). */
  typo?: ReservedTopicLevelTypo;
}

function isConcreteLevel(l: string): boolean {
  return !l.includes('*') && !l.includes('?') && !l.includes('+') && !l.includes('#') && !l.includes('${');
}

function typoOf(level: string, candidates: Iterable<string>): string[] {
  const out: [string, number][] = [];
  for (const c of candidates) {
    const d = level.toLowerCase() === c.toLowerCase() ? 0 : editDistanceSmall(level.toLowerCase(), c, c.length <= 4 ? 1 : 2);
    if (d <= (c.length <= 4 ? 1 : 2)) out.push([c, d]);
  }
  return out.sort((a, b) => a[1] - b[1]).map((x) => x[0]);
}

/** Levenshtein distance for short words (topic levels), capped at max + 1. */
function editDistanceSmall(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max || a.length > 64) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Walks a topic (the name part of a `topic/` or `topicfilter/` ARN) through the reserved topics.
 * Levels with `*`, `?`, `+` or `#` stop the walk (the topic is not known there); `${...}` levels
 * stand for a name. Returns the reserved topic when every level is known, or the first level
 * that is a near miss of a reserved level (`$aws/things/t/shadow/updte`).
 */
export function matchReservedTopic(topic: string): ReservedTopicMatch {
  if (!topic.startsWith('$aws/')) return {};
  const levels = topic.split('/');
  let node: TopicTrieNode | undefined = RESERVED_TRIE;
  let pos = 0;
  for (let i = 0; i < levels.length && node; i++) {
    const l = levels[i];
    const start = pos;
    pos += l.length + 1;
    if (node.rest) return {};
    const exact = node.children.get(l);
    if (exact) {
      node = exact;
      continue;
    }
    if (l.includes('${')) {
      node = node.any;
      continue;
    }
    if (!isConcreteLevel(l)) return {};
    const near = l.length >= 2 ? typoOf(l, node.children.keys()) : [];
    if (near.length && !(node.any && l.length < 3)) return { typo: { start, end: start + l.length, text: l, suggestions: near } };
    node = node.any;
  }
  return node?.topic ? { topic: node.topic } : {};
}
