/**
 * The condition language: every IAM condition operator, the condition keys an IoT policy can use
 * (with their value types), the IAM-only keys that do nothing in an IoT policy (with the reason),
 * and validators for condition values. Source: reference §7 (IAM grammar S6, IoT keys S1/S2, SAR S4).
 *
 * Used by the evaluator (eval/evaluate.ts) and by the rules `unknown-condition-operator`,
 * `unsupported-condition-key` and `condition-value-type`:
 * - `parseOperator(name)` splits `ForAnyValue:StringLikeIfExists` into its parts, says whether it is
 *   valid and suggests the nearest valid spelling;
 * - `lookupConditionKey(name)` gives the value type of an IoT condition key (or undefined);
 * - `iamOnlyConditionKey(name)` gives why an IAM key does not work in an IoT policy;
 * - `validateConditionValue(base, value)` gives a problem message for a malformed value;
 * - `operatorFitsKey(base, valueType)` says whether an operator family suits a key's type.
 */
import { IAM_DOCS, IOT_DOCS } from './docs';
import { lookupVariable } from './variables';
import { cidrProblem } from './ip';
import { memoizeString } from '../text/memo';

/** The operator families ("base types"). */
export type ConditionBase = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** What an operator compares. */
export type ConditionComparison = 'equals' | 'like' | 'lessThan' | 'lessThanEquals' | 'greaterThan' | 'greaterThanEquals' | 'inRange' | 'isNull';

export interface OperatorInfo {
  /** Exact, case-sensitive name, e.g. `StringNotEqualsIgnoreCase`. */
  name: string;
  base: ConditionBase;
  comparison: ConditionComparison;
  /** `StringNotEquals`, `NotIpAddress`, `ArnNotLike`...: true when no value may match. */
  negated: boolean;
  /** `StringEqualsIgnoreCase` / `StringNotEqualsIgnoreCase`. */
  ignoreCase: boolean;
  /** Whether `...IfExists` may be appended (every operator except `Null`). */
  ifExistsAllowed: boolean;
  /** Whether `${...}` policy variables are substituted in values (String and Arn operators only). */
  variablesInValues: boolean;
  /** Whether `*` and `?` are wildcards in values. */
  wildcards: boolean;
  description: string;
  docsUrl: string;
}

const anchor = (a: string): string => `${IAM_DOCS.conditionOperators}#${a}`;

function op(
  name: string, base: ConditionBase, comparison: ConditionComparison, description: string, docsAnchor: string,
  extra: Partial<Pick<OperatorInfo, 'negated' | 'ignoreCase' | 'wildcards'>> = {},
): OperatorInfo {
  return {
    name, base, comparison, description,
    negated: extra.negated ?? false,
    ignoreCase: extra.ignoreCase ?? false,
    wildcards: extra.wildcards ?? false,
    ifExistsAllowed: base !== 'Null',
    variablesInValues: base === 'String' || base === 'Arn',
    docsUrl: anchor(docsAnchor),
  };
}

/** How the Numeric and Date operators word their comparisons ("less than", "before"). */
interface OrderWords {
  equal: string;
  less: string;
  lessOrEqual: string;
  greater: string;
  greaterOrEqual: string;
}

const NUMBER_WORDS: OrderWords = {
  equal: 'equal to', less: 'less than', lessOrEqual: 'less than or equal to',
  greater: 'greater than', greaterOrEqual: 'greater than or equal to',
};
const DATE_WORDS: OrderWords = { equal: 'equal to', less: 'before', lessOrEqual: 'at or before', greater: 'after', greaterOrEqual: 'at or after' };

/** The six comparison operators of the Numeric or Date family, in the order IAM lists them. */
function orderedFamily(base: 'Numeric' | 'Date', noun: string, w: OrderWords, valueNote = ''): OperatorInfo[] {
  const docs = `Conditions_${base}`;
  const compare = (name: string, comparison: ConditionComparison, words: string): OperatorInfo => op(`${base}${name}`, base, comparison, `${noun} ${words} the value.`, docs);
  return [
    op(`${base}Equals`, base, 'equals', `${noun} ${w.equal} the value${valueNote}.`, docs),
    op(`${base}NotEquals`, base, 'equals', `${noun} different from every value. True when the key is absent.`, docs, { negated: true }),
    compare('LessThan', 'lessThan', w.less),
    compare('LessThanEquals', 'lessThanEquals', w.lessOrEqual),
    compare('GreaterThan', 'greaterThan', w.greater),
    compare('GreaterThanEquals', 'greaterThanEquals', w.greaterOrEqual),
  ];
}

/** Every IAM condition operator (without set prefix or `IfExists`). */
export const CONDITION_OPERATORS: readonly OperatorInfo[] = [
  op('StringEquals', 'String', 'equals', 'Exact, case-sensitive string match.', 'Conditions_String'),
  op('StringNotEquals', 'String', 'equals', 'True when the key matches none of the values (case-sensitive). True when the key is absent.', 'Conditions_String', { negated: true }),
  op('StringEqualsIgnoreCase', 'String', 'equals', 'Exact string match ignoring case.', 'Conditions_String', { ignoreCase: true }),
  op('StringNotEqualsIgnoreCase', 'String', 'equals', 'True when the key matches none of the values, ignoring case. True when the key is absent.', 'Conditions_String', { negated: true, ignoreCase: true }),
  op('StringLike', 'String', 'like', 'Case-sensitive match where `*` matches any characters and `?` one character.', 'Conditions_String', { wildcards: true }),
  op('StringNotLike', 'String', 'like', 'True when the key matches none of the `*`/`?` patterns (case-sensitive). True when the key is absent.', 'Conditions_String', { negated: true, wildcards: true }),
  ...orderedFamily('Numeric', 'Number', NUMBER_WORDS),
  ...orderedFamily('Date', 'Date', DATE_WORDS, ' (ISO 8601 or epoch seconds)'),
  op('Bool', 'Bool', 'equals', 'Boolean match: `"true"` or `"false"`.', 'Conditions_Boolean'),
  op('BinaryEquals', 'Binary', 'equals', 'Byte-for-byte match of a base-64 encoded value.', 'Conditions_BinaryEquals'),
  op('IpAddress', 'IpAddress', 'inRange', 'The IP address is in one of the IPv4 or IPv6 CIDR blocks (e.g. `203.0.113.0/24`).', 'Conditions_IPAddress'),
  op('NotIpAddress', 'IpAddress', 'inRange', 'The IP address is in none of the CIDR blocks. True when the key is absent.', 'Conditions_IPAddress', { negated: true }),
  op('ArnEquals', 'Arn', 'like', 'Case-sensitive ARN match; each of the six `:`-separated parts is compared separately and may use `*` and `?`.', 'Conditions_ARN', { wildcards: true }),
  op('ArnLike', 'Arn', 'like', 'Same as `ArnEquals`: case-sensitive ARN match, part by part, with `*` and `?`.', 'Conditions_ARN', { wildcards: true }),
  op('ArnNotEquals', 'Arn', 'like', 'True when the ARN matches none of the values (part by part, `*` and `?`). True when the key is absent.', 'Conditions_ARN', { negated: true, wildcards: true }),
  op('ArnNotLike', 'Arn', 'like', 'Same as `ArnNotEquals`. True when the key is absent.', 'Conditions_ARN', { negated: true, wildcards: true }),
  op('Null', 'Null', 'isNull', '`"true"`: the key is absent from the request; `"false"`: the key is present.', 'Conditions_Null'),
];

export const OPERATORS_BY_NAME: ReadonlyMap<string, OperatorInfo> = new Map(CONDITION_OPERATORS.map((o) => [o.name, o]));

export type SetOperator = 'ForAnyValue' | 'ForAllValues';
export const SET_OPERATORS: readonly SetOperator[] = ['ForAnyValue', 'ForAllValues'];
export const SET_OPERATOR_DOCS_URL = IAM_DOCS.multiValuedKeys;
export const IF_EXISTS = 'IfExists';

export interface ParsedOperator {
  /** The text as written. */
  text: string;
  /** The operator without prefix and suffix when it is known, e.g. `StringLike`. */
  operator?: OperatorInfo;
  base?: ConditionBase;
  setPrefix?: SetOperator;
  ifExists: boolean;
  valid: boolean;
  /** Why it is not valid. */
  problem?: string;
  /** The nearest valid spelling (whole operator, prefix and suffix included). */
  suggestion?: string;
}

/** Every valid full operator spelling (prefixes and `IfExists` included), for completion and suggestions. */
export function allOperatorSpellings(): string[] {
  const out: string[] = [];
  for (const prefix of ['', 'ForAnyValue:', 'ForAllValues:']) {
    for (const o of CONDITION_OPERATORS) {
      out.push(prefix + o.name);
      if (o.ifExistsAllowed) out.push(prefix + o.name + IF_EXISTS);
    }
  }
  return out;
}

function levenshtein(a: string, b: string): number {
  const m = b.length;
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= m; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[m];
}

function nearest(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lw = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase() === lw ? 0.5 : levenshtein(lw, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= maxDistance ? best : undefined;
}

/**
 * Splits and checks an operator name such as `ForAllValues:StringNotEqualsIfExists`.
 * Names are case-sensitive; a typo or wrong case gets `suggestion` (the nearest valid spelling).
 */
export function parseOperator(name: string): ParsedOperator {
  const text = name;
  let rest = name;
  let setPrefix: SetOperator | undefined;
  const colon = rest.indexOf(':');
  const suggestFor = (): string | undefined => nearest(text, allOperatorSpellings(), Math.max(3, Math.floor(text.length / 4)));
  if (colon !== -1) {
    const prefix = rest.slice(0, colon);
    if (prefix === 'ForAnyValue' || prefix === 'ForAllValues') setPrefix = prefix;
    else {
      return {
        text, ifExists: false, valid: false,
        problem: `"${prefix}" is not a set operator: use ForAnyValue or ForAllValues`,
        suggestion: suggestFor(),
      };
    }
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let bare = rest;
  if (rest.endsWith(IF_EXISTS) && rest.length > IF_EXISTS.length) {
    ifExists = true;
    bare = rest.slice(0, -IF_EXISTS.length);
  }
  const info = OPERATORS_BY_NAME.get(bare);
  if (!info) {
    return {
      text, setPrefix, ifExists, valid: false,
      problem: rest === '' ? 'missing condition operator after the set prefix' : `"${rest}" is not a condition operator`,
      suggestion: suggestFor(),
    };
  }
  if (ifExists && !info.ifExistsAllowed) {
    return {
      text, operator: info, base: info.base, setPrefix, ifExists, valid: false,
      problem: `${info.name} cannot take the IfExists suffix`,
      suggestion: (setPrefix ? setPrefix + ':' : '') + info.name,
    };
  }
  return { text, operator: info, base: info.base, setPrefix, ifExists, valid: true };
}

// ---------------------------------------------------------------------------------------------
// Condition keys

/** The value type of a condition key. */
export type ConditionValueType = 'string' | 'bool' | 'ip' | 'arn' | 'numeric' | 'date' | 'binary';

export interface ConditionKeyInfo {
  /** Canonical name; for templates the placeholder form, e.g. `iot:Connection.Thing.Attributes[attributeName]`. */
  name: string;
  valueType: ConditionValueType;
  /** Multi-valued: use with `ForAnyValue:` / `ForAllValues:`. */
  multiValued: boolean;
  /** The documented values, when the set is closed. */
  values?: readonly string[];
  description: string;
  /** Actions it is meaningful for (informative). */
  appliesTo?: string;
  docsUrl: string;
}


/** The condition keys an IoT policy can use, except the certificate family (see `lookupConditionKey`). */
export const IOT_CONDITION_KEYS: readonly ConditionKeyInfo[] = [
  { name: 'aws:SourceIp', valueType: 'ip', multiValued: false, description: 'The IP address of the client connected to the message broker. Use with `IpAddress` / `NotIpAddress`.', appliesTo: 'any data-plane action', docsUrl: IOT_DOCS.basicVariables },
  { name: 'iot:ClientId', valueType: 'string', multiValued: false, description: 'The MQTT client ID the client connected with.', docsUrl: IOT_DOCS.basicVariables },
  { name: 'iot:DomainName', valueType: 'string', multiValued: false, description: 'The domain name the client connected to (e.g. a custom domain configuration).', docsUrl: IOT_DOCS.basicVariables },
  { name: 'iot:Connection.Thing.ThingName', valueType: 'string', multiValued: false, description: 'The name of the thing attached to the connection.', docsUrl: IOT_DOCS.thingVariables },
  { name: 'iot:Connection.Thing.ThingTypeName', valueType: 'string', multiValued: false, description: 'The thing type of the connected thing.', docsUrl: IOT_DOCS.thingVariables },
  { name: 'iot:Connection.Thing.Attributes[attributeName]', valueType: 'string', multiValued: false, description: 'The value of the named attribute of the connected thing.', docsUrl: IOT_DOCS.thingVariables },
  { name: 'iot:Connection.Thing.IsAttached', valueType: 'bool', multiValued: false, description: '`true` when the connecting thing is attached to the certificate or Cognito identity. Use with `Bool`.', docsUrl: IOT_DOCS.thingVariables },
  {
    name: 'iot:ConnectAttributes', valueType: 'string', multiValued: true, values: ['PersistentConnect', 'LastWill'],
    description: 'The features the CONNECT asks for: `PersistentConnect` (persistent session) and/or `LastWill` (a will message). An empty list means default features only. Use with `ForAnyValue:` / `ForAllValues:`.',
    appliesTo: 'iot:Connect', docsUrl: IOT_DOCS.connect,
  },
  { name: 'iot:LastWillTopic', valueType: 'arn', multiValued: false, description: 'The topic ARN of the will message of the CONNECT. Use with `ArnEquals` / `ArnLike`.', appliesTo: 'iot:Connect', docsUrl: IOT_DOCS.connect },
  // VPC endpoint keys: AWS IoT Core interface VPC endpoints docs (IoTCore-VPC) use them in IoT policies
  // to allow connections only through a VPC endpoint.
  { name: 'aws:SourceVpce', valueType: 'string', multiValued: false, description: 'The ID of the VPC endpoint the client connected through (e.g. `vpce-1a2b3c4d`). Set only for connections through an AWS IoT Core interface VPC endpoint.', docsUrl: IOT_DOCS.vpc },
  { name: 'aws:SourceVpc', valueType: 'string', multiValued: false, description: 'The ID of the VPC the client connected from. Set only for connections through an AWS IoT Core interface VPC endpoint.', docsUrl: IOT_DOCS.vpc },
  { name: 'aws:VpcSourceIp', valueType: 'ip', multiValued: false, description: 'The client IP address inside the VPC. Set only for connections through an AWS IoT Core interface VPC endpoint. Use with `IpAddress` / `NotIpAddress`.', docsUrl: IOT_DOCS.vpc },
  {
    name: 'cognito-identity.amazonaws.com:sub', valueType: 'string', multiValued: false,
    description: 'The Amazon Cognito identity ID of the caller.', docsUrl: IOT_DOCS.pubSub,
  },
];

const KEYS_BY_NAME = new Map(IOT_CONDITION_KEYS.map((k) => [k.name, k]));
const KEYS_BY_LOWER = new Map(IOT_CONDITION_KEYS.map((k) => [k.name.toLowerCase(), k]));
const ATTRIBUTES_KEY = KEYS_BY_NAME.get('iot:Connection.Thing.Attributes[attributeName]')!;
const ATTR_PREFIX = 'iot:Connection.Thing.Attributes[';

export interface ConditionKeyMatch {
  info: ConditionKeyInfo;
  /** The correctly cased name (condition keys are matched without case by AWS). */
  canonical: string;
  /** True when the name as written differs in case from the canonical one. */
  caseDiffers: boolean;
}

/**
 * Looks up a condition key usable in IoT policies. Case-insensitive (as IAM matches keys), but
 * `caseDiffers` tells the caller when the spelling is not canonical. Handles
 * `iot:Connection.Thing.Attributes[name]` and every `iot:Certificate.*` variable (with `.N` and
 * `.List`), read from the variables catalogue.
 */
export function lookupConditionKey(name: string): ConditionKeyMatch | undefined {
  const exact = KEYS_BY_NAME.get(name);
  if (exact && exact !== ATTRIBUTES_KEY) return { info: exact, canonical: exact.name, caseDiffers: false };
  const lower = KEYS_BY_LOWER.get(name.toLowerCase());
  if (lower && lower !== ATTRIBUTES_KEY) return { info: lower, canonical: lower.name, caseDiffers: true };
  if (name.toLowerCase().startsWith(ATTR_PREFIX.toLowerCase()) && name.endsWith(']')) {
    const attr = name.slice(ATTR_PREFIX.length, -1);
    if (/^[a-zA-Z0-9_.,@/:#-]+$/.test(attr)) {
      const canonical = `${ATTR_PREFIX}${attr}]`;
      return { info: ATTRIBUTES_KEY, canonical, caseDiffers: canonical !== name };
    }
    return undefined;
  }
  if (/^iot:certificate/i.test(name)) {
    const exactVar = lookupVariable(name);
    const match = exactVar ? { m: exactVar, canonical: name } : undefined;
    const found = match ?? certificateIgnoringCase(name);
    if (!found || found.m.info.category !== 'certificate') return undefined;
    const isList = found.m.form === 'list' || found.m.info.valueType === 'list';
    return {
      info: {
        name: found.canonical, valueType: 'string', multiValued: isList,
        description: found.m.info.resolvesTo + (isList ? ' Every value, for `ForAnyValue:` / `ForAllValues:`.' : ''),
        docsUrl: found.m.info.docsUrl || IOT_DOCS.certVariables,
      },
      canonical: found.canonical,
      caseDiffers: found.canonical !== name,
    };
  }
  return undefined;
}

function certificateIgnoringCase(name: string): { m: NonNullable<ReturnType<typeof lookupVariable>>; canonical: string } | undefined {
  // Lazy import-free fallback: try the canonical spellings of the certificate family.
  const lower = name.toLowerCase();
  const suffix = /\.(list|\d{1,2})$/i.exec(name);
  const base = suffix ? name.slice(0, -suffix[0].length) : name;
  for (const who of ['Subject', 'Issuer']) {
    for (const attr of CERT_ATTRS) {
      const cand = `iot:Certificate.${who}.${attr}`;
      if (cand.toLowerCase() === base.toLowerCase()) {
        const canonical = cand + (suffix ? (suffix[1].toLowerCase() === 'list' ? '.List' : '.' + suffix[1]) : '');
        const m = lookupVariable(canonical);
        return m ? { m, canonical } : undefined;
      }
    }
  }
  for (const cand of ['iot:Certificate.SerialNumber', 'iot:Certificate.AvailableKeys', 'iot:CertificateId']) {
    if (cand.toLowerCase() === lower) {
      const m = lookupVariable(cand);
      return m ? { m, canonical: cand } : undefined;
    }
  }
  return undefined;
}

const CERT_ATTRS = [
  'DistinguishedNameQualifier', 'Country', 'Organization', 'OrganizationalUnit', 'State', 'CommonName', 'SerialNumber', 'Title', 'Surname',
  'GivenName', 'Initials', 'Pseudonym', 'GenerationQualifier', 'AlternativeName.RFC822Name', 'AlternativeName.DNSName',
  'AlternativeName.DirectoryName', 'AlternativeName.UniformResourceIdentifier', 'AlternativeName.IPAddress',
];

/** IAM condition keys that exist for IAM policies on AWS IoT but do nothing in an IoT policy. */
export interface IamOnlyKey {
  /** Exact name, or a prefix ending in `/` for templated keys (`aws:RequestTag/`). */
  name: string;
  prefix: boolean;
  reason: string;
}

const SAR_URL_REASON = 'It is an IAM condition key for AWS IoT control-plane APIs (Service Authorization Reference), not a key of the IoT policy language';
export const IAM_ONLY_CONDITION_KEYS: readonly IamOnlyKey[] = [
  { name: 'aws:RequestTag/', prefix: true, reason: `${SAR_URL_REASON}: it tags resources created through the control plane.` },
  { name: 'aws:ResourceTag/', prefix: true, reason: `${SAR_URL_REASON}: resource tags are checked for IAM principals calling the control plane.` },
  { name: 'aws:TagKeys', prefix: false, reason: `${SAR_URL_REASON}: it lists the tag keys of a tagging request.` },
  { name: 'iot:ClientMode', prefix: false, reason: `${SAR_URL_REASON}: it is the secure-tunnelling client mode (e.g. DESTINATION).` },
  { name: 'iot:Delete', prefix: false, reason: `${SAR_URL_REASON}: it belongs to the secure-tunnelling CloseTunnel API.` },
  { name: 'iot:ThingGroupArn', prefix: false, reason: `${SAR_URL_REASON}: it is checked by thing-group control-plane APIs.` },
  { name: 'iot:TunnelDestinationService', prefix: false, reason: `${SAR_URL_REASON}: it belongs to secure tunnelling.` },
  { name: 'iot:thingArn', prefix: false, reason: `${SAR_URL_REASON}: it is checked by AttachThingPrincipal.` },
  { name: 'iot:Topic', prefix: false, reason: `${SAR_URL_REASON}: it is checked by the SendDirectMessage API. In an IoT policy the topic is the resource (topic/...).` },
  { name: 'iot:IncludeSocketInformation', prefix: false, reason: `${SAR_URL_REASON}: it belongs to the GetThingConnectivityData API.` },
  { name: 'iot:CommandExecutionParameterBoolean/', prefix: true, reason: `${SAR_URL_REASON}: it belongs to the commands API (StartCommandExecution).` },
  { name: 'iot:CommandExecutionParameterNumber/', prefix: true, reason: `${SAR_URL_REASON}: it belongs to the commands API (StartCommandExecution).` },
  { name: 'iot:CommandExecutionParameterString/', prefix: true, reason: `${SAR_URL_REASON}: it belongs to the commands API (StartCommandExecution).` },
  { name: 'iot:JobId', prefix: false, reason: `${SAR_URL_REASON}: it is checked by the iotjobsdata IAM actions DescribeJobExecution and UpdateJobExecution in IAM policies.` },
  { name: 'credentials-iot:ThingName', prefix: false, reason: 'It is added by the credentials provider to the temporary credentials and works only in the IAM policy of the role behind a role alias. In an IoT policy use iot:Connection.Thing.ThingName.' },
  { name: 'credentials-iot:ThingTypeName', prefix: false, reason: 'It works only in the IAM policy of the role behind a role alias. In an IoT policy use iot:Connection.Thing.ThingTypeName.' },
  { name: 'credentials-iot:AwsCertificateId', prefix: false, reason: 'It works only in the IAM policy of the role behind a role alias. In an IoT policy use iot:CertificateId.' },
  { name: 'credentials-iot:', prefix: true, reason: 'credentials-iot: keys are added by the credentials provider and work only in the IAM policy of the role behind a role alias.' },
];

/** Why `name` (matched without case) is an IAM-only key that an IoT policy cannot use, or undefined. */
export function iamOnlyConditionKey(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const k of IAM_ONLY_CONDITION_KEYS) if (!k.prefix && k.name.toLowerCase() === lower) return k.reason;
  for (const k of IAM_ONLY_CONDITION_KEYS) if (k.prefix && lower.startsWith(k.name.toLowerCase())) return k.reason;
  return undefined;
}

/** Names for completion after `"Condition": {"<operator>": {"` (templates with a placeholder). */
export function conditionKeyNamesForSuggestions(): string[] {
  const out = IOT_CONDITION_KEYS.map((k) => k.name);
  out.push('iot:CertificateId', 'iot:Certificate.SerialNumber', 'iot:Certificate.AvailableKeys');
  for (const who of ['Subject', 'Issuer']) for (const a of CERT_ATTRS) out.push(`iot:Certificate.${who}.${a}`, `iot:Certificate.${who}.${a}.List`);
  return out;
}

/**
 * Does the operator family suit a key of this value type?
 * - `ok`: the natural pairing (String for strings, Bool for bools, IpAddress for IPs, Arn for ARNs...);
 * - `loose`: works but compares as text (String operators on an ARN or bool key);
 * - `mismatch`: can never match as intended (e.g. `IpAddress` on `iot:ClientId`, `Bool` on `aws:SourceIp`).
 * `Null` fits every key.
 */
export function operatorFitsKey(base: ConditionBase, valueType: ConditionValueType): 'ok' | 'loose' | 'mismatch' {
  if (base === 'Null') return 'ok';
  const natural: Record<ConditionValueType, ConditionBase> = {
    string: 'String', bool: 'Bool', ip: 'IpAddress', arn: 'Arn', numeric: 'Numeric', date: 'Date', binary: 'Binary',
  };
  if (natural[valueType] === base) return 'ok';
  if (base === 'String' && (valueType === 'arn' || valueType === 'bool')) return 'loose';
  if (base === 'Arn' && valueType === 'string') return 'loose';
  return 'mismatch';
}

// ---------------------------------------------------------------------------------------------
// Value validators

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^\d{1,12}(\.\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** Parses a numeric condition value; undefined when it is not a number. */
export function parseNumericValue(value: string): number | undefined {
  const s = value.trim();
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Parses a date condition value (ISO 8601 or epoch seconds) to milliseconds; undefined when invalid. */
export function parseDateValue(value: string): number | undefined {
  const s = value.trim();
  if (EPOCH.test(s)) return Math.round(Number(s) * 1000);
  if (!ISO_DATE.test(s)) return undefined;
  // A date-time without zone is read as UTC, like IAM.
  const withZone = /T/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s + 'Z' : s;
  const t = Date.parse(withZone.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? t : undefined;
}

/** Is the text an ARN (`arn:partition:service:region:account:resource`, 6+ parts, non-empty partition/service/resource)? */
export function arnProblem(value: string): string | undefined {
  if (value === '*') return undefined;
  const parts = value.split(':');
  if (parts[0] !== 'arn') return `"${value}" is not an ARN: it must start with "arn:"`;
  if (parts.length < 6) return `"${value}" is not an ARN: expected arn:partition:service:region:account-id:resource`;
  if (!parts[1] || !parts[2] || parts.slice(5).join(':') === '') return `"${value}" is not an ARN: the partition, service and resource must not be empty`;
  return undefined;
}

/**
 * Checks one condition value against the operator family. Returns a problem message, or undefined
 * when the value is well-formed. `value` is the JSON value as text (`true` and `12` from JSON
 * booleans and numbers are passed as their text). Values with `${...}` are not checked for String
 * and Arn (substituted at evaluation time).
 */
export function validateConditionValue(base: ConditionBase, value: string): string | undefined {
  switch (base) {
    case 'Bool':
      return value === 'true' || value === 'false' ? undefined
        : value.toLowerCase() === 'true' || value.toLowerCase() === 'false' ? `write "${value.toLowerCase()}" in lower case`
          : `"${value}" is not a boolean: use "true" or "false"`;
    case 'Null':
      return value === 'true' || value === 'false' ? undefined
        : `"${value}" is not valid for Null: use "true" (the key must be absent) or "false" (the key must be present)`;
    case 'Numeric':
      return parseNumericValue(value) === undefined ? `"${value}" is not a number` : undefined;
    case 'Date':
      return parseDateValue(value) === undefined ? `"${value}" is not a date: use ISO 8601 (2026-01-31T12:00:00Z) or epoch seconds` : undefined;
    case 'IpAddress':
      return cidrProblem(value);
    case 'Arn':
      if (value.includes('${')) return undefined;
      return arnProblem(value);
    case 'Binary':
      return value.length > 0 && BASE64.test(value) ? undefined : `"${value}" is not base-64 encoded`;
    case 'String':
      return undefined;
  }
}

/** parseOperator, memoised (it ranks every operator spelling for a suggestion): a pure function of the name. */
export const parseOperatorCached: (name: string) => ParsedOperator = memoizeString(parseOperator, 1000);
