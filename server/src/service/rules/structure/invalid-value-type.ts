/**
 * `invalid-value-type`: a value of the wrong type (a number where a string belongs, a string where
 * an object belongs), or an empty one (`[]`, `""`). A template value (an opaque node) could be
 * anything and is never reported; `template-syntax` explains it.
 */
import { openerSpan } from '../../analysis/spans';
import { isBroken } from '../../analysis/syntax';
import type { ElementList, StatementModel } from '../../policy/model';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import { defineRule, type RuleContext, type SuggestionData } from '../rule';
import { isOpaque } from './shared';

/** What a value is, for a message (`a number (42)`, `an object`). */
function kindName(node: PolicyNode): string {
  switch (node.type) {
    case 'number': return `a number (${node.value})`;
    case 'boolean': return `a boolean (${node.value})`;
    case 'null': return '`null`';
    case 'object': return 'an object';
    case 'array': return 'an array';
    case 'string': return 'a string';
    default: return 'a value of the wrong type';
  }
}

type Kind = { kind: string };

interface Args {
  rootNotObject: Kind & { array: boolean };
  version: Kind;
  id: Kind;
  statement: Kind;
  statementItem: Kind & { array: boolean };
  sid: Kind;
  effect: Kind;
  emptyList: { name: string; example: string };
  /** `isArray`: the element is a list (its entries) or a single value. */
  listEntry: Kind & { name: string; isArray: boolean; example: string };
  emptyString: { name: string; example: string };
  condition: Kind;
  conditionOperator: Kind & { operator: string };
  conditionValue: Kind & { inArray: boolean };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const WRAP = 'If these are statements, wrap them: `{"Version": "2012-10-17", "Statement": [...]}`.';

const messages: Messages = {
  rootNotObject: (a) => `A policy document is a JSON object (\`{"Version": "2012-10-17", "Statement": [...]}\`), but this is ${a.kind}.${a.array ? ` ${WRAP}` : ''}`,
  version: (a) => `\`Version\` must be the string \`"2012-10-17"\`, but this is ${a.kind}; AWS rejects the policy.`,
  id: (a) => `\`Id\` must be a string, but this is ${a.kind}.`,
  statement: (a) => `\`Statement\` must be an array of statement objects (or one object), but this is ${a.kind}. Write \`"Statement": [{"Effect": "Allow", "Action": [...], "Resource": [...]}]\`.`,
  statementItem: (a) => `Each statement must be an object (\`{"Effect": ..., "Action": ..., "Resource": ...}\`), but this is ${a.kind}.${a.array ? ' Remove the extra brackets.' : ''}`,
  sid: (a) => `\`Sid\` must be a string, but this is ${a.kind}.`,
  effect: (a) => `\`Effect\` must be the string \`"Allow"\` or \`"Deny"\`, but this is ${a.kind}; AWS rejects the policy.`,
  emptyList: (a) => `\`${a.name}\` is an empty list, so the statement applies to nothing (AWS rejects an empty \`${a.name}\`). List at least one value, e.g. ${a.example}, or remove the statement.`,
  listEntry: (a) => {
    const what = a.isArray ? 'entries' : 'values';
    const orArray = a.isArray ? '' : ' or an array of strings';
    return `\`${a.name}\` ${what} must be strings, but this is ${a.kind}; AWS rejects the policy. Write it as a string${orArray}, e.g. ${a.example}.`;
  },
  emptyString: (a) => `Empty string in \`${a.name}\`: it matches nothing. Give a value, e.g. ${a.example}, or remove it.`,
  condition: (a) => `\`Condition\` must be an object of operators, e.g. \`{"Bool": {"iot:Connection.Thing.IsAttached": "true"}}\`, but this is ${a.kind}; AWS rejects the policy.`,
  conditionOperator: (a) => `A condition operator takes an object of condition keys, e.g. \`"${a.operator}": {"iot:Connection.Thing.ThingTypeName": "Lightbulb"}\`, but this is ${a.kind}; AWS rejects the policy.`,
  conditionValue: (a) => `A condition value must be a string, number or boolean, or an array of them, but this is ${a.kind}${a.inArray ? ' inside an array' : ''}; AWS rejects the policy.`,
};

type Ctx = RuleContext<SuggestionData, Messages>;

/** The whole value, or the first character of an object or array. */
function spanOf(node: PolicyNode): Span {
  return node.type === 'object' || node.type === 'array' ? openerSpan(node) : { offset: node.offset, length: node.length };
}

const wholeSpan = (node: PolicyNode): Span => ({ offset: node.offset, length: node.length });

const EXAMPLES = {
  Action: '`"iot:Connect"`',
  NotAction: '`"iot:Connect"`',
  Resource: '`"arn:aws:iot:<region>:<account-id>:client/${iot:Connection.Thing.ThingName}"`',
  NotResource: '`"arn:aws:iot:<region>:<account-id>:topic/restricted/*"`',
};

function checkList(ctx: Ctx, list: ElementList | undefined, name: keyof typeof EXAMPLES): void {
  const v = list?.prop.value;
  if (!list || !v) return; // json-syntax reports a missing value.
  const example = EXAMPLES[name];
  if (v.type === 'array' && (v.children?.length ?? 0) === 0) {
    if (!isBroken(ctx.model, v)) ctx.report({ messageId: 'emptyList', args: { name, example }, span: wholeSpan(v), data: {} });
    return;
  }
  for (const bad of list.invalid) {
    if (isBroken(ctx.model, bad) || isOpaque(bad)) continue;
    const scalar = bad.type === 'number' || bad.type === 'boolean';
    ctx.report({
      messageId: 'listEntry',
      args: { name, isArray: list.isArray, kind: kindName(bad), example },
      span: spanOf(bad),
      data: scalar ? { suggestions: [`"${String(bad.value)}"`] } : {},
    });
  }
  for (const item of list.items) {
    if (item.value.length === 0) ctx.report({ messageId: 'emptyString', args: { name, example }, span: item.span, data: {} });
  }
}

function checkStatement(ctx: Ctx, st: StatementModel): void {
  const sid = st.sid?.value;
  if (sid && sid.type !== 'string' && !isOpaque(sid)) ctx.report({ messageId: 'sid', args: { kind: kindName(sid) }, span: wholeSpan(sid), data: {} });
  const ev = st.effect?.value;
  if (ev && ev.type !== 'string' && !isOpaque(ev)) {
    ctx.report({ messageId: 'effect', args: { kind: kindName(ev) }, span: wholeSpan(ev), data: { suggestions: ['"Allow"', '"Deny"'] } });
  }
  checkList(ctx, st.action, 'Action');
  checkList(ctx, st.notAction, 'NotAction');
  checkList(ctx, st.resource, 'Resource');
  checkList(ctx, st.notResource, 'NotResource');
  const cv = st.condition?.prop.value;
  if (!st.condition || !cv || isOpaque(cv)) return;
  if (cv.type !== 'object') {
    ctx.report({ messageId: 'condition', args: { kind: kindName(cv) }, span: spanOf(cv), data: {} });
    return;
  }
  for (const op of st.condition.operators) {
    const ov = op.prop.value;
    if (ov && isOpaque(ov)) continue;
    if (ov && ov.type !== 'object') {
      ctx.report({ messageId: 'conditionOperator', args: { operator: op.operator, kind: kindName(ov) }, span: spanOf(ov), data: {} });
      continue;
    }
    for (const key of op.keys) {
      if (isOpaque(key.prop.value)) continue;
      for (const val of key.values) {
        if (val.kind !== 'object' && val.kind !== 'array' && val.kind !== 'null') continue;
        const span = val.kind === 'null' ? wholeSpan(val.node) : openerSpan(val.node);
        ctx.report({ messageId: 'conditionValue', args: { kind: kindName(val.node), inArray: val.kind === 'array' }, span, data: {} });
      }
    }
  }
}

export const invalidValueType = defineRule<SuggestionData, Messages>({
  meta: { id: 'invalid-value-type', defaultSeverity: 'error', category: 'structure', description: 'A value of the wrong JSON type, or empty (`[]`, `""`).' },
  messages,
  /** `suggestions`, when there is one, replace the span (a number written as a string). */
  check(ctx) {
    const m = ctx.model;
    if (m.root && m.root.type !== 'object') {
      if (isOpaque(m.root)) return;
      const scalar = ['string', 'number', 'boolean', 'null'].includes(m.root.type);
      const args = { kind: kindName(m.root), array: m.root.type === 'array' };
      ctx.report({ messageId: 'rootNotObject', args, span: scalar ? wholeSpan(m.root) : openerSpan(m.root), data: {} });
      return;
    }
    const vv = m.version?.value;
    if (vv && vv.type !== 'string' && !isOpaque(vv)) {
      ctx.report({ messageId: 'version', args: { kind: kindName(vv) }, span: wholeSpan(vv), data: { suggestions: ['"2012-10-17"'] } });
    }
    for (const p of m.topProps) {
      if (p.key === 'Id' && p.value && p.value.type !== 'string' && !isOpaque(p.value)) {
        ctx.report({ messageId: 'id', args: { kind: kindName(p.value) }, span: wholeSpan(p.value), data: {} });
      }
    }
    const sv = m.statementProp?.value;
    if (sv && sv.type !== 'array' && sv.type !== 'object' && !isOpaque(sv)) {
      ctx.report({ messageId: 'statement', args: { kind: kindName(sv) }, span: wholeSpan(sv), data: {} });
    }
    for (const st of m.statements) {
      if (isOpaque(st.node)) continue;
      if (st.isObject) {
        checkStatement(ctx, st);
        continue;
      }
      // In a broken document, non-object "statements" are usually parse artefacts; json-syntax explains.
      if (m.syntaxErrors.length > 0) continue;
      const array = st.node.type === 'array';
      ctx.report({ messageId: 'statementItem', args: { kind: kindName(st.node), array }, span: array ? openerSpan(st.node) : wholeSpan(st.node), data: {} });
    }
  },
});
