/**
 * ARN formats of the resources IoT policies authorise, and a parser that keeps the position of
 * every part so that findings point at the exact text. Source: reference §3.
 */
import { ownCopy } from '../text/memo';
import { editDistance } from '../text/distance';
import { OTHER_AWS_SERVICE_PREFIXES, type ResourceType } from './actions';

export interface ResourceTypeInfo {
  type: ResourceType;
  template: string;
  /** Snippet form with tab stops for region/account/name. */
  description: string;
  nameDescription: string;
}

export const RESOURCE_TYPES: readonly ResourceTypeInfo[] = [
  { type: 'client', template: 'arn:${Partition}:iot:${Region}:${Account}:client/${ClientId}', description: 'An MQTT client ID (authorised by `iot:Connect` and `iot:DeleteConnection`).', nameDescription: 'client ID' },
  { type: 'topic', template: 'arn:${Partition}:iot:${Region}:${Account}:topic/${TopicName}', description: 'An MQTT topic name (authorised by `iot:Publish`, `iot:Receive`, `iot:RetainPublish`, `iot:GetRetainedMessage`).', nameDescription: 'topic' },
  { type: 'topicfilter', template: 'arn:${Partition}:iot:${Region}:${Account}:topicfilter/${TopicFilter}', description: 'An MQTT topic filter, as the client writes it in SUBSCRIBE (authorised by `iot:Subscribe`).', nameDescription: 'topic filter' },
  { type: 'thing', template: 'arn:${Partition}:iot:${Region}:${Account}:thing/${ThingName}', description: 'A registry thing, or `thing/<thing>/<shadow>` for a named shadow (authorised by shadow, jobs and Greengrass actions).', nameDescription: 'thing name' },
  { type: 'rolealias', template: 'arn:${Partition}:iot:${Region}:${Account}:rolealias/${RoleAlias}', description: 'A role alias of the credentials provider (authorised by `iot:AssumeRoleWithCertificate`).', nameDescription: 'role alias' },
  { type: 'componentVersion', template: 'arn:${Partition}:greengrass:${Region}:${Account}:components:${ComponentName}:versions:${ComponentVersion}', description: 'A Greengrass component version (authorised by `greengrass:GetComponentVersionArtifact`).', nameDescription: 'component version' },
];

/** IoT resource types that exist only for IAM (control plane). */
export const IAM_ONLY_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'cert', 'cacert', 'policy', 'thinggroup', 'thingtype', 'job', 'jobtemplate', 'rule', 'destination', 'ruledestination', 'authorizer',
  'domainconfiguration', 'tunnel', 'otaupdate', 'stream', 'securityprofile', 'scheduledaudit', 'mitigationaction', 'custommetric', 'dimension',
  'billinggroup', 'fleetmetric', 'index', 'package', 'provisioningtemplate', 'certificateprovider', 'command', 'dynamicthinggroup', 'managedjobtemplate',
]);

export const IOT_RESOURCE_TYPE_NAMES: readonly string[] = ['client', 'topic', 'topicfilter', 'thing', 'rolealias'];

export const PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** AWS region names: `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `ap-southeast-7`. */
export const REGION_PATTERN = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export const ACCOUNT_PATTERN = /^\d{12}$/;

/** Documentation placeholders that are never a real region or account. */
export const REGION_PLACEHOLDERS = /^(?:<([a-z]+)>[^<>]*<\/\1>|<[^>]*>|<%[^%]*%>|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}|\[[^\]]*\]|\*{0,2}(?:(?:your|aws|my)[-_ ]?){0,2}region(?:[-_ ]?(?:name|code|id))?\*{0,2}|REGION|AWS_REGION|xx-xxxx-\d|us-east-\d-example|region-\d)$/i;
export const ACCOUNT_PLACEHOLDERS = /^(?:<([a-z]+)>[^<>]*<\/\1>|<[^>]*>|<%[^%]*%>|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\}|\[[^\]]*\]|\*{0,2}(?:(?:your|aws|my)[-_ ]?){0,2}account(?:[-_ ]?(?:id|number|no))?\*{0,2}|ACCOUNT(?:_ID)?|AWS_ACCOUNT_ID|123456789012|111122223333|\d*EXAMPLE\d*|444455556666|000000000000|x{12}|1{12}|0{12}|account-id)$/i;

/** Partition placeholders (`partition`, `<partition>`, `{self.partition}`, `$PARTITION`): the fix writes `aws`. */
export const PARTITION_PLACEHOLDERS = /^(?:<([a-z]+)>[^<>]*<\/\1>|<[^>]*>|<%[^%]*%>|\{\{[^}]*\}\}|\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\]|(?:(?:your|aws|my)[-_ ]?){0,2}partition(?:[-_ ]?name)?|AWS_PARTITION)$/i;

/** HTML markup copied from a documentation page (`<b>region</b>`). */
export const HTML_MARKUP_PLACEHOLDER = /^<([a-z]+)>[^<>]*<\/\1>$/i;

/** What kind of placeholder a text is: template interpolation, HTML markup, or a documentation placeholder. */
export function placeholderKind(text: string): 'template' | 'html' | 'documentation' {
  if (HTML_MARKUP_PLACEHOLDER.test(text)) return 'html';
  if (TEMPLATE_PLACEHOLDER.test(text)) return 'template';
  return 'documentation';
}

/**
 * Placeholders in the name part of a resource (`shadow/name/<shadowName>/get`, `<b>thingname</b>`,
 * `rolealias/your role alias`, `<%= thing %>`), with decoded indices in `name`. `${...}` is never one.
 */
export function namePlaceholders(name: string): ArnPart[] {
  const out: ArnPart[] = [];
  if (!name.includes('<') && !/your[ _-]/i.test(name)) return out;
  const re = /<([a-z]+)>[^<>]*<\/\1>|<%[^%]*%>|<[A-Za-z][^<>]*>|(?:^|(?<=\/))your[ _-][^/]*/gi;
  for (let m = re.exec(name); m; m = re.exec(name)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Service names that are a slip for `iot` or `greengrass` (`iott`, `ito`, `greengras`), never another service's prefix. */
function nearIotService(svc: string, known: ReadonlySet<string>): string | undefined {
  const s = svc.toLowerCase();
  if (known.has(s) || s === 'iot' || s === 'greengrass') return undefined;
  if (s.length >= 2 && s.length <= 5 && (editDistance(s, 'iot', 2) <= 1 || [...s].sort().join('') === 'iot')) return 'iot';
  if (s.length >= 7 && editDistance(s, 'greengrass', 3) <= 2) return 'greengrass';
  return undefined;
}

export interface ArnPart {
  text: string;
  /** Decoded index in the resource string. */
  start: number;
  end: number;
}

export type ArnProblemKind = 'not-arn' | 'parts' | 'partition' | 'service' | 'region' | 'account' | 'resource-type' | 'iam-only-type' | 'characters' | 'empty-name';

export interface ArnProblem {
  kind: ArnProblemKind;
  start: number;
  end: number;
  message: string;
  suggestion?: string;
}

export interface ParsedResource {
  /** `*` alone: every resource. */
  all: boolean;
  isArn: boolean;
  partition?: ArnPart;
  service?: ArnPart;
  region?: ArnPart;
  account?: ArnPart;
  /** The resource part after the account, e.g. `topic/a/b`. */
  resource?: ArnPart;
  /** `topic`, `client`, ... or `*`; undefined when missing. */
  resourceType?: ArnPart;
  /** Everything after `type/`. */
  name?: ArnPart;
  problems: ArnProblem[];
}

/**
 * Template interpolations that a build step fills in (EJS `<%= region %>`, Mustache `{{region}}`,
 * Python `{self.region}`, shell `$REGION`, `${...}`): placeholders, not malformed parts.
 */
export const TEMPLATE_PLACEHOLDER = /^(?:<%[^%]*%>|\{\{[^}]*\}\}|\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[^}]*\})$/;

/**
 * Blanks template interpolations and `${...}` references (which may contain spaces; the variable
 * rules report those) and placeholders such as `your role alias` before the character check.
 */
function withoutTemplates(value: string): string {
  return value.replace(/<%[^%]*%>|\{\{[^}]*\}\}|\$\{[^}]*\}?|<[A-Za-z][^<>]*>|(?:^|(?<=[/:]))your [^/:]*/gi, (m) => 'x'.repeat(m.length));
}

/** Which part of an ARN (split at the first five colons) a decoded index falls in. */
function partNameAt(value: string, index: number): string {
  if (!/^arn:/i.test(value)) return 'resource';
  const names = ['`arn` prefix', 'partition', 'service', 'region', 'account ID', 'resource part'];
  let part = 0;
  for (let i = 0; i < index && part < 5; i++) if (value[i] === ':') part++;
  return names[part];
}

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\ufeff\s]/;

export function hasWildcardOrVariable(s: string): boolean {
  return s.includes('*') || s.includes('?') || s.includes('${');
}

/**
 * Splits `arn:partition:service:region:account:resource` keeping `${...}` (which may hold `:`)
 * together.
 */
function splitArn(value: string): ArnPart[] {
  const parts: ArnPart[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '$' && value[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0 && parts.length < 5) {
      parts.push({ text: value.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  parts.push({ text: value.slice(start), start, end: value.length });
  return parts;
}

/** Resources parsed lately, by value: a keystroke changes one string, and the others parse as before. */
const PARSED = new Map<string, ParsedResource>();
/** Entries kept (the oldest goes first), and the longest value kept: no real resource comes near. */
const PARSED_MAX_ENTRIES = 4096;
const PARSED_MAX_LENGTH = 2048;

/**
 * A resource string read as an ARN: its parts and what is wrong with it, with positions relative
 * to the string. The result is shared and frozen: it depends only on `value`, so every analysis,
 * rule and feature reads the same one, and a re-analysis after a keystroke parses only the
 * strings that changed.
 */
export function parseResource(value: string): ParsedResource {
  const known = PARSED.get(value);
  if (known) return known;
  if (value.length > PARSED_MAX_LENGTH) return parseResourceText(value);
  // The entry holds its own copy of the string, and the parts are cut from the copy: kept as it
  // is, a string read from a document would keep the document's whole text alive.
  const own = ownCopy(value);
  const r = parseResourceText(own);
  Object.freeze(r.problems);
  Object.freeze(r);
  if (PARSED.size >= PARSED_MAX_ENTRIES) PARSED.delete(PARSED.keys().next().value as string);
  PARSED.set(own, r);
  return r;
}

function parseResourceText(value: string): ParsedResource {
  const r: ParsedResource = { all: value === '*', isArn: false, problems: [] };
  if (r.all) return r;
  const bad = INVISIBLE.exec(withoutTemplates(value));
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    r.problems.push({
      kind: 'characters', start: bad.index, end: bad.index + bad[0].length,
      message: bad[0] === ' '
        ? `contains a space in the ${partNameAt(value, bad.index)} (after \`${value.slice(Math.max(value.lastIndexOf(':', bad.index) + 1, bad.index - 16), bad.index)}\`), probably a copy-paste slip; remove it unless the name really has one`
        : `contains the invisible character U+${code}`,
      suggestion: value.replace(new RegExp(INVISIBLE.source, 'g'), ''),
    });
  }
  if (!/^arn:/i.test(value)) {
    r.problems.push({ kind: 'not-arn', start: 0, end: value.length, message: 'is neither `*` nor an ARN (`arn:aws:iot:<region>:<account>:<type>/<name>`)' });
    return r;
  }
  r.isArn = true;
  const parts = splitArn(value);
  if (parts.length < 6) {
    r.problems.push({ kind: 'parts', start: 0, end: value.length, message: `has ${parts.length} colon-separated parts; an ARN has 6: \`arn:partition:service:region:account:resource\`` });
    // Still try to say which part is missing when it looks like the service was left out.
    if (parts.length === 5 && (REGION_PATTERN.test(parts[2].text) || REGION_PLACEHOLDERS.test(parts[2].text))) {
      r.problems[r.problems.length - 1] = {
        kind: 'service', start: parts[2].start, end: parts[2].end,
        message: `has no service part: \`${parts[2].text}\` is the region, so \`iot\` is missing before it; write \`arn:${parts[1].text}:iot:${parts[2].text}:...\``,
        suggestion: `${value.slice(0, parts[2].start)}iot:${value.slice(parts[2].start)}`,
      };
    }
    return r;
  }
  const [arnPart, partition, service, region, account, resource] = parts;
  if (arnPart.text !== 'arn') r.problems.push({ kind: 'not-arn', start: arnPart.start, end: arnPart.end, message: `starts with \`${arnPart.text}\`; ARNs start with lower-case \`arn\``, suggestion: 'arn' + value.slice(arnPart.end) });
  r.partition = partition;
  r.service = service;
  r.region = region;
  r.account = account;
  r.resource = resource;
  if (!hasWildcardOrVariable(partition.text) && !PARTITIONS.includes(partition.text) && !TEMPLATE_PLACEHOLDER.test(partition.text) && !PARTITION_PLACEHOLDERS.test(partition.text)) {
    r.problems.push({ kind: 'partition', start: partition.start, end: partition.end, message: `has the unknown partition \`${partition.text}\` (expected ${PARTITIONS.map((p) => '`' + p + '`').join(', ')})` });
  }
  const svc = service.text;
  if (!hasWildcardOrVariable(svc) && svc !== 'iot' && svc !== 'greengrass') {
    if (REGION_PATTERN.test(svc)) {
      r.problems.push({ kind: 'service', start: service.start, end: service.end, message: `has no service part: \`${svc}\` is the region, so \`iot\` is missing before it; write \`arn:${partition.text}:iot:${svc}:...\``, suggestion: `${value.slice(0, service.start)}iot:${value.slice(service.start)}` });
      return r;
    }
    if (svc === '') {
      r.problems.push({ kind: 'service', start: service.start, end: service.end, message: 'has an empty service part; IoT resources use `iot`' });
      return r;
    }
    if (svc.toLowerCase() === 'iot') {
      r.problems.push({ kind: 'service', start: service.start, end: service.end, message: `has the service \`${svc}\`; ARN parts are case-sensitive: write \`iot\``, suggestion: value.slice(0, service.start) + 'iot' + value.slice(service.end) });
      return r;
    }
    const near = nearIotService(svc, OTHER_AWS_SERVICE_PREFIXES);
    if (near) {
      r.problems.push({ kind: 'service', start: service.start, end: service.end, message: `has the unknown service \`${svc}\`; did you mean \`${near}\`?`, suggestion: value.slice(0, service.start) + near + value.slice(service.end) });
      return r;
    }
    // Another service's ARN: a real ARN, but an IoT policy never authorises it (resource-type-mismatch reports that).
  }
  if (region.text === '') {
    if (svc === 'iot' || svc === 'greengrass') r.problems.push({ kind: 'region', start: region.start, end: region.end, message: 'has an empty region; IoT ARNs name a region such as `eu-west-1` (or `*`)' });
  } else if (!hasWildcardOrVariable(region.text) && !REGION_PATTERN.test(region.text) && !REGION_PLACEHOLDERS.test(region.text)) {
    r.problems.push({ kind: 'region', start: region.start, end: region.end, message: `has \`${region.text}\` where a region such as \`eu-west-1\` belongs` });
  }
  if (account.text === '') {
    if (svc === 'iot' || svc === 'greengrass') r.problems.push({ kind: 'account', start: account.start, end: account.end, message: 'has an empty account ID; IoT ARNs name a 12-digit account (or `*`)' });
  } else if (!hasWildcardOrVariable(account.text) && !ACCOUNT_PATTERN.test(account.text) && !ACCOUNT_PLACEHOLDERS.test(account.text)) {
    r.problems.push({ kind: 'account', start: account.start, end: account.end, message: `has \`${account.text}\` where a 12-digit account ID belongs` });
  }
  if (svc !== 'iot') {
    if (svc === 'greengrass') {
      r.resourceType = { text: resource.text.startsWith('components:') ? 'componentVersion' : resource.text, start: resource.start, end: resource.end };
      r.name = resource;
    }
    return r;
  }
  const res = resource.text;
  if (res === '*' || res === '') {
    if (res === '') r.problems.push({ kind: 'resource-type', start: resource.start, end: resource.end, message: 'has no resource part after the account; write e.g. `topic/<name>` or `*`' });
    else r.resourceType = { text: '*', start: resource.start, end: resource.end };
    return r;
  }
  const slash = res.indexOf('/');
  const typeText = slash === -1 ? res : res.slice(0, slash);
  const typePart: ArnPart = { text: typeText, start: resource.start, end: resource.start + typeText.length };
  if (slash === 0) {
    const after = res.slice(1);
    const stray = IOT_RESOURCE_TYPE_NAMES.find((t) => after === t || after.startsWith(t + '/'));
    if (stray) {
      r.problems.push({ kind: 'resource-type', start: resource.start, end: resource.start + 1, message: `has a stray \`/\` after the account: write \`:${after}\`, not \`:/${after}\``, suggestion: '' });
    } else {
      r.problems.push({ kind: 'resource-type', start: resource.start, end: resource.start + 1, message: `has no resource type before \`${res}\`; write e.g. \`topic${res}\` (or \`topicfilter${res}\` for Subscribe)`, suggestion: 'topic/' });
    }
    return r;
  }
  r.resourceType = typePart;
  if (slash !== -1) r.name = { text: res.slice(slash + 1), start: resource.start + slash + 1, end: resource.end };
  if (hasWildcardOrVariable(typeText)) return r;
  if (IOT_RESOURCE_TYPE_NAMES.includes(typeText)) {
    if (slash === -1) r.problems.push({ kind: 'empty-name', start: typePart.start, end: typePart.end, message: `has the resource type \`${typeText}\` but no name; write \`${typeText}/<name>\`` });
    else if (r.name!.text === '') r.problems.push({ kind: 'empty-name', start: typePart.start, end: resource.end, message: `has an empty ${typeText} name after \`${typeText}/\`` });
    return r;
  }
  const lower = typeText.toLowerCase();
  if (IOT_RESOURCE_TYPE_NAMES.includes(lower)) {
    r.problems.push({ kind: 'resource-type', start: typePart.start, end: typePart.end, message: `has the resource type \`${typeText}\`; resource types are case-sensitive: write \`${lower}\``, suggestion: lower });
    return r;
  }
  if (IAM_ONLY_RESOURCE_TYPES.has(lower)) {
    r.problems.push({ kind: 'iam-only-type', start: typePart.start, end: typePart.end, message: `has the resource type \`${typeText}\`, which only IAM policies use; IoT policies authorise \`client\`, \`topic\`, \`topicfilter\`, \`thing\` and \`rolealias\`` });
    return r;
  }
  const near = nearestType(lower);
  r.problems.push({
    kind: 'resource-type', start: typePart.start, end: typePart.end,
    message: `has the unknown resource type \`${typeText}\`${near ? `; did you mean \`${near}\`?` : ' (IoT policies use `client`, `topic`, `topicfilter`, `thing`, `rolealias`)'}`,
    suggestion: near,
  });
  return r;
}

function nearestType(t: string): string | undefined {
  const candidates: Record<string, string> = { topics: 'topic', topicfilters: 'topicfilter', 'topic-filter': 'topicfilter', topic_filter: 'topicfilter', clients: 'client', clientid: 'client', things: 'thing', rolealiases: 'rolealias', 'role-alias': 'rolealias', role_alias: 'rolealias', filter: 'topicfilter' };
  if (candidates[t]) return candidates[t];
  let best: string | undefined;
  let bestD = 3;
  for (const c of IOT_RESOURCE_TYPE_NAMES) {
    const d = editDistance(t, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Where an ARN points: its partition, region and account (each optional). */
export interface ArnScope {
  partition?: string;
  region?: string;
  account?: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, with `aws` and `*` for the parts not given. */
export function buildArn(scope: ArnScope, resource: string, service = 'iot'): string {
  return `arn:${scope.partition ?? 'aws'}:${service}:${scope.region ?? '*'}:${scope.account ?? '*'}:${resource}`;
}
