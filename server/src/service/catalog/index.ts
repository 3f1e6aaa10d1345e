/**
 * The IoT policy vocabulary: the single source of truth for rules, hover, completion and docs.
 */
export * from './actions';
export * from './variables';
export * from './arns';
export * from './topics';

export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;
export const CURRENT_VERSION = '2012-10-17';
export const EFFECTS = ['Allow', 'Deny'] as const;

export const VERSION_DOC =
  'The policy language version. `2012-10-17` is current and the only version in which policy variables (`${...}`) are substituted. ' +
  'With `2008-10-17`, or with `Version` missing (AWS then assumes `2008-10-17`), a `${...}` is plain text.';

export const ELEMENT_DOCS: Record<string, string> = {
  Version: VERSION_DOC,
  Statement: 'The statements of the policy: an array of objects (a single object is also accepted). Each has `Effect`, `Action` and `Resource`, and optionally `Condition`.',
  Id: 'An optional identifier for the policy (IAM grammar). AWS IoT examples never use it.',
  Sid: 'An optional statement ID. Permitted by the IAM grammar; AWS IoT examples do not use it, but AWS accepts it.',
  Effect: 'Whether the statement allows or denies: exactly `Allow` or `Deny` (case-sensitive). Everything is denied by default; an explicit `Deny` in any attached policy overrides every `Allow`.',
  Action: 'The actions the statement applies to: `iot:Connect`, `iot:Publish`, `iot:Subscribe`, `iot:Receive`, shadow, job, retained-message, credentials-provider and Greengrass actions. `*` and `?` are wildcards; action names ignore case.',
  NotAction: 'Every action except those listed. Permitted by the IAM grammar but not documented for IoT policies; prefer `Action`.',
  Resource: 'The resources (ARNs) the statement applies to: `client/<clientId>`, `topic/<topic>`, `topicfilter/<filter>`, `thing/<thing>`, `rolealias/<alias>`, or `*`. `*` and `?` are wildcards (`*` spans topic levels); MQTT `+` and `#` are literal characters here.',
  NotResource: 'Every resource except those listed. AWS IoT documents it for `iot:Receive` to exclude a subtree.',
  Condition: 'Conditions under which the statement applies: `{"<operator>": {"<key>": <value or values>}}`, e.g. `{"Bool": {"iot:Connection.Thing.IsAttached": "true"}}`.',
};
