/**
 * `condition-value-type`: a condition value the operator cannot take (Bool/Null need true/false,
 * IpAddress an IP or CIDR, Numeric numbers, Date dates, Arn ARNs, Binary base-64), a value outside
 * a key's documented set (`iot:ConnectAttributes`), or an operator that does not fit its key.
 *
 * A value a template leaves unknown before deploy (an opaque node, a string with opaque ranges)
 * is never checked: it could be anything.
 */
import {
  lookupConditionKey, operatorFitsKey, parseOperatorCached, validateConditionValue, type ConditionKeyInfo, type ParsedOperator,
} from '../../catalog/conditions';
import { contentSpan, keyContentSpan } from '../../analysis/spans';
import { isBroken } from '../../analysis/syntax';
import type { ConditionKeyEntry, ConditionOperatorEntry, ConditionValue, PolicyModel } from '../../policy/model';
import { nearest } from '../../text/distance';
import type { Span } from '../../text/span';
import { defineRule, type RuleContext } from '../rule';
import { codeQuotes, hasVariable, operatorEntries, type ConditionSuggestionData } from './walk';

type Base = NonNullable<ParsedOperator['base']>;
type ValueType = ConditionKeyInfo['valueType'];

/** `operator`: as written; `key`: as written; `text`: the value; `problem`: the catalogue's (names in `"`). */
interface Args {
  operatorKey: { operator: string; base: Base; key: string; valueType: ValueType };
  /** A Numeric or Date operator on a key AWS documents as a string (a thing attribute): undocumented, not wrong. */
  stringKeyCompared: { operator: string; base: 'Numeric' | 'Date'; key: string };
  boolCase: { operator: string; key: string; text: string };
  bool: { operator: string; key: string; text: string };
  null: { key: string; text: string };
  ipPrefixLength: { text: string };
  ip: { operator: string; text: string; problem: string };
  numeric: { operator: string; text: string };
  date: { operator: string; text: string };
  arn: { operator: string; problem: string };
  binary: { operator: string; problem: string };
  /** A value outside the key's documented set; `caseOnly`: it is in the set when case is ignored. */
  unknownValue: { text: string; key: string; values: readonly string[]; caseOnly: boolean; suggestion?: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const NATURAL_OPERATOR: Record<ValueType, string> = {
  string: 'StringEquals', bool: 'Bool', ip: 'IpAddress', arn: 'ArnEquals', numeric: 'NumericEquals', date: 'DateEquals', binary: 'BinaryEquals',
};

const BASES: Record<Base, string> = {
  String: 'strings', Numeric: 'numbers', Date: 'dates', Bool: 'booleans', Binary: 'base-64 binary values', IpAddress: 'IP addresses', Arn: 'ARNs', Null: 'values',
};

const TYPES: Record<ValueType, string> = {
  string: 'a string', bool: 'a boolean', ip: 'an IP address', arn: 'an ARN', numeric: 'a number', date: 'a date', binary: 'binary',
};

function code(values: readonly string[]): string {
  return values.map((x) => `\`${x}\``).join(' and ');
}

const messages: Messages = {
  operatorKey: (a) => {
    const natural = NATURAL_OPERATOR[a.valueType];
    const family = natural.replace(/Equals$/, '');
    return `\`${a.operator}\` compares ${BASES[a.base]}, but \`${a.key}\` is ${TYPES[a.valueType]}, so this condition never matches as intended. Use \`${natural}\` (or another ${family} operator).`;
  },
  stringKeyCompared: (a) =>
    `\`${a.operator}\` compares ${BASES[a.base]}, but AWS documents \`${a.key}\` as a string and does not say whether AWS IoT compares its value as ${a.base === 'Numeric' ? 'a number' : 'a date'}. Prefer a String operator (\`StringEquals\`, \`StringLike\`), or test this condition in AWS before relying on it.`,
  boolCase: (a) =>
    `\`${a.operator}\` takes \`"true"\` or \`"false"\`, as AWS writes them in lower case; AWS does not document whether \`${a.text}\` matches too. Write \`"${a.text.toLowerCase()}"\`.`,
  bool: (a) => `\`${a.operator}\` takes \`"true"\` or \`"false"\`, but the value for \`${a.key}\` is \`${a.text}\`, which never matches. Write \`"true"\` or \`"false"\`.`,
  null: (a) => `\`Null\` takes \`"true"\` (the key must be absent) or \`"false"\` (the key must be present), but the value for \`${a.key}\` is \`${a.text}\`. Any other value never matches.`,
  ipPrefixLength: (a) => {
    const range = a.text.includes(':') ? '128 for IPv6 (0–32 for IPv4)' : '32 for IPv4 (0–128 for IPv6)';
    return `\`${a.text}\`: the prefix length must be 0–${range}. AWS rejects or never matches this value.`;
  },
  ip: (a) => {
    const p = codeQuotes(a.problem);
    const why = p.startsWith(`\`${a.text}\` `) ? p.slice(a.text.length + 3) : p;
    const what = why.startsWith('is ') || why.startsWith('has ') ? why : `is not an IP address or CIDR block: ${why}`;
    return `\`${a.text}\` ${what}. \`${a.operator}\` takes an IPv4 or IPv6 address or CIDR block such as \`203.0.113.0/24\`; AWS rejects or never matches this value.`;
  },
  numeric: (a) => `\`${a.operator}\` takes a number, but \`${a.text}\` is not one; the comparison never matches. Numeric operators cannot use wildcards or policy variables.`,
  date: (a) => `\`${a.operator}\` takes a date (ISO 8601 such as \`2026-01-31T12:00:00Z\`, or epoch seconds), but \`${a.text}\` is not one; the comparison never matches.`,
  arn: (a) => `\`${a.operator}\` takes an ARN (\`arn:aws:iot:<region>:<account-id>:topic/...\`), but ${codeQuotes(a.problem)}; the comparison never matches. For plain strings use \`StringEquals\` or \`StringLike\`.`,
  binary: (a) => `\`${a.operator}\` takes a base-64 encoded value, but ${codeQuotes(a.problem)}.`,
  unknownValue: (a) => {
    const didYouMean = a.suggestion ? ` Did you mean \`${a.suggestion}\`?` : '';
    return `\`${a.text}\` is not a value of \`${a.key}\`: AWS sets only ${code(a.values)}${a.caseOnly ? ' (values are case-sensitive)' : ''}, so this value never matches.${didYouMean}`;
  },
};

type Report = Parameters<RuleContext<ConditionSuggestionData, Messages>['report']>[0];

/** The report for a value the operator's base type rejects (`problem`: the catalogue's reason). */
function valueReport(base: Base, text: string, problem: string, operator: string, key: string): Pick<Report, 'messageId' | 'args'> | undefined {
  switch (base) {
    case 'Bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? { messageId: 'boolCase', args: { operator, key, text } } : { messageId: 'bool', args: { operator, key, text } };
    }
    case 'Null': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? { messageId: 'boolCase', args: { operator, key, text } } : { messageId: 'null', args: { key, text } };
    }
    case 'IpAddress': return /prefix length/i.test(problem) ? { messageId: 'ipPrefixLength', args: { text } } : { messageId: 'ip', args: { operator, text, problem } };
    case 'Numeric': return { messageId: 'numeric', args: { operator, text } };
    case 'Date': return { messageId: 'date', args: { operator, text } };
    case 'Arn': return { messageId: 'arn', args: { operator, problem } };
    case 'Binary': return { messageId: 'binary', args: { operator, problem } };
    case 'String': return undefined;
  }
}

function valueSpan(v: ConditionValue): Span {
  return v.str ? contentSpan(v.str) : { offset: v.node.offset, length: v.node.length };
}

/** The value as text, for the values an operator compares; undefined for others and for template values. */
function valueText(model: PolicyModel, v: ConditionValue): string | undefined {
  if (v.node && isBroken(model, v.node)) return undefined;
  if (v.kind === 'string') return v.str?.opaque.length ? undefined : v.str?.value ?? String(v.node.value);
  if (v.kind === 'boolean' || v.kind === 'number') return String(v.node.value);
  return undefined; // objects, arrays, null: invalid-value-type; opaque: could be anything
}

function checkValues(ctx: RuleContext<ConditionSuggestionData, Messages>, op: ConditionOperatorEntry, key: ConditionKeyEntry, p: ParsedOperator, keyInfo: ConditionKeyInfo | undefined): void {
  const base = p.base!;
  for (const v of key.values) {
    const text = valueText(ctx.model, v);
    if (text === undefined) continue;
    if (v.kind === 'string' && hasVariable(text)) continue; // substituted at run time, or policy-variable-not-allowed-here
    const problem = validateConditionValue(base, text);
    if (problem) {
      const report = valueReport(base, text, problem, op.operator, key.key);
      if (!report) continue;
      const lower = text.toLowerCase();
      const suggestions = base !== 'Bool' && base !== 'Null' ? [] : lower === 'true' || lower === 'false' ? [lower] : ['true', 'false'];
      // `True`: undocumented rather than wrong (the evaluator compares without case, and notes it).
      const severity = report.messageId === 'boolCase' ? { severity: 'warning' as const } : {};
      ctx.report({ ...report, ...severity, span: valueSpan(v), data: { suggestions } } as Report);
      continue;
    }
    // A documented closed set of values (iot:ConnectAttributes): a value outside it never occurs.
    const values = keyInfo?.values;
    if (!values || base !== 'String' || p.operator?.wildcards || v.kind !== 'string' || text === '' || values.includes(text)) continue;
    const ignoreCase = !!p.operator?.ignoreCase;
    if (ignoreCase && values.some((x) => x.toLowerCase() === text.toLowerCase())) continue;
    const ci = ignoreCase ? undefined : values.find((x) => x.toLowerCase() === text.toLowerCase());
    const suggestions = ci ? [ci] : nearest(text, values);
    ctx.report({
      messageId: 'unknownValue',
      args: { text, key: keyInfo.name, values, caseOnly: !!ci, suggestion: suggestions[0] },
      span: valueSpan(v),
      severity: 'warning',
      data: { suggestions },
    });
  }
}

export const conditionValueType = defineRule<ConditionSuggestionData, Messages>({
  meta: {
    id: 'condition-value-type', scope: 'statement',
    defaultSeverity: 'error',
    category: 'conditions',
    description: 'A condition value the operator cannot take (Bool/Null need true/false, IpAddress an IP or CIDR, Numeric numbers, Date dates, Arn ARNs), or an operator that does not fit the key.',
  },
  messages,
  check(ctx) {
    for (const op of operatorEntries(ctx.model)) {
      if (hasVariable(op.operator)) continue;
      const p = parseOperatorCached(op.operator);
      if (!p.valid || !p.operator || !p.base) continue;
      for (const key of op.keys) {
        const keyInfo = hasVariable(key.key) ? undefined : lookupConditionKey(key.key);
        if (keyInfo && operatorFitsKey(p.base, keyInfo.info.valueType) === 'mismatch') {
          const valueType = keyInfo.info.valueType;
          if (valueType === 'string' && (p.base === 'Numeric' || p.base === 'Date')) {
            // Undocumented rather than wrong: the evaluator compares the values and notes the same doubt.
            ctx.report({
              messageId: 'stringKeyCompared', args: { operator: op.operator, base: p.base, key: keyInfo.canonical },
              span: keyContentSpan(op.prop), severity: 'warning', data: { suggestions: [] },
            });
            // Its values are still checked: `ten` is no number, whatever AWS does with the key.
            checkValues(ctx, op, key, p, keyInfo.info);
            continue;
          }
          // No suggestions: changing the operator alone leaves the values to fix by hand.
          ctx.report({
            messageId: 'operatorKey',
            args: { operator: op.operator, base: p.base, key: keyInfo.canonical, valueType },
            span: keyContentSpan(op.prop),
            data: { suggestions: [] },
            related: [{ span: keyContentSpan(key.prop), message: `\`${keyInfo.canonical}\` is ${TYPES[valueType]}` }],
          });
          continue;
        }
        checkValues(ctx, op, key, p, keyInfo?.info);
      }
    }
  },
});
