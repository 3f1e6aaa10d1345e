/**
 * Policy variables (`${...}`): every documented name, when it resolves and where it may be used.
 * Source: reference §2 (basic, thing, certificate, Cognito, credentials-provider variables),
 * §7.2 and §9 (errata).
 */
import { IAM_DOCS, IOT_DOCS } from './docs';

export type VariableCategory = 'basic' | 'thing' | 'certificate' | 'cognito' | 'escape';

/** Where a `${...}` may stand. Condition key *names* never take variables. */
export type VariablePlace = 'resource' | 'condition-value';

export interface VariableInfo {
  /** Canonical name, e.g. `iot:Connection.Thing.ThingName`; for templates, with a placeholder. */
  name: string;
  category: VariableCategory;
  /** What it is replaced with. */
  resolvesTo: string;
  /** When it has a value. */
  availability: string;
  allowedIn: VariablePlace[];
  valueType: 'string' | 'bool' | 'ip' | 'list';
  example: string;
  caveats?: string[];
  docsUrl: string;
  /** Certificate attributes that can hold several values support `.N` and `.List`. */
  multiValued?: boolean;
  /** `Attributes[name]` takes a name. */
  template?: 'attribute';
}


const THING_AVAILABILITY =
  'Only for MQTT and MQTT over WebSocket connections whose certificate (or authenticated Cognito identity) is attached to the thing with `AttachThingPrincipal`. The thing is found from the MQTT client ID: with a non-exclusive attachment the client ID must equal the thing name; with an exclusive thing association (current docs) the connection is associated with the thing even when the client ID differs.';
const THING_CAVEATS = [
  'When the variable cannot be resolved (certificate not attached to the thing), the statement does not match and access is denied.',
  'Not supported in policies for Greengrass V2 core devices or Greengrass data-plane actions: use a name prefix with `*` instead.',
];
const CERT_AVAILABILITY = 'Only when the client authenticates with an X.509 certificate (MQTT over TLS, HTTPS with mutual TLS, or the credentials provider).';
const CERT_CAVEATS = [
  'If the certificate lacks the attribute, the variable is not substituted and the literal `${...}` makes authorisation fail; guard with the `Null` operator.',
  'No substitution happens when the value contains `*`, `$`, `+`, `?` or `#`, or is longer than 1024 characters.',
];
const MULTI_NOTE =
  'Multi-valued: without a suffix the first value; `.N` selects another value (AWS docs call it one-based yet say `.1` is the second value — read it as a zero-based index); `.List` gives all values, for `ForAnyValue:`/`ForAllValues:` conditions. Only the first five values are kept.';

const DN_ATTRIBUTES = [
  ['DistinguishedNameQualifier', 'dnQualifier'], ['Country', 'C'], ['Organization', 'O'], ['OrganizationalUnit', 'OU'], ['State', 'ST'],
  ['CommonName', 'CN'], ['SerialNumber', 'serialNumber'], ['Title', 'title'], ['Surname', 'SN'], ['GivenName', 'GN'], ['Initials', 'initials'],
  ['Pseudonym', 'pseudonym'], ['GenerationQualifier', 'generationQualifier'],
] as const;
const SAN_ATTRIBUTES = [
  ['RFC822Name', 'email:'], ['DNSName', 'DNS:'], ['DirectoryName', 'DirName:'], ['UniformResourceIdentifier', 'URI:'], ['IPAddress', 'IP Address:'],
] as const;

/** Usable in `Resource` and in condition values (every variable but IsAttached). */
const ANYWHERE: VariablePlace[] = ['resource', 'condition-value'];

/** What sets a variable apart from the others of its category. */
type VariableDetails = Partial<Omit<VariableInfo, 'name' | 'category' | 'resolvesTo' | 'example'>>;

/** A variable of a category: a string usable anywhere, unless its details say otherwise. */
function variable(
  category: VariableCategory, defaults: Pick<VariableInfo, 'availability' | 'docsUrl'> & Partial<VariableInfo>,
): (name: string, resolvesTo: string, example: string, details?: VariableDetails) => VariableInfo {
  return (name, resolvesTo, example, details) => ({ name, category, resolvesTo, allowedIn: ANYWHERE, valueType: 'string', example, ...defaults, ...details });
}

const basicVariable = (availability: string) => variable('basic', { availability, docsUrl: IOT_DOCS.basicVariables });
const thingVariable = variable('thing', { availability: THING_AVAILABILITY, caveats: THING_CAVEATS, docsUrl: IOT_DOCS.thingVariables });
const certVariable = variable('certificate', { availability: CERT_AVAILABILITY, docsUrl: IOT_DOCS.certVariables });
const escapeVariable = variable('escape', { availability: 'Always (Version 2012-10-17).', docsUrl: IAM_DOCS.variables });

const RESOURCE = '"Resource": "arn:aws:iot:<region>:<account-id>:';
const INITIALS_NOTE = 'The X.509 mapping table in AWS docs spells this `initials` (lower case); the variable list uses `Initials`.';

function certVariables(): VariableInfo[] {
  const out: VariableInfo[] = [];
  for (const who of ['Subject', 'Issuer'] as const) {
    for (const [attr, x509] of DN_ATTRIBUTES) {
      const name = `iot:Certificate.${who}.${attr}`;
      const example = who === 'Subject' && attr === 'CommonName'
        ? '"StringEquals": {"iot:Certificate.Subject.CommonName.2": "Administrator"}'
        : `${RESOURCE}topic/\${${name}}/*"`;
      out.push(certVariable(name, `The ${attr} (\`${x509}\`) attribute of the certificate ${who.toLowerCase()}'s distinguished name.`, example, {
        multiValued: true,
        caveats: [...CERT_CAVEATS, MULTI_NOTE, ...(attr === 'Initials' ? [INITIALS_NOTE] : [])],
      }));
    }
    for (const [attr, x509] of SAN_ATTRIBUTES) {
      const name = `iot:Certificate.${who}.AlternativeName.${attr}`;
      const resolvesTo = `The ${attr} (\`${x509}\`) entry of the certificate's ${who.toLowerCase()} alternative name.`;
      out.push(certVariable(name, resolvesTo, `"ForAnyValue:StringEquals": {"${name}.List": ["..."]}`, { multiValued: true, caveats: [...CERT_CAVEATS, MULTI_NOTE] }));
    }
  }
  out.push(
    certVariable(
      'iot:Certificate.SerialNumber',
      'The certificate serial number, as the decimal string of the integer (hex `92:12:85:cb:b7:a5:e0:86` becomes `10525622389124227206`).',
      `${RESOURCE}client/\${iot:Certificate.SerialNumber}"`,
      { caveats: CERT_CAVEATS },
    ),
    certVariable(
      'iot:Certificate.AvailableKeys',
      'The names of all certificate variables that have values in this certificate.',
      '"ForAllValues:StringLike": {"iot:Certificate.AvailableKeys": ["iot:Certificate.Subject.*"]}',
      { valueType: 'list', caveats: CERT_CAVEATS },
    ),
    certVariable(
      'iot:CertificateId',
      'The `certificateId` of the authenticating certificate, as returned by `RegisterCertificate` or `DescribeCertificate`.',
      `${RESOURCE}topic/\${iot:CertificateId}"`,
      { docsUrl: IOT_DOCS.certificateExamples },
    ),
  );
  return out;
}

const CLIENT_ID_CAVEATS = [
  'Nothing validates the client ID: a client may connect as `+` or `#`, and then `topicfilter/my/${iot:ClientId}/topic` lets it subscribe to `my/+/topic`. Always restrict `iot:Connect` to known client IDs.',
  'Using `${iot:ClientId}` in the `iot:Connect` resource is not recommended: `client/${iot:ClientId}` is equivalent to `client/*` unless `iot:Connection.Thing.IsAttached` is required (Device Defender).',
];

export const POLICY_VARIABLES: readonly VariableInfo[] = [
  basicVariable('For MQTT and MQTT over WebSocket connections (the client ID of the CONNECT).')(
    'iot:ClientId', 'The MQTT client ID the client connected with.', `${RESOURCE}topic/my/topic/\${iot:ClientId}"`, { caveats: CLIENT_ID_CAVEATS },
  ),
  basicVariable('For every request.')(
    'aws:SourceIp', 'The IP address of the client connected to the message broker.', '"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}', { valueType: 'ip' },
  ),
  basicVariable('For connections to the message broker. Documented by current AWS docs only.')(
    'iot:DomainName', 'The domain name the client connected to (for example a custom domain configuration).', '"StringEquals": {"iot:DomainName": "iot.example.com"}',
  ),
  thingVariable(
    'iot:Connection.Thing.ThingName', 'The name of the registry thing for which the policy is evaluated.',
    `${RESOURCE}client/\${iot:Connection.Thing.ThingName}"`,
  ),
  thingVariable('iot:Connection.Thing.ThingTypeName', 'The thing type of the connected thing.', '"StringEquals": {"iot:Connection.Thing.ThingTypeName": "Lightbulb"}'),
  thingVariable(
    'iot:Connection.Thing.Attributes[attributeName]',
    'The value of the named attribute of the connected thing (a thing has up to 50 attributes with a thing type, 3 without).',
    `${RESOURCE}topic/\${iot:Connection.Thing.Attributes[building]}/*"`,
    { template: 'attribute', caveats: [...THING_CAVEATS, 'Note the square brackets: `Attributes[name]`. Attribute names match `[a-zA-Z0-9_.,@/:#-]+`.'] },
  ),
  thingVariable(
    'iot:Connection.Thing.IsAttached', '`true` when the connecting thing is attached to the certificate or Cognito identity, else `false`.',
    '"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}',
    { allowedIn: ['condition-value'], valueType: 'bool', caveats: ['Used as a condition key to refuse certificates that are not attached to a registry thing.'] },
  ),
  ...certVariables(),
  variable('cognito', { availability: 'For clients authenticated with an Amazon Cognito identity (MQTT over WebSocket or HTTPS with SigV4).', docsUrl: IOT_DOCS.pubSub })(
    'cognito-identity.amazonaws.com:sub', 'The Amazon Cognito identity ID of the caller.', `${RESOURCE}client/\${cognito-identity.amazonaws.com:sub}"`,
    { caveats: ['An IAM web-identity key: AWS docs use it in the identity pool role policy, which for authenticated identities must also allow the request.'] },
  ),
  escapeVariable('*', 'A literal `*` character (the escape for the wildcard).', `${RESOURCE}topic/literal/\${*}"`, {
    caveats: ['The IoT docs write the escapes as `$(*)`, `$(?)` and `$($)`: that is a typo; IAM defines `${*}`, `${?}` and `${$}`.'],
  }),
  escapeVariable('?', 'A literal `?` character (the escape for the one-character wildcard).', `${RESOURCE}topic/literal/\${?}"`),
  escapeVariable('$', 'A literal `$` character.', `${RESOURCE}topic/\${$}{literal}"`),
];

/** Variables seen in the wild that AWS does not document, with the documented name to use. */
export const UNDOCUMENTED_VARIABLES: ReadonlyMap<string, { suggestion: string; why: string }> = new Map([
  ['iot:Thing.ThingName', {
    suggestion: 'iot:Connection.Thing.ThingName',
    why: 'It appears in some AWS pub/sub examples and as an MQTT 5 message-enrichment attribute, but it is not in the documented policy-variable lists.',
  }],
  ['iot:Thing.ThingTypeName', { suggestion: 'iot:Connection.Thing.ThingTypeName', why: 'It is not in the documented policy-variable lists.' }],
  ['iot:ThingName', { suggestion: 'iot:Connection.Thing.ThingName', why: 'It is not in the documented policy-variable lists.' }],
]);

/** Variables that only work in IAM policies (never substituted in an IoT policy). */
export const IAM_ONLY_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['credentials-iot:ThingName', 'It is added by the credentials provider to the temporary credentials and works only in the IAM policy of the role behind a role alias. In an IoT policy use `iot:Connection.Thing.ThingName`.'],
  ['credentials-iot:ThingTypeName', 'It works only in the IAM policy of the role behind a role alias. In an IoT policy use `iot:Connection.Thing.ThingTypeName`.'],
  ['credentials-iot:AwsCertificateId', 'It works only in the IAM policy of the role behind a role alias. In an IoT policy use `iot:CertificateId`.'],
  ['aws:username', 'IAM user names do not exist for IoT clients.'],
  ['aws:userid', 'IAM principal IDs do not exist for IoT clients.'],
  ['aws:PrincipalAccount', 'It is an IAM global condition key that IoT policies do not document.'],
  ['aws:PrincipalArn', 'It is an IAM global condition key that IoT policies do not document.'],
  ['aws:PrincipalType', 'It is an IAM global condition key that IoT policies do not document.'],
  ['aws:CurrentTime', 'It is an IAM global condition key that IoT policies do not document.'],
  ['aws:EpochTime', 'It is an IAM global condition key that IoT policies do not document.'],
  ['aws:SecureTransport', 'It is an IAM global condition key that IoT policies do not document.'],
]);
const IAM_ONLY_PREFIXES = ['credentials-iot:', 'aws:PrincipalTag/', 'aws:RequestTag/', 'aws:ResourceTag/', 'sts:', 'saml:', 'ec2:'];

const BY_NAME = new Map(POLICY_VARIABLES.filter((v) => !v.template).map((v) => [v.name, v]));
const BY_LOWER = new Map(POLICY_VARIABLES.filter((v) => !v.template).map((v) => [v.name.toLowerCase(), v]));
const ATTRIBUTE_VAR = POLICY_VARIABLES.find((v) => v.template === 'attribute')!;
export const ATTRIBUTE_PREFIX = 'iot:Connection.Thing.Attributes[';
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]+$/;

export interface VariableMatch {
  info: VariableInfo;
  /** `.N` or `.List` form of a multi-valued certificate variable. */
  form: 'plain' | 'index' | 'list' | 'attribute';
  index?: number;
  attribute?: string;
}

/** Looks a name up exactly (case-sensitive), including `.N`, `.List` and `Attributes[name]` forms. */
/** Is `name` a policy variable (as `lookupVariable` finds one)? Allocates nothing for a plain name. */
export function isPolicyVariable(name: string): boolean {
  return BY_NAME.has(name) || lookupVariable(name) !== undefined;
}

export function lookupVariable(name: string): VariableMatch | undefined {
  const direct = BY_NAME.get(name);
  if (direct) return { info: direct, form: 'plain' };
  if (name.startsWith(ATTRIBUTE_PREFIX) && name.endsWith(']')) {
    const attr = name.slice(ATTRIBUTE_PREFIX.length, -1);
    if (ATTRIBUTE_NAME.test(attr)) return { info: ATTRIBUTE_VAR, form: 'attribute', attribute: attr };
    return undefined;
  }
  const m = /^(.*)\.(List|\d{1,2})$/.exec(name);
  if (m) {
    const base = BY_NAME.get(m[1]);
    if (base?.multiValued) return m[2] === 'List' ? { info: base, form: 'list' } : { info: base, form: 'index', index: Number(m[2]) };
  }
  return undefined;
}

/** Same as lookupVariable but ignoring case; gives the correctly cased name. */
export function lookupVariableIgnoreCase(name: string): { match: VariableMatch; canonical: string } | undefined {
  const lower = name.toLowerCase();
  const direct = BY_LOWER.get(lower);
  if (direct) return { match: { info: direct, form: 'plain' }, canonical: direct.name };
  const attrLower = ATTRIBUTE_PREFIX.toLowerCase();
  if (lower.startsWith(attrLower) && name.endsWith(']')) {
    const attr = name.slice(ATTRIBUTE_PREFIX.length, -1);
    // Attribute names are case-sensitive; only the prefix is compared without case.
    if (ATTRIBUTE_NAME.test(attr)) return { match: { info: ATTRIBUTE_VAR, form: 'attribute', attribute: attr }, canonical: `${ATTRIBUTE_PREFIX}${attr}]` };
  }
  const m = /^(.*)\.(list|\d{1,2})$/i.exec(name);
  if (m) {
    const base = BY_LOWER.get(m[1].toLowerCase());
    if (base?.multiValued) {
      const isList = m[2].toLowerCase() === 'list';
      return { match: isList ? { info: base, form: 'list' } : { info: base, form: 'index', index: Number(m[2]) }, canonical: `${base.name}.${isList ? 'List' : m[2]}` };
    }
  }
  return undefined;
}

export function iamOnlyVariable(name: string): string | undefined {
  const exact = IAM_ONLY_VARIABLES.get(name);
  if (exact) return exact;
  for (const [k, why] of IAM_ONLY_VARIABLES) if (k.toLowerCase() === name.toLowerCase()) return why;
  const p = IAM_ONLY_PREFIXES.find((pre) => name.toLowerCase().startsWith(pre.toLowerCase()));
  if (p) return `Variables and keys starting with \`${p}\` work only in IAM policies.`;
  return undefined;
}

/** All names a user may type after `${`, for completion and did-you-mean. */
export function variableNamesForSuggestions(): string[] {
  const out: string[] = [];
  for (const v of POLICY_VARIABLES) {
    if (v.category === 'escape') continue;
    out.push(v.template === 'attribute' ? `${ATTRIBUTE_PREFIX}attributeName]` : v.name);
  }
  return out;
}

export const THING_VARIABLE_PREFIX = 'iot:Connection.Thing.';
/** The reference that scopes a resource to the connected thing, as written in a policy. */
export const THING_NAME_REF = '${iot:Connection.Thing.ThingName}';
export function isThingVariable(name: string): boolean {
  return name.startsWith(THING_VARIABLE_PREFIX);
}

/** A `${...}` that belongs to a template or deployment tool, not to the IoT policy language. */
export interface TemplateSubstitution {
  tool: string;
  /** What the tool does with it, for messages. */
  note: string;
}

const TERRAFORM_PREFIXES = ['var.', 'local.', 'data.', 'module.', 'each.', 'count.', 'path.', 'terraform.', 'self.'];
const SERVERLESS_PREFIXES = ['self:', 'opt:', 'env:', 'sls:', 'ssm:', 'cf:', 's3:', 'file(', 'param:'];

/**
 * Recognises `${...}` written for a template engine: CloudFormation (`${AWS::Region}`, `Fn::Sub`'s
 * `${!Literal}` escape), Terraform (`${var.x}`, `${data...}`, `${local...}`, resource references,
 * function calls), the Serverless Framework (`${self:...}`, `${env:...}`), CDK tokens, GitHub
 * Actions expressions and shell/envsubst variables (`${AWS_REGION}`). Undefined for anything else.
 */
export function templateSubstitution(name: string): TemplateSubstitution | undefined {
  const n = name.trim();
  if (n.startsWith('!')) {
    return { tool: 'CloudFormation', note: `\`\${!...}\` is the \`Fn::Sub\` escape for a literal \`\${\`, so the rendered policy contains \`\${${n.slice(1)}}\`` };
  }
  if (/^AWS::[A-Za-z]+$/.test(n)) return { tool: 'CloudFormation', note: 'it is a CloudFormation pseudo parameter, replaced by `Fn::Sub` when the stack is deployed' };
  if (/^[A-Za-z][A-Za-z0-9]*\.(Arn|Name|Id)$/.test(n)) return { tool: 'CloudFormation', note: 'it looks like a `Fn::Sub` attribute reference, replaced when the stack is deployed' };
  if (TERRAFORM_PREFIXES.some((p) => n.startsWith(p)) || /^aws_[a-z0-9_]+\./.test(n) || /^[a-z_][a-z0-9_]*\(/.test(n)) {
    return { tool: 'Terraform', note: 'it is a Terraform interpolation, replaced before the policy reaches AWS' };
  }
  if (SERVERLESS_PREFIXES.some((p) => n.startsWith(p))) return { tool: 'the Serverless Framework', note: 'it is a Serverless Framework variable, resolved at deploy time' };
  if (/^Token\[/.test(n)) return { tool: 'the AWS CDK', note: 'it is an unresolved AWS CDK token' };
  if (n.startsWith('{')) return { tool: 'GitHub Actions', note: 'it is a GitHub Actions expression' };
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(n) || /^[A-Za-z_$][\w$.]*\(.*\)$/.test(n)) {
    return { tool: 'JavaScript or TypeScript code', note: 'it looks like a JavaScript template-literal expression, so the policy is built in code (e.g. with the AWS CDK)' };
  }
  if (/^[A-Z][A-Z0-9_]*$/.test(n) && n.length > 1) return { tool: 'a shell or envsubst', note: 'it looks like an environment variable that a script substitutes' };
  return undefined;
}
