/**
 * Condition rules: operators IAM does not have, keys an IoT policy cannot use, and values the
 * operator cannot take. Built on the condition catalogue (catalog/conditions.ts).
 *
 * Spans: the operator name's content, the key name's content, or the value's content (without
 * quotes; the literal for numbers and booleans). `data.suggestions` replace exactly that span.
 */
import { UNDOCUMENTED_VARIABLES, iamOnlyVariable } from '../catalog';
import { nearest } from '../text/distance';
import {
  OPERATORS_BY_NAME, conditionKeyNamesForSuggestions, iamOnlyConditionKey, lookupConditionKey, operatorFitsKey, parseOperatorCached, validateConditionValue,
  type ConditionKeyInfo, type ParsedOperator,
} from '../catalog/conditions';
import type { ConditionKeyEntry, ConditionOperatorEntry, ConditionValue, Span } from '../policy/model';
import { contentSpan, keyContentSpan } from '../analysis/spans';
import { isBroken } from '../analysis/syntax';
import type { Rule, RuleContext } from './types';

const IAM_CONDITIONS_URL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

let keyNames: string[] | undefined;
function allKeyNames(): string[] {
  keyNames ??= conditionKeyNamesForSuggestions();
  return keyNames;
}

function hasVariable(s: string): boolean {
  return s.includes('${') || s.includes('$(');
}

function* operators(ctx: RuleContext): Generator<[ConditionOperatorEntry, number]> {
  for (const st of ctx.model.statements) for (const op of st.condition?.operators ?? []) yield [op, st.index];
}


function parsed(op: ConditionOperatorEntry): ParsedOperator {
  return parseOperatorCached(op.operator);
}

/** unknown-condition-operator */
function checkOperators(ctx: RuleContext): void {
  for (const [op, statementIndex] of operators(ctx)) {
    if (hasVariable(op.operator)) continue; // policy-variable-not-allowed-here
    const p = parsed(op);
    if (p.valid) continue;
    const problem = codeOperators((p.problem ?? `"${op.operator}" is not a condition operator`).replace(/"([^"]*)"/g, '`$1`'));
    const suggestion = p.suggestion;
    const caseOnly = suggestion !== undefined && suggestion.toLowerCase() === op.operator.toLowerCase();
    ctx.report({
      span: keyContentSpan(op.prop),
      message: caseOnly
        ? `\`${op.operator}\` is not a condition operator: operator names are case-sensitive, and AWS rejects the policy. Write \`${suggestion}\`.`
        : `${capitalize(problem)}, and AWS rejects a policy with an unknown condition operator.${suggestion ? ` Did you mean \`${suggestion}\`?` : ' Use an IAM operator such as `StringEquals`, `StringLike`, `Bool`, `IpAddress`, `ArnEquals` or `Null`.'}`,
      data: { suggestions: suggestion ? [suggestion] : [], statementIndex },
    });
  }
}

/** Puts operator names and operator parts (`IfExists`, `ForAnyValue`) in code format. */
function codeOperators(s: string): string {
  return s.replace(/(`[^`]*`)|\b([A-Z][A-Za-z]+(?::[A-Z][A-Za-z]+)?)\b/g, (m, quoted: string | undefined, word: string | undefined) => {
    if (quoted || !word) return m;
    return OPERATORS_BY_NAME.has(word) || /^(IfExists|ForAnyValue|ForAllValues)$/.test(word) || OPERATORS_BY_NAME.has(word.replace(/^For(Any|All)Values?:/, '')) ? `\`${word}\`` : m;
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** unsupported-condition-key */
function checkKeys(ctx: RuleContext): void {
  for (const [op, statementIndex] of operators(ctx)) {
    for (const key of op.keys) {
      const name = key.key;
      if (hasVariable(name) || name.length === 0) continue;
      if (lookupConditionKey(name)) continue;
      const span = keyContentSpan(key.prop);
      const consequence = 'AWS may never set it for an IoT request, and then this condition is false (true for negated operators such as `StringNotEquals`, and for `...IfExists`)';
      const iam = iamOnlyConditionKey(name) ?? iamOnlyVariable(name);
      if (iam) {
        const alt = /In an IoT policy use `?([A-Za-z0-9:.[\]-]+)`?/.exec(iam)?.[1]?.replace(/\.$/, '');
        // The catalogue's reason already says what the key is (`It is an IAM condition key for ...`): say it once.
        const what = /^It (is|works|belongs) /.test(iam) ? `\`${name}\` ${iam.slice(3).replace(/\.$/, '')}` : `\`${name}\` is not a condition key of AWS IoT policies: ${lowerFirst(iam.replace(/\.$/, ''))}`;
        ctx.report({
          span,
          message: `${what}. ${consequence}.`,
          data: { kind: 'iam-only', suggestions: alt ? [alt] : [], statementIndex },
        });
        continue;
      }
      if (name.startsWith(ATTRIBUTE_KEY) && (name === `${ATTRIBUTE_KEY}]` || !name.endsWith(']'))) {
        const attr = name.slice(ATTRIBUTE_KEY.length).replace(/\]$/, '');
        ctx.report({
          span,
          message: attr
            ? `\`${name}\` is missing the \`]\` after the attribute name, so it names no condition key and the condition is false. Add \`]\`: \`${name}]\`.`
            : `\`${name}\` needs an attribute name between the brackets: \`${ATTRIBUTE_KEY}name]\`, with the name of one of the thing's attributes.`,
          data: { kind: 'unknown', suggestions: attr ? [`${name}]`] : [], statementIndex },
        });
        continue;
      }
      const undocumented = [...UNDOCUMENTED_VARIABLES].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      const suggestions = undocumented ? [undocumented.suggestion] : suggestKey(name);
      ctx.report({
        span,
        message: `\`${name}\` is not a condition key AWS IoT policies support${undocumented ? ' (it is not documented)' : ''}. ${consequence}.${suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ' IoT keys include `iot:ClientId`, `iot:Connection.Thing.*`, `iot:Certificate.*`, `iot:ConnectAttributes`, `iot:LastWillTopic` and `aws:SourceIp`.'}`,
        data: { kind: 'unknown', suggestions, statementIndex },
      });
    }
  }
}

const ATTRIBUTE_KEY = 'iot:Connection.Thing.Attributes[';

/** Lower-cases the first letter of a sentence, but not of an acronym (`IAM`, `AWS`). */
function lowerFirst(s: string): string {
  return /^[A-Z][A-Z0-9]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

function suggestKey(name: string): string[] {
  const attr = /^iot:Connection\.Thing\.Attributes?[.([{]?([A-Za-z0-9_.,@/:#-]+?)[)\]}]?$/i.exec(name);
  if (attr) return [`iot:Connection.Thing.Attributes[${attr[1]}]`];
  if (!name.includes(':') && lookupConditionKey(`iot:${name}`)) return [lookupConditionKey(`iot:${name}`)!.canonical];
  return nearest(name, allKeyNames()).slice(0, 3);
}

function valueSpan(v: ConditionValue): Span {
  return v.str ? contentSpan(v.str) : { offset: v.node.offset, length: v.node.length };
}

function valueText(v: ConditionValue): string | undefined {
  if (v.kind === 'string') return v.str?.value ?? String(v.node.value);
  if (v.kind === 'boolean' || v.kind === 'number') return String(v.node.value);
  return undefined;
}

const NATURAL_OPERATOR: Record<ConditionKeyInfo['valueType'], string> = {
  string: 'StringEquals', bool: 'Bool', ip: 'IpAddress', arn: 'ArnEquals', numeric: 'NumericEquals', date: 'DateEquals', binary: 'BinaryEquals',
};

/** condition-value-type */
function checkValues(ctx: RuleContext): void {
  for (const [op, statementIndex] of operators(ctx)) {
    if (hasVariable(op.operator)) continue;
    const p = parsed(op);
    if (!p.valid || !p.operator || !p.base) continue;
    const base = p.base;
    for (const key of op.keys) {
      const keyInfo = hasVariable(key.key) ? undefined : lookupConditionKey(key.key);
      if (keyInfo && operatorFitsKey(base, keyInfo.info.valueType) === 'mismatch') {
        const natural = NATURAL_OPERATOR[keyInfo.info.valueType];
        ctx.report({
          span: keyContentSpan(op.prop),
          message: `\`${op.operator}\` compares ${describeBase(base)}, but \`${keyInfo.canonical}\` is ${describeType(keyInfo.info.valueType)}, so this condition never matches as intended. Use \`${natural}\` (or another ${natural.replace(/Equals$/, '')} operator).`,
          // No suggestions: changing the operator alone leaves the values to fix by hand.
          data: { kind: 'operator-key', key: keyInfo.canonical, fitsKey: (p.setPrefix ? p.setPrefix + ':' : '') + natural + (p.ifExists ? 'IfExists' : ''), suggestions: [], statementIndex },
          related: [{ span: keyContentSpan(key.prop), message: `\`${keyInfo.canonical}\` is ${describeType(keyInfo.info.valueType)}` }],
        });
        continue;
      }
      checkKeyValues(ctx, op, key, base, keyInfo?.info, p, statementIndex);
    }
  }
}

function checkKeyValues(ctx: RuleContext, op: ConditionOperatorEntry, key: ConditionKeyEntry, base: NonNullable<ParsedOperator['base']>,
  keyInfo: ConditionKeyInfo | undefined, p: ParsedOperator, statementIndex: number): void {
  for (const v of key.values) {
    const text = valueText(v);
    if (text === undefined) continue; // objects, arrays, null: invalid-value-type
    if (v.node && isBroken(ctx.model, v.node)) continue;
    if (v.kind === 'string' && hasVariable(text)) continue; // substituted at run time, or policy-variable-not-allowed-here
    const problem = validateConditionValue(base, text);
    if (problem) {
      const lower = text.toLowerCase();
      const suggestions = (base === 'Bool' || base === 'Null') && (lower === 'true' || lower === 'false') ? [lower]
        : base === 'Bool' || base === 'Null' ? ['true', 'false'] : [];
      ctx.report({
        span: valueSpan(v),
        message: `${valueProblem(base, text, problem, op.operator, key.key)}`,
        data: { kind: 'value', operator: op.operator, suggestions, statementIndex },
      });
      continue;
    }
    // A documented closed set of values (iot:ConnectAttributes): a value outside it never occurs.
    if (keyInfo?.values && base === 'String' && !p.operator?.wildcards && v.kind === 'string' && text !== '' && !keyInfo.values.includes(text)) {
      const ci = keyInfo.values.find((x) => x.toLowerCase() === text.toLowerCase() && !p.operator?.ignoreCase);
      if (p.operator?.ignoreCase && keyInfo.values.some((x) => x.toLowerCase() === text.toLowerCase())) continue;
      const suggestions = ci ? [ci] : nearest(text, keyInfo.values);
      ctx.report({
        span: valueSpan(v),
        severity: 'warning',
        message: `\`${text}\` is not a value of \`${keyInfo.name}\`: AWS sets only ${keyInfo.values.map((x) => `\`${x}\``).join(' and ')}${ci ? ' (values are case-sensitive)' : ''}, so this value never matches.${suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ''}`,
        data: { kind: 'unknown-value', operator: op.operator, suggestions, statementIndex },
      });
    }
  }
}

function describeBase(base: string): string {
  switch (base) {
    case 'String': return 'strings';
    case 'Numeric': return 'numbers';
    case 'Date': return 'dates';
    case 'Bool': return 'booleans';
    case 'Binary': return 'base-64 binary values';
    case 'IpAddress': return 'IP addresses';
    case 'Arn': return 'ARNs';
    default: return 'values';
  }
}

function describeType(t: string): string {
  switch (t) {
    case 'string': return 'a string';
    case 'bool': return 'a boolean';
    case 'ip': return 'an IP address';
    case 'arn': return 'an ARN';
    case 'numeric': return 'a number';
    case 'date': return 'a date';
    default: return 'binary';
  }
}

function valueProblem(base: string, text: string, problem: string, operator: string, key: string): string {
  const p = problem.replace(/"([^"]*)"/g, '`$1`');
  switch (base) {
    case 'Bool':
      return text.toLowerCase() === 'true' || text.toLowerCase() === 'false'
        ? `\`${operator}\` takes \`"true"\` or \`"false"\` in lower case, but the value for \`${key}\` is \`${text}\`, which never matches. Write \`"${text.toLowerCase()}"\`.`
        : `\`${operator}\` takes \`"true"\` or \`"false"\`, but the value for \`${key}\` is \`${text}\`, which never matches. Write \`"true"\` or \`"false"\`.`;
    case 'Null':
      return `\`Null\` takes \`"true"\` (the key must be absent) or \`"false"\` (the key must be present), but the value for \`${key}\` is \`${text}\`. Any other value never matches.`;
    case 'IpAddress': {
      if (/prefix length/i.test(p)) {
        return `\`${text}\`: the prefix length must be 0–${text.includes(':') ? '128 for IPv6 (0–32 for IPv4)' : '32 for IPv4 (0–128 for IPv6)'}. AWS rejects or never matches this value.`;
      }
      const why = p.startsWith(`\`${text}\` `) ? p.slice(text.length + 3) : p;
      return `\`${text}\` ${why.startsWith('is ') || why.startsWith('has ') ? why : `is not an IP address or CIDR block: ${why}`}. \`${operator}\` takes an IPv4 or IPv6 address or CIDR block such as \`203.0.113.0/24\`; AWS rejects or never matches this value.`;
    }
    case 'Numeric':
      return `\`${operator}\` takes a number, but \`${text}\` is not one; the comparison never matches. Numeric operators cannot use wildcards or policy variables.`;
    case 'Date':
      return `\`${operator}\` takes a date (ISO 8601 such as \`2026-01-31T12:00:00Z\`, or epoch seconds), but \`${text}\` is not one; the comparison never matches.`;
    case 'Arn':
      return `\`${operator}\` takes an ARN (\`arn:aws:iot:<region>:<account-id>:topic/...\`), but ${p}; the comparison never matches. For plain strings use \`StringEquals\` or \`StringLike\`.`;
    case 'Binary':
      return `\`${operator}\` takes a base-64 encoded value, but ${p}.`;
    default:
      return `${capitalize(p)} (see ${IAM_CONDITIONS_URL}).`;
  }
}

export const conditionsRules: Rule[] = [
  /** data: `{ suggestions: [nearest valid operator spelling], statementIndex }` for the operator name's content. */
  {
    meta: { id: 'unknown-condition-operator', defaultSeverity: 'error', category: 'conditions', description: 'A condition operator IAM does not have, in any of its `ForAnyValue:`/`ForAllValues:`/`IfExists` forms.' },
    check: checkOperators,
  },
  /** data: `{ kind: 'iam-only' | 'unknown', suggestions: [IoT condition keys], statementIndex }` for the key name's content. */
  {
    meta: { id: 'unsupported-condition-key', defaultSeverity: 'warning', category: 'conditions', description: 'A condition key not usable in IoT policies: a typo, or an IAM-only key such as `aws:RequestTag/...`.' },
    check: checkKeys,
  },
  /**
   * data: `{ kind: 'value' | 'unknown-value' | 'operator-key', operator?, key?, suggestions, statementIndex }` —
   * `value`/`unknown-value`: suggestions replace the value's content; `operator-key`: the span is the
   * operator name, `fitsKey` the operator that fits the key (no automatic fix: the values need review).
   */
  {
    meta: { id: 'condition-value-type', defaultSeverity: 'error', category: 'conditions', description: 'A condition value the operator cannot take (Bool/Null need true/false, IpAddress an IP or CIDR, Numeric numbers, Date dates, Arn ARNs), or an operator that does not fit the key.' },
    check: checkValues,
  },
];
