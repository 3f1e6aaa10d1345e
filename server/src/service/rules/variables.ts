/**
 * Policy variable rules: every `${...}` (and malformed `${` / `$(*)`) in the document, checked for
 * syntax, for where it stands, and for its name. Exactly one of the name rules reports a given
 * variable (syntax → not-allowed-here → iam-only → undocumented → case → unknown), so a mistake is
 * reported once, by the most specific rule. `variables-require-2012-10-17` is independent: it is
 * about the policy's Version, not the variable.
 *
 * Spans: the whole `${...}` for every finding, so that all variable findings look alike;
 * `data.suggestions` replace exactly that span (whole `${name}` texts).
 *
 * `template-syntax` collects what template tools leave in a file (Terraform/CDK/Serverless `${...}`,
 * CloudFormation intrinsic functions): one finding per tool per document.
 */
import { ATTRIBUTE_PREFIX, UNDOCUMENTED_VARIABLES, iamOnlyVariable, lookupVariable, lookupVariableIgnoreCase, templateSubstitution, variableNamesForSuggestions } from '../catalog';
import { nearest } from '../text/distance';
import { OPERATORS_BY_NAME, parseOperatorCached } from '../catalog/conditions';
import type { PolicyModel, Span, StringValue, VariableRef } from '../policy/model';
import { modelMemo } from '../policy/model';
import { contentSpan } from '../analysis/spans';
import { versionFix } from './structure';
import type { Rule, RuleContext } from './types';

/** Where a string stands in the policy. */
export type StringPlace =
  | 'Version' | 'Sid' | 'Effect' | 'Action' | 'NotAction' | 'Resource' | 'NotResource'
  | 'condition-operator' | 'condition-key' | 'condition-value' | 'other';

export interface PlacedString {
  sv: StringValue;
  place: StringPlace;
  /** For condition values: the operator it is under. */
  operator?: string;
}

const cache = {};

/** Every string with `${` or `$(` that the policy gives a meaning to, with its place. */
export function placedVariableStrings(model: PolicyModel): PlacedString[] {
  return modelMemo(model, cache, (): PlacedString[] => {
    const byOffset = new Map<number, { place: StringPlace; operator?: string }>();
    const put = (sv: StringValue | undefined, place: StringPlace, operator?: string): void => {
      if (sv) byOffset.set(sv.span.offset, { place, operator });
    };
    put(model.versionValue, 'Version');
    for (const st of model.statements) {
      if (st.sid?.value?.type === 'string') byOffset.set(st.sid.value.offset, { place: 'Sid' });
      put(st.effectValue, 'Effect');
      for (const sv of st.action?.items ?? []) put(sv, 'Action');
      for (const sv of st.notAction?.items ?? []) put(sv, 'NotAction');
      for (const sv of st.resource?.items ?? []) put(sv, 'Resource');
      for (const sv of st.notResource?.items ?? []) put(sv, 'NotResource');
      for (const op of st.condition?.operators ?? []) {
        put(op.prop.keyValue, 'condition-operator');
        for (const k of op.keys) {
          put(k.prop.keyValue, 'condition-key');
          for (const v of k.values) put(v.str, 'condition-value', op.operator);
        }
      }
    }
    const out: PlacedString[] = [];
    for (const sv of model.strings) {
      if (sv.variables.length === 0) continue;
      const p = byOffset.get(sv.span.offset);
      out.push({ sv, place: p?.place ?? 'other', operator: p?.operator });
    }
    return out;
  });
}

const PLACE_NAMES: Partial<Record<StringPlace, string>> = {
  Version: '`Version`', Sid: '`Sid`', Effect: '`Effect`', Action: '`Action`', NotAction: '`NotAction`',
  'condition-operator': 'a condition operator name', 'condition-key': "a condition key's name",
};

type VarRuleId = 'policy-variable-syntax' | 'policy-variable-not-allowed-here' | 'iam-only-policy-variable' | 'undocumented-policy-variable' | 'policy-variable-case' | 'unknown-policy-variable' | 'template-syntax';

interface VarFinding {
  ruleId: VarRuleId;
  span: Span;
  message: string;
  data: Record<string, unknown>;
}

const ESCAPES = new Set(['*', '?', '$']);
let suggestionNames: string[] | undefined;
function names(): string[] {
  suggestionNames ??= variableNamesForSuggestions();
  return suggestionNames;
}

const DEFAULT_FORM = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/** The one finding (if any) for a variable reference, from the most specific rule. */
export function classifyVariable(ref: VariableRef, placed: PlacedString): VarFinding | undefined {
  const { place, operator } = placed;
  const name = ref.name;
  // 1. syntax
  if (ref.form === 'parens') {
    const fixed = '${' + name + '}';
    return {
      ruleId: 'policy-variable-syntax', span: ref.span,
      message: `\`${ref.text}\` is plain text: the AWS IoT docs write the escapes with parentheses, but that is a typo; the IAM escape is \`${fixed}\` (a literal \`${name}\`). Write \`${fixed}\`.`,
      data: { kind: 'parens', suggestions: [fixed] },
    };
  }
  if (ref.form === 'unclosed') {
    const known = lookupVariable(name.trim()) ?? lookupVariableIgnoreCase(name.trim());
    return {
      ruleId: 'policy-variable-syntax', span: ref.span,
      message: `\`${ref.text}\` is not closed: without the \`}\` it is plain text, not a policy variable. Add \`}\`${name.trim() ? '' : ' after the variable name'}.`,
      data: { kind: 'unclosed', suggestions: name.trim() ? [ref.text + '}'] : [], ...(known ? {} : {}) },
    };
  }
  if (ref.nested) {
    return {
      ruleId: 'policy-variable-syntax', span: ref.span,
      message: `A \`\${\` inside \`${ref.text}\`: policy variables cannot be nested, so AWS leaves this as plain text. Use one variable per \`\${...}\`.`,
      data: { kind: 'nested', suggestions: [] },
    };
  }
  if (name.length === 0) {
    return {
      ruleId: 'policy-variable-syntax', span: ref.span,
      message: 'Empty `${}`: name a policy variable, e.g. `${iot:Connection.Thing.ThingName}`; for a literal `$` write `${$}`.',
      data: { kind: 'empty', suggestions: [] },
    };
  }
  const dm = DEFAULT_FORM.exec(name);
  if (/\s/.test(name) && !dm) {
    const trimmed = name.replace(/\s+/g, '');
    return {
      ruleId: 'policy-variable-syntax', span: ref.span,
      message: `White space inside \`${ref.text}\`: AWS does not trim variable names, so this is not substituted. Write \`\${${trimmed}}\`.`,
      data: { kind: 'whitespace', suggestions: ['${' + trimmed + '}'] },
    };
  }
  // 2. placement
  const placeName = PLACE_NAMES[place];
  if (placeName) {
    const why = place === 'condition-key' || place === 'condition-operator'
      ? 'variables are substituted only in resources and condition values, never in names'
      : 'variables are substituted only in `Resource` and in condition values';
    return {
      ruleId: 'policy-variable-not-allowed-here', span: ref.span,
      message: `A policy variable in ${placeName} is not substituted: ${why}, so \`${ref.text}\` is taken literally here.${place === 'Action' || place === 'NotAction' ? ' Name the actions, and put the variable in the `Resource`.' : place === 'condition-key' ? ' Put the variable in the condition value, e.g. `{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}`.' : ' Remove it.'}`,
      data: { place, suggestions: [] },
    };
  }
  if (place === 'condition-value' && operator) {
    const parsed = parseOperatorCached(operator);
    const info = parsed.operator ?? OPERATORS_BY_NAME.get(operator);
    if (info && !info.variablesInValues && !ESCAPES.has(name)) {
      return {
        ruleId: 'policy-variable-not-allowed-here', span: ref.span,
        message: `\`${ref.text}\` is not substituted in a \`${info.name}\` condition: policy variables work only in the values of String and Arn operators, so this value is compared literally.`,
        data: { place, operator: info.name, suggestions: [] },
      };
    }
  }
  if (ESCAPES.has(name)) return undefined;
  // 3. names
  if (dm) {
    const key = dm[1];
    return {
      ruleId: 'undocumented-policy-variable', span: ref.span,
      message: `\`${ref.text}\` uses IAM's default-value form \`\${key, 'default'}\`, which the AWS IoT docs do not document for IoT policies; it may not be substituted. Write \`\${${key}}\`.`,
      data: { kind: 'default-value', suggestions: ['${' + key + '}'] },
    };
  }
  if (lookupVariable(name)) return undefined;
  const iam = iamOnlyVariable(name);
  if (iam) {
    const alt = /In an IoT policy use `([^`]+)`/.exec(iam)?.[1];
    return {
      ruleId: 'iam-only-policy-variable', span: ref.span,
      message: `\`${ref.text}\` works only in IAM policies, not in AWS IoT policies, where it is never substituted: ${lowerFirst(iam.replace(/\.$/, ''))}.`,
      data: { suggestions: alt ? [wrap(alt)] : [] },
    };
  }
  const undocumented = UNDOCUMENTED_VARIABLES.get(name) ?? [...UNDOCUMENTED_VARIABLES].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (undocumented) {
    return {
      ruleId: 'undocumented-policy-variable', span: ref.span,
      message: `\`${ref.text}\` is not a documented AWS IoT policy variable: ${lowerFirst(undocumented.why.replace(/\.$/, ''))}. Use the documented \`\${${undocumented.suggestion}}\`.`,
      data: { kind: 'undocumented', suggestions: [wrap(undocumented.suggestion)] },
    };
  }
  const ci = lookupVariableIgnoreCase(name);
  if (ci) {
    return {
      ruleId: 'policy-variable-case', span: ref.span,
      message: `\`${ref.text}\` differs in case from the documented \`\${${ci.canonical}}\`: variable names are case-sensitive, so AWS does not substitute it and the text stays literal. Write \`\${${ci.canonical}}\`.`,
      data: { suggestions: [wrap(ci.canonical)] },
    };
  }
  if (placed.sv.value[ref.start - 1] === '$' && !lookupVariableIgnoreCase(name)) {
    return {
      ruleId: 'template-syntax', span: ref.span,
      message: `\`$${ref.text}\` is Terraform's escape for a literal \`\${\`: the rendered policy contains \`${ref.text}\`, which is not an AWS IoT policy variable${name.includes(':') ? '' : ' (they look like `iot:...`)'}, so AWS leaves it as literal text`,
      data: { kind: 'template', tool: 'Terraform', suggestions: [] },
    };
  }
  const tpl = templateSubstitution(name);
  if (tpl) {
    return {
      ruleId: 'template-syntax', span: ref.span,
      message: `\`${ref.text}\` is not an AWS IoT policy variable; ${tpl.note}`,
      data: { kind: 'template', tool: tpl.tool, suggestions: [] },
    };
  }
  if (name.startsWith(ATTRIBUTE_PREFIX) && !name.endsWith(']')) {
    const attr = name.slice(ATTRIBUTE_PREFIX.length);
    return {
      ruleId: 'unknown-policy-variable', span: ref.span,
      message: attr
        ? `\`${ref.text}\` is missing the \`]\` after the attribute name, so AWS does not substitute it. Add \`]\`: \`\${${name}]}\`.`
        : `\`${ref.text}\` needs an attribute name: write \`\${${ATTRIBUTE_PREFIX}name]}\` with the name of one of the thing's attributes.`,
      data: { kind: 'unknown', suggestions: attr ? [wrap(`${name}]`)] : [] },
    };
  }
  if (name === `${ATTRIBUTE_PREFIX}]`) {
    return {
      ruleId: 'unknown-policy-variable', span: ref.span,
      message: `\`${ref.text}\` needs an attribute name between the brackets: \`\${${ATTRIBUTE_PREFIX}name]}\`, with the name of one of the thing's attributes.`,
      data: { kind: 'unknown', suggestions: [] },
    };
  }
  const suggestions = suggestVariable(name);
  const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name);
  if (plainIdentifier && !suggestions.length) {
    // No policy variable is a bare name (they are `iot:...`, `aws:...`): a template parameter.
    return {
      ruleId: 'template-syntax', span: ref.span,
      message: `\`${ref.text}\` is not an AWS IoT policy variable (those are written \`service:Name\`, e.g. \`\${iot:ClientId}\`); it looks like a template parameter that a tool or script replaces`,
      data: { kind: 'template', tool: 'template', suggestions: [] },
    };
  }
  return {
    ruleId: 'unknown-policy-variable', span: ref.span,
    message: `\`${ref.text}\` is not an AWS IoT policy variable, so AWS leaves it as literal text and the ${place === 'condition-value' ? 'condition' : 'resource'} never matches a real request.${suggestions.length ? ` Did you mean \`\${${suggestions[0]}}\`?` : ''}`,
    data: { kind: 'unknown', suggestions: suggestions.map(wrap) },
  };
}

function wrap(name: string): string {
  return '${' + name + '}';
}

/** Lower-cases the first letter of a sentence, but not of an acronym (`IAM`, `AWS`). */
function lowerFirst(s: string): string {
  return /^[A-Z][A-Z0-9]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

const suggested = new Map<string, string[]>();

/** Did-you-mean names for an unknown variable (memoised: a pure function of the name). */
function suggestVariable(name: string): string[] {
  let hit = suggested.get(name);
  if (!hit) {
    hit = suggestVariableUncached(name);
    if (suggested.size > 2000) suggested.clear();
    suggested.set(name, hit);
  }
  return hit;
}

function suggestVariableUncached(name: string): string[] {
  // `Attributes.name` / `Attributes(name)` / `Attribute[name]` → `Attributes[name]`
  const attr = /^iot:Connection\.Thing\.Attributes?[.([{]?([A-Za-z0-9_.,@/:#-]+?)[)\]}]?$/i.exec(name);
  if (attr && !name.startsWith(ATTRIBUTE_PREFIX)) return [`${ATTRIBUTE_PREFIX}${attr[1]}]`];
  // Missing `iot:` prefix
  if (!name.includes(':')) {
    const withPrefix = lookupVariable(`iot:${name}`) ? `iot:${name}` : lookupVariableIgnoreCase(`iot:${name}`)?.canonical;
    if (withPrefix) return [withPrefix];
  }
  // A `.N`/`.List` suffix on a known base with a typo
  const m = /^(.*)\.(List|\d{1,2})$/i.exec(name);
  if (m) {
    const base = nearest(m[1], names(), 3)[0];
    if (base && lookupVariable(`${base}.${m[2]}`)) return [`${base}.${m[2]}`];
  }
  return nearest(name, names()).slice(0, 3);
}

const findingsCache = {};

/** Every variable finding of the document, computed once per model (six rules share it). */
function allVariableFindings(model: PolicyModel): VarFinding[] {
  return modelMemo(model, findingsCache, (): VarFinding[] => {
    const out: VarFinding[] = [];
    for (const placed of placedVariableStrings(model)) {
      if (placed.place === 'other') continue;
      for (const ref of placed.sv.variables) {
        const f = classifyVariable(ref, placed);
        if (f) out.push(f);
      }
    }
    return out;
  });
}

function checkVariables(ctx: RuleContext, only: VarRuleId): void {
  for (const f of allVariableFindings(ctx.model)) if (f.ruleId === only) ctx.report({ span: f.span, message: f.message, data: f.data });
}

function varRule(id: VarRuleId, severity: 'error' | 'warning', description: string): Rule {
  return { meta: { id, defaultSeverity: severity, category: 'variables', description }, check: (ctx) => checkVariables(ctx, id) };
}

export const variablesRules: Rule[] = [
  /** data: `{ kind: 'unknown', suggestions: string[] (whole `${name}` texts for the `${...}` span) }`. */
  varRule('unknown-policy-variable', 'error', '`${...}` naming no documented policy variable.'),
  /** data: `{ suggestions: ['${canonical}'] }` for the `${...}` span. */
  varRule('policy-variable-case', 'warning', '`${...}` that matches a documented variable only when case is ignored.'),
  /** data: `{ kind: 'undocumented' | 'default-value', suggestions: ['${name}'] }` for the `${...}` span. */
  varRule('undocumented-policy-variable', 'warning', 'A variable seen in the wild but not documented, such as `${iot:Thing.ThingName}`.'),
  /** data: `{ kind: 'parens' | 'unclosed' | 'nested' | 'empty' | 'whitespace', suggestions }` for the whole `${...}`. */
  varRule('policy-variable-syntax', 'error', 'An unclosed `${`, an empty `${}`, white space inside, a nested `${`, or the `$(*)` form of the escapes.'),
  /** data: `{ place, operator?, suggestions: [] }` — the fix removes the variable or moves it. */
  varRule('policy-variable-not-allowed-here', 'error', 'A variable in `Action`, `Effect`, `Version`, `Sid`, a condition operator or key name, or a non-string condition value.'),
  /** data: `{ suggestions: ['${IoT equivalent}'] }` for the `${...}` span, when there is one. */
  varRule('iam-only-policy-variable', 'error', '`credentials-iot:*` and other variables that work only in IAM policies.'),
  /**
   * One finding per document while Version is missing or 2008-10-17 and a resource or condition value
   * has a `${...}`: on the Version value (or, without Version, on the first variable), with every
   * variable as related information.
   * data: `{ setVersion: { span, text }, variables: Span[] }` — replace `span` (the Version value, or a
   * zero-length point after the root `{`) with `text`; `versionSpan` when Version is present.
   */
  {
    meta: { id: 'variables-require-2012-10-17', defaultSeverity: 'error', category: 'variables', description: 'A `${...}` variable while `Version` is missing or `2008-10-17`, where it is plain text.' },
    check(ctx) {
      const m = ctx.model;
      if (m.variablesEnabled) return;
      const v = m.versionValue?.value;
      if (m.version && v !== '2008-10-17') return; // invalid-version / invalid-value-type
      const refs: VariableRef[] = [];
      for (const placed of placedVariableStrings(m)) {
        if (placed.place !== 'Resource' && placed.place !== 'NotResource' && placed.place !== 'condition-value') continue;
        for (const ref of placed.sv.variables) if (ref.form === 'braces') refs.push(ref);
      }
      if (!refs.length) return;
      refs.sort((a, b) => a.span.offset - b.span.offset);
      const shown = [...new Set(refs.map((r) => r.text))];
      const names = `${refs.length > Math.min(2, shown.length) ? 'such as ' : ''}${shown.slice(0, 2).map((t) => `\`${t}\``).join(', ')}`;
      const count = refs.length === 1 ? 'The policy variable' : `${refs.length} policy variables`;
      const vv = m.versionValue;
      ctx.report({
        span: vv ? contentSpan(vv) : refs[0].span,
        message: vv
          ? `\`"Version": "2008-10-17"\` does not substitute policy variables: ${count.charAt(0).toLowerCase() + count.slice(1)} in this policy (${names}) ${refs.length === 1 ? 'is' : 'are'} plain text. Set \`"Version": "2012-10-17"\`.`
          : `${count} in this policy (${names}) ${refs.length === 1 ? 'is' : 'are'} plain text: the policy has no \`Version\`, so AWS reads it as \`2008-10-17\`, which does not substitute policy variables. Add \`"Version": "2012-10-17"\`.`,
        data: { setVersion: versionFix(m), variables: refs.map((r) => r.span), ...(vv ? { versionSpan: vv.span } : {}) },
        related: (vv ? refs : refs.slice(1)).map((r) => ({ span: r.span, message: `\`${r.text}\` stays plain text` })),
      });
    },
  },
  /**
   * What template tools leave in a file: CloudFormation intrinsic functions (`Fn::Join`, `Fn::Sub`,
   * `Ref`, ...) and Terraform/CDK/Serverless/shell `${...}` substitutions. One finding per tool per
   * document, on the first occurrence; the others are related information.
   * data: `{ tool, occurrences: Span[] (all, first included) }`.
   */
  {
    meta: { id: 'template-syntax', defaultSeverity: 'warning', category: 'variables', description: 'Template syntax (CloudFormation intrinsic functions, Terraform/CDK/Serverless `${...}`) in the document: lint the rendered policy.' },
    check(ctx) {
      // A template or code host understands its own syntax and reports its mistakes with its own rules.
      if (ctx.model.host.id !== 'json') return;
      const byTool = new Map<string, { span: Span; what: string; note: string }[]>();
      const add = (tool: string, span: Span, what: string, note: string): void => {
        const list = byTool.get(tool) ?? [];
        list.push({ span, what, note });
        byTool.set(tool, list);
      };
      for (const n of ctx.model.notes()) {
        if (n.kind === 'template-construct') add(n.detail.tool, n.span, n.detail.construct, n.detail.note);
      }
      for (const f of allVariableFindings(ctx.model)) {
        if (f.ruleId !== 'template-syntax') continue;
        add(String(f.data.tool ?? 'template'), f.span, ctx.model.text.substr(f.span.offset, f.span.length), f.message);
      }
      for (const [tool, list] of byTool) {
        list.sort((a, b) => a.span.offset - b.span.offset);
        const first = list[0];
        const label = tool === 'template' ? 'a template' : /^[A-Z]/.test(tool) && !tool.startsWith('JavaScript') ? `a ${tool} template` : `a template for ${tool}`;
        const others = list.length > 1 ? ` (${list.length - 1} more template expression${list.length > 2 ? 's' : ''} of this kind in the file)` : '';
        ctx.report({
          span: first.span,
          message: `This file looks like ${label}, not a policy document. ${first.note}${others}. AWS IoT receives the rendered policy; lint that (e.g. the output of \`cdk synth\`, \`terraform plan\` or the deployed policy). The rest of this file is still checked as written.`,
          data: { tool, occurrences: list.map((x) => x.span) },
          related: list.slice(1).map((x) => ({ span: x.span, message: `Also ${tool === 'template' ? 'template syntax' : tool}: \`${x.what}\`` })),
        });
      }
    },
  },
];
