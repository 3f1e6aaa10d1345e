/**
 * Policies and runs of edits as a user makes them, for the property tests of incremental work:
 * a character typed or deleted anywhere (which often breaks the JSON for a while), a statement
 * added, removed, duplicated or moved, a value changed, the Version switched.
 */
import fc from 'fast-check';

export const A = 'arn:aws:iot:eu-west-1:493812760155';

/** Values that the rules have something to say about, and values they accept. */
const action = fc.constantFrom(
  'iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:RetainPublish', 'iot:GetThingShadow', 'iot:UpdateThingShadow',
  'iot:*', '*', 'iot:Publsh', 'IOT:publish', 'iot:DescribeJobExecution', 'iotjobsdata:DescribeJobExecution', 's3:GetObject', 'greengrass:Discover',
  'iot:AssumeRoleWithCertificate', 'iot:Publish ',
);
const resource = fc.constantFrom(
  `${A}:client/\${iot:Connection.Thing.ThingName}`, `${A}:client/\${iot:ClientId}`, `${A}:client/*`, `${A}:topic/a/b`, `${A}:topic/a/+/b`,
  `${A}:topicfilter/a/#`, `${A}:topicfilter/a/\${iot:ClientId}/+`, `${A}:topic/a/\${iot:ClientId}/*`, `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/update`,
  `${A}:thing/\${iot:Connection.Thing.ThingName}`, `${A}:thing/*`, `${A}:topic/\${iot:clientid}`, `${A}:topic/\${iot:Unknown}`, `${A}:topic/\${AWS::Region}`,
  `${A}:topic/\${aws:username}`, `${A}:topic/building 5/temp`, `${A}:topics/a`, 'arn:aws:iot:REGION:ACCOUNT:topic/x', '*', `${A}:rolealias/edge`, `${A}:topic/a/\${iot:ClientId`,
  'arn:aws:s3:::bucket/*', `${A}:topic/$(*)`,
);
const conditionKey = fc.constantFrom('iot:Connection.Thing.IsAttached', 'iot:ClientId', 'iot:Connection.Thing.Attributes[batch]', 'aws:SourceIp', 'iot:Bogus', 'iot:connection.thing.isattached');
const operator = fc.constantFrom('Bool', 'StringEquals', 'StringLike', 'NumericLessThan', 'IpAddress', 'StringEqual', 'ForAnyValue:StringLike', 'ArnEquals');
const conditionValue = fc.constantFrom<unknown>('true', 'a-*', '5', 10, true, '${iot:ClientId}', '10.0.0.0/8', ['a', 'b'], null);

const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 4 }));

const statement = fc.record(
  {
    Sid: fc.constantFrom('One', 'Two', '${iot:ClientId}'),
    Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny', 'allow', 'Permit'),
    Action: list(action),
    NotAction: list(action),
    Resource: list(resource),
    NotResource: list(resource),
    Condition: fc.dictionary(operator, fc.dictionary(conditionKey, fc.oneof(conditionValue, fc.array(conditionValue, { maxLength: 3 })), { minKeys: 1, maxKeys: 2 }), { minKeys: 1, maxKeys: 2 }),
    Principal: fc.constant('*'),
    Actions: list(action),
  },
  { requiredKeys: [] },
).map((st) => {
  // Mostly statements with the usual three elements, sometimes without or with both forms.
  const out: Record<string, unknown> = { ...st };
  if (!('Action' in out) && !('NotAction' in out)) out.Action = 'iot:Publish';
  if (!('Resource' in out) && !('NotResource' in out)) out.Resource = `${A}:topic/x`;
  if (!('Effect' in out)) out.Effect = 'Allow';
  return out;
});

/** Policy text: pretty or compact, with a duplicated key now and then. */
export function render(version: string | undefined, statements: Record<string, unknown>[], compact: boolean, duplicateKey: boolean): string {
  const policy: Record<string, unknown> = {};
  if (version !== undefined) policy.Version = version;
  policy.Statement = statements;
  let text = compact ? JSON.stringify(policy) : JSON.stringify(policy, null, 2);
  if (duplicateKey) text = text.replace('"Effect":', '"Effect": "Allow", "Effect":');
  return text;
}

export type Edit =
  | { kind: 'type'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'statements'; op: 'add' | 'remove' | 'duplicate' | 'move'; at: number; statement: Record<string, unknown> }
  | { kind: 'version'; version: string | undefined };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type' as const), at: fc.nat(), text: fc.constantFrom('a', '1', '"', ',', '}', '{', ' ', '\n', '*', '$', '${', 'x"', '/', '\\/', '\\u0024{') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('statements' as const), op: fc.constantFrom('add' as const, 'remove' as const, 'duplicate' as const, 'move' as const), at: fc.nat(), statement }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('version' as const), version: fc.constantFrom<string | undefined>('2012-10-17', '2008-10-17', undefined) }) },
);

export interface State {
  version: string | undefined;
  statements: Record<string, unknown>[];
  compact: boolean;
  duplicateKey: boolean;
  /** Set once a character edit made the text something `render` cannot make again. */
  text?: string;
}

export function apply(s: State, e: Edit): State {
  const text = s.text ?? render(s.version, s.statements, s.compact, s.duplicateKey);
  switch (e.kind) {
    case 'type': {
      const at = e.at % (text.length + 1);
      return { ...s, text: text.slice(0, at) + e.text + text.slice(at) };
    }
    case 'delete': {
      const at = e.at % (text.length + 1);
      return { ...s, text: text.slice(0, at) + text.slice(at + e.length) };
    }
    case 'version':
      return { ...s, version: e.version, text: undefined };
    case 'statements': {
      const sts = [...s.statements];
      const at = sts.length ? e.at % sts.length : 0;
      if (e.op === 'add') sts.splice(at, 0, e.statement);
      else if (e.op === 'remove' && sts.length > 1) sts.splice(at, 1);
      else if (e.op === 'duplicate' && sts.length) sts.splice(at, 0, sts[at]);
      else if (e.op === 'move' && sts.length > 1) sts.push(...sts.splice(at, 1));
      // A statement edit starts again from a well-formed text (as an undo would).
      return { ...s, statements: sts, text: undefined };
    }
  }
}

/** A policy and a run of edits; `config` picks one of the caller's configurations. */
export function scenario(configs: number) {
  return fc.record({
    version: fc.constantFrom<string | undefined>('2012-10-17', '2012-10-17', '2008-10-17', undefined),
    statements: fc.array(statement, { minLength: 1, maxLength: 12 }),
    compact: fc.boolean(),
    duplicateKey: fc.boolean(),
    edits: fc.array(edit, { minLength: 1, maxLength: 12 }),
    config: fc.nat(configs - 1),
  });
}
