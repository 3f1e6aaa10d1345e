import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  allOperatorSpellings,
  CONDITION_OPERATORS,
  iamOnlyConditionKey,
  lookupConditionKey,
  operatorFitsKey,
  parseDateValue,
  parseOperator,
  validateConditionValue,
} from '../../server/src/service/catalog/conditions';
import { cidrContains, parseCidr, parseIp } from '../../server/src/service/catalog/ip';

describe('condition operator catalogue', () => {
  it('has every IAM operator once, with docs', () => {
    const names = CONDITION_OPERATORS.map((o) => o.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(names.length, 27);
    for (const o of CONDITION_OPERATORS) {
      assert.ok(o.description.length > 10 && o.docsUrl.startsWith('https://'), o.name);
    }
    // 26 operators take IfExists, Null does not; times three prefix forms.
    assert.equal(allOperatorSpellings().length, 3 * (27 + 26));
  });
});

describe('parseOperator', () => {
  it('parses plain, IfExists and set-prefixed operators', () => {
    assert.deepEqual(
      (({ base, setPrefix, ifExists, valid }) => ({ base, setPrefix, ifExists, valid }))(parseOperator('ForAllValues:StringNotEqualsIfExists')),
      { base: 'String', setPrefix: 'ForAllValues', ifExists: true, valid: true },
    );
    const p = parseOperator('IpAddress');
    assert.equal(p.valid, true);
    assert.equal(p.base, 'IpAddress');
    assert.equal(p.setPrefix, undefined);
    assert.equal(p.ifExists, false);
    assert.equal(parseOperator('ForAnyValue:StringLike').setPrefix, 'ForAnyValue');
    assert.equal(parseOperator('NotIpAddressIfExists').operator?.negated, true);
  });
  it('is case-sensitive and suggests the nearest spelling', () => {
    const p = parseOperator('stringequals');
    assert.equal(p.valid, false);
    assert.equal(p.suggestion, 'StringEquals');
    assert.equal(parseOperator('StringEqual').suggestion, 'StringEquals');
    assert.equal(parseOperator('StringLikeIfExist').suggestion, 'StringLikeIfExists');
    assert.equal(parseOperator('ForAnyValues:StringEquals').suggestion, 'ForAnyValue:StringEquals');
    assert.equal(parseOperator('ForAllValue:StringEquals').suggestion, 'ForAllValues:StringEquals');
    assert.equal(parseOperator('IPAddress').suggestion, 'IpAddress');
    assert.equal(parseOperator('Boolean').suggestion, 'Bool');
    assert.equal(parseOperator('CompletelyDifferentThing').suggestion, undefined);
  });
  it('refuses NullIfExists and an empty operator', () => {
    const n = parseOperator('NullIfExists');
    assert.equal(n.valid, false);
    assert.equal(n.suggestion, 'Null');
    assert.equal(parseOperator('ForAnyValue:').valid, false);
    assert.equal(parseOperator('').valid, false);
    assert.equal(parseOperator('IfExists').valid, false);
  });
});

describe('condition keys', () => {
  it('knows the IoT keys and their types', () => {
    assert.equal(lookupConditionKey('aws:SourceIp')?.info.valueType, 'ip');
    assert.equal(lookupConditionKey('iot:Connection.Thing.IsAttached')?.info.valueType, 'bool');
    assert.equal(lookupConditionKey('iot:LastWillTopic')?.info.valueType, 'arn');
    const ca = lookupConditionKey('iot:ConnectAttributes')!;
    assert.equal(ca.info.multiValued, true);
    assert.deepEqual(ca.info.values, ['PersistentConnect', 'LastWill']);
    assert.equal(lookupConditionKey('iot:ClientId')?.info.valueType, 'string');
    assert.equal(lookupConditionKey('iot:DomainName')?.info.valueType, 'string');
    assert.equal(lookupConditionKey('iot:Connection.Thing.ThingTypeName')?.caseDiffers, false);
  });
  it('handles attributes and certificate variables', () => {
    const a = lookupConditionKey('iot:Connection.Thing.Attributes[building]')!;
    assert.equal(a.canonical, 'iot:Connection.Thing.Attributes[building]');
    assert.equal(a.info.valueType, 'string');
    assert.equal(lookupConditionKey('iot:Connection.Thing.Attributes[]'), undefined);
    assert.equal(lookupConditionKey('iot:Certificate.Subject.CommonName')?.info.multiValued, false);
    assert.equal(lookupConditionKey('iot:Certificate.Subject.CommonName.List')?.info.multiValued, true);
    assert.equal(lookupConditionKey('iot:Certificate.Subject.CommonName.2')?.info.multiValued, false);
    assert.equal(lookupConditionKey('iot:Certificate.SerialNumber')?.info.valueType, 'string');
    assert.equal(lookupConditionKey('iot:CertificateId')?.info.valueType, 'string');
    assert.equal(lookupConditionKey('iot:Certificate.Subject.Nickname'), undefined);
  });
  it('matches without case but says so', () => {
    const m = lookupConditionKey('aws:sourceip')!;
    assert.equal(m.canonical, 'aws:SourceIp');
    assert.equal(m.caseDiffers, true);
    const c = lookupConditionKey('iot:certificate.subject.commonname.list')!;
    assert.equal(c.canonical, 'iot:Certificate.Subject.CommonName.List');
    assert.equal(c.caseDiffers, true);
  });
  it('explains IAM-only keys', () => {
    for (const k of ['aws:RequestTag/env', 'aws:ResourceTag/owner', 'aws:TagKeys', 'iot:ClientMode', 'iot:Delete', 'iot:ThingGroupArn',
      'iot:TunnelDestinationService', 'iot:thingArn', 'iot:Topic', 'iot:IncludeSocketInformation', 'iot:CommandExecutionParameterString/mode',
      'iot:CommandExecutionParameterNumber/x', 'iot:CommandExecutionParameterBoolean/y', 'iot:JobId', 'credentials-iot:ThingName', 'credentials-iot:Other']) {
      assert.ok(iamOnlyConditionKey(k), k);
      assert.equal(lookupConditionKey(k), undefined, k);
    }
    assert.equal(iamOnlyConditionKey('iot:ClientId'), undefined);
    assert.ok(iamOnlyConditionKey('iot:topic'));
  });
  it('operatorFitsKey', () => {
    assert.equal(operatorFitsKey('IpAddress', 'ip'), 'ok');
    assert.equal(operatorFitsKey('Bool', 'bool'), 'ok');
    assert.equal(operatorFitsKey('String', 'bool'), 'loose');
    assert.equal(operatorFitsKey('IpAddress', 'string'), 'mismatch');
    assert.equal(operatorFitsKey('Null', 'ip'), 'ok');
    assert.equal(operatorFitsKey('Arn', 'arn'), 'ok');
  });
});

describe('validateConditionValue', () => {
  it('Bool and Null', () => {
    assert.equal(validateConditionValue('Bool', 'true'), undefined);
    assert.equal(validateConditionValue('Bool', 'false'), undefined);
    assert.match(validateConditionValue('Bool', 'True')!, /lower case/);
    assert.match(validateConditionValue('Bool', 'yes')!, /not a boolean/);
    assert.equal(validateConditionValue('Null', 'false'), undefined);
    assert.ok(validateConditionValue('Null', 'absent'));
  });
  it('IpAddress', () => {
    for (const ok of ['203.0.113.0/24', '203.0.113.7', '0.0.0.0/0', '2001:db8::/32', '::1', '::', '2001:db8::1/128', '::ffff:192.0.2.1', '2001:0db8:0000:0000:0000:ff00:0042:8329']) {
      assert.equal(validateConditionValue('IpAddress', ok), undefined, ok);
    }
    for (const bad of ['203.0.113.0/33', '256.1.1.1', '1.2.3', 'example.com', '2001:db8::/129', '1:2:3:4:5:6:7:8:9', '2001::db8::1', '10.0.0.0/', '']) {
      assert.ok(validateConditionValue('IpAddress', bad), bad);
    }
  });
  it('Numeric, Date, Arn, Binary, String', () => {
    assert.equal(validateConditionValue('Numeric', '-1.5e3'), undefined);
    assert.ok(validateConditionValue('Numeric', '12abc'));
    assert.equal(validateConditionValue('Date', '2026-01-31T12:00:00Z'), undefined);
    assert.equal(validateConditionValue('Date', '2026-01-31'), undefined);
    assert.equal(validateConditionValue('Date', '1767225600'), undefined);
    assert.ok(validateConditionValue('Date', 'yesterday'));
    assert.ok(validateConditionValue('Date', '2026-13-45'));
    assert.equal(validateConditionValue('Arn', 'arn:aws:iot:eu-west-1:493812760155:topic/will'), undefined);
    assert.equal(validateConditionValue('Arn', 'arn:aws:iot:*:*:topic/*'), undefined);
    assert.equal(validateConditionValue('Arn', 'arn:aws:iot:eu-west-1:493812760155:topic/${iot:ClientId}'), undefined);
    assert.ok(validateConditionValue('Arn', 'topic/will'));
    assert.ok(validateConditionValue('Arn', 'arn:aws:iot:eu-west-1'));
    assert.equal(validateConditionValue('Binary', 'QmluYXJ5'), undefined);
    assert.ok(validateConditionValue('Binary', 'not base64!'));
    assert.equal(validateConditionValue('String', 'anything'), undefined);
  });
  it('dates parse to the same instant in both forms', () => {
    assert.equal(parseDateValue('2026-01-01T00:00:00Z'), parseDateValue('1767225600'));
    assert.equal(parseDateValue('2026-01-01T02:00:00+02:00'), parseDateValue('2026-01-01T00:00:00Z'));
    assert.equal(parseDateValue('2026-01-01T02:00:00+0200'), parseDateValue('2026-01-01T00:00:00Z'));
  });
});

describe('ip helpers', () => {
  it('contains', () => {
    assert.equal(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('10.255.0.1')!), true);
    assert.equal(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('11.0.0.1')!), false);
    assert.equal(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:DB8:ffff::1')!), true);
    assert.equal(cidrContains(parseCidr('fe80::/10')!, parseIp('febf::1')!), true);
    assert.equal(cidrContains(parseCidr('fe80::/10')!, parseIp('fec0::1')!), false);
    assert.equal(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('::ffff:10.0.0.1')!), false);
  });
});
