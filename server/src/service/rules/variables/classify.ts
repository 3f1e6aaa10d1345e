/**
 * The variable classifier shared by the variable rules: every `${...}` (and malformed `${` /
 * `$(*)`) in the policy, checked for syntax, for where it stands, and for its name. Exactly one
 * rule reports a given variable (syntax → not-allowed-here → iam-only → undocumented → case →
 * template → unknown), so a mistake is reported once, by the most specific rule. The rules'
 * message templates render the reports.
 *
 * Every report points at the whole `${...}`, so that all variable findings look alike;
 * `data.suggestions` replace exactly that span (whole `${name}` texts).
 *
 * A reference that touches an opaque range (a template value unknown before deploy) is never
 * classified: the text around it could be anything once the stack is deployed.
 */
import {
  ATTRIBUTE_PREFIX, UNDOCUMENTED_VARIABLES, iamOnlyVariable, isPolicyVariable, lookupVariable, lookupVariableIgnoreCase, templateSubstitution, variableNamesForSuggestions,
} from '../../catalog';
import { OPERATORS_BY_NAME, parseOperatorCached } from '../../catalog/conditions';
import { hasModelMemo, modelMemo, type PolicyModel } from '../../policy/model';
import { isLiteralRange, type StringValue, type VariableRef } from '../../policy/tree';
import { nearest } from '../../text/distance';
import { memoizeString } from '../../text/memo';
import type { Span } from '../../text/span';

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

const PLACED = {};

/** Every string with `${` or `$(` that the policy gives a meaning to, with its place. */
export function placedVariableStrings(model: PolicyModel): PlacedString[] {
  return modelMemo(model, PLACED, (): PlacedString[] => {
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

/** The references of a string whose every character is known (none touches an opaque range). */
export function knownReferences(sv: StringValue): VariableRef[] {
  if (!sv.opaque.length) return sv.variables;
  return sv.variables.filter((r) => isLiteralRange(sv, r.start, r.end));
}

// ---- the reports, by rule and message -------------------------------------------------------

/** Finding data of the variable rules with a did-you-mean: whole `${name}` texts for the span. */
export interface VariableSuggestionData {
  suggestions: string[];
}

export interface PolicyVariableSyntaxArgs {
  parens: { text: string; name: string };
  unclosed: { text: string; named: boolean };
  nested: { text: string };
  empty: Record<string, never>;
  whitespace: { text: string; trimmed: string };
}

export interface PolicyVariableNotAllowedHereArgs {
  /** `Version`, `Sid`, `Effect`. */
  element: { text: string; place: 'Version' | 'Sid' | 'Effect' };
  action: { text: string; place: 'Action' | 'NotAction' };
  conditionOperator: { text: string };
  conditionKey: { text: string };
  /** A condition value under an operator that does not substitute variables. */
  operator: { text: string; operator: string };
}

export interface IamOnlyPolicyVariableArgs {
  iamOnly: { text: string; reason: string };
}

export interface UndocumentedPolicyVariableArgs {
  defaultValue: { text: string; key: string };
  undocumented: { text: string; reason: string; documented: string };
}

export interface PolicyVariableCaseArgs {
  caseOnly: { text: string; canonical: string };
}

export interface UnknownPolicyVariableArgs {
  attributeUnclosed: { text: string; name: string };
  attributeNameMissing: { text: string };
  attributeNameEmpty: { text: string };
  unknown: { text: string; place: 'condition' | 'resource'; suggestion?: string };
}

/** Finding data of a rule without a fix. */
export type NoData = Record<string, never>;

type ReportOf<R extends string, A, D = VariableSuggestionData> = {
  [K in keyof A & string]: { ruleId: R; messageId: K; args: A[K]; data: D };
}[keyof A & string];

/** Template syntax in a variable's place: `template-syntax` groups these by tool. */
export interface TemplateVariable {
  ruleId: 'template-syntax';
  /** `Terraform`, `CloudFormation`, ..., or `template` when no tool is recognised. */
  tool: string;
  /** Why it is template syntax, a sentence without its final period. */
  note: string;
}

/** What the classifier says about one variable reference. */
export type VariableVerdict =
  | ReportOf<'policy-variable-syntax', PolicyVariableSyntaxArgs>
  | ReportOf<'policy-variable-not-allowed-here', PolicyVariableNotAllowedHereArgs, NoData>
  | ReportOf<'iam-only-policy-variable', IamOnlyPolicyVariableArgs>
  | ReportOf<'undocumented-policy-variable', UndocumentedPolicyVariableArgs>
  | ReportOf<'policy-variable-case', PolicyVariableCaseArgs>
  | ReportOf<'unknown-policy-variable', UnknownPolicyVariableArgs>
  | TemplateVariable;

/** A verdict placed in the document (on the whole reference). */
export type VariableReport = VariableVerdict & { span: Span };

const ESCAPES = new Set(['*', '?', '$']);
let suggestionNames: string[] | undefined;
function names(): string[] {
  suggestionNames ??= variableNamesForSuggestions();
  return suggestionNames;
}

const DEFAULT_FORM = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

function wrap(name: string): string {
  return '${' + name + '}';
}

/** The one verdict (if any) for a variable reference, from the most specific rule. */
function classifyVariable(ref: VariableRef, placed: PlacedString): VariableVerdict | undefined {
  return syntaxVerdict(ref) ?? placeVerdict(ref, placed) ?? (ESCAPES.has(ref.name) ? undefined : nameVerdict(ref, placed));
}

function syntaxVerdict(ref: VariableRef): VariableVerdict | undefined {
  const { name, text } = ref;
  const syntax = <K extends keyof PolicyVariableSyntaxArgs>(messageId: K, args: PolicyVariableSyntaxArgs[K], suggestions: string[] = []): VariableVerdict =>
    ({ ruleId: 'policy-variable-syntax', messageId, args, data: { suggestions } }) as VariableVerdict;
  if (ref.form === 'parens') return syntax('parens', { text, name }, [wrap(name)]);
  if (ref.form === 'unclosed') return syntax('unclosed', { text, named: !!name.trim() }, name.trim() ? [text + '}'] : []);
  if (ref.nested) return syntax('nested', { text });
  if (name.length === 0) return syntax('empty', {});
  if (/\s/.test(name) && !DEFAULT_FORM.test(name)) {
    const trimmed = name.replace(/\s+/g, '');
    return syntax('whitespace', { text, trimmed }, [wrap(trimmed)]);
  }
  return undefined;
}

function placeVerdict(ref: VariableRef, { place, operator }: PlacedString): VariableVerdict | undefined {
  const text = ref.text;
  const here = <K extends keyof PolicyVariableNotAllowedHereArgs>(messageId: K, args: PolicyVariableNotAllowedHereArgs[K]): VariableVerdict =>
    ({ ruleId: 'policy-variable-not-allowed-here', messageId, args, data: {} }) as VariableVerdict;
  switch (place) {
    case 'Version': case 'Sid': case 'Effect': return here('element', { text, place });
    case 'Action': case 'NotAction': return here('action', { text, place });
    case 'condition-operator': return here('conditionOperator', { text });
    case 'condition-key': return here('conditionKey', { text });
    default: break;
  }
  if (place !== 'condition-value' || !operator) return undefined;
  const info = parseOperatorCached(operator).operator ?? OPERATORS_BY_NAME.get(operator);
  if (info && !info.variablesInValues && !ESCAPES.has(ref.name)) return here('operator', { text, operator: info.name });
  return undefined;
}

function nameVerdict(ref: VariableRef, placed: PlacedString): VariableVerdict | undefined {
  const { name, text } = ref;
  const dm = DEFAULT_FORM.exec(name);
  if (dm) {
    const key = dm[1];
    return { ruleId: 'undocumented-policy-variable', messageId: 'defaultValue', args: { text, key }, data: { suggestions: [wrap(key)] } };
  }
  if (lookupVariable(name)) return undefined;
  const iam = iamOnlyVariable(name);
  if (iam) {
    const alt = /In an IoT policy use `([^`]+)`/.exec(iam)?.[1];
    return { ruleId: 'iam-only-policy-variable', messageId: 'iamOnly', args: { text, reason: iam }, data: { suggestions: alt ? [wrap(alt)] : [] } };
  }
  const undocumented = UNDOCUMENTED_VARIABLES.get(name) ?? [...UNDOCUMENTED_VARIABLES].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (undocumented) {
    return {
      ruleId: 'undocumented-policy-variable', messageId: 'undocumented',
      args: { text, reason: undocumented.why, documented: undocumented.suggestion }, data: { suggestions: [wrap(undocumented.suggestion)] },
    };
  }
  const ci = lookupVariableIgnoreCase(name);
  if (ci) return { ruleId: 'policy-variable-case', messageId: 'caseOnly', args: { text, canonical: ci.canonical }, data: { suggestions: [wrap(ci.canonical)] } };
  const template = templateVerdict(ref, placed);
  if (template) return template;
  const unknown = <K extends keyof UnknownPolicyVariableArgs>(messageId: K, args: UnknownPolicyVariableArgs[K], suggestions: string[] = []): VariableVerdict =>
    ({ ruleId: 'unknown-policy-variable', messageId, args, data: { suggestions } }) as VariableVerdict;
  if (name.startsWith(ATTRIBUTE_PREFIX) && !name.endsWith(']')) {
    return name.length > ATTRIBUTE_PREFIX.length ? unknown('attributeUnclosed', { text, name }, [wrap(`${name}]`)]) : unknown('attributeNameMissing', { text });
  }
  if (name === `${ATTRIBUTE_PREFIX}]`) return unknown('attributeNameEmpty', { text });
  const suggestions = suggestVariable(name);
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) && !suggestions.length) {
    // No policy variable is a bare name (they are `iot:...`, `aws:...`): a template parameter.
    return {
      ruleId: 'template-syntax', tool: 'template',
      note: `\`${text}\` is not an AWS IoT policy variable (those are written \`service:Name\`, e.g. \`\${iot:ClientId}\`); it looks like a template parameter that a tool or script replaces`,
    };
  }
  const where = placed.place === 'condition-value' ? 'condition' : 'resource';
  return unknown('unknown', { text, place: where, suggestion: suggestions[0] }, suggestions.map(wrap));
}

/** `$${...}` (Terraform's escape) and the substitutions of template tools (`${AWS::Region}`, `${var.x}`). */
function templateVerdict(ref: VariableRef, placed: PlacedString): TemplateVariable | undefined {
  const { name, text } = ref;
  if (placed.sv.value[ref.start - 1] === '$') {
    const looks = name.includes(':') ? '' : ' (they look like `iot:...`)';
    return {
      ruleId: 'template-syntax', tool: 'Terraform',
      note: `\`$${text}\` is Terraform's escape for a literal \`\${\`: the rendered policy contains \`${text}\`, which is not an AWS IoT policy variable${looks}, so AWS leaves it as literal text`,
    };
  }
  const tpl = templateSubstitution(name);
  return tpl && { ruleId: 'template-syntax', tool: tpl.tool, note: `\`${text}\` is not an AWS IoT policy variable; ${tpl.note}` };
}

/** Did-you-mean names for an unknown variable (memoised: a pure function of the name). */
const suggestVariable = memoizeString((name) => suggestVariableUncached(name), 2000);

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

const REPORTS = {};

/**
 * The variable reports of the policy when some may be `template-syntax`, else none: the
 * classifier says `template-syntax` only of a `${name}` whose name is no policy variable, and a
 * cheap look at the names spares the whole classification when every name is known (the common
 * case; with statement reuse, the other variable rules classify only the statements that changed).
 */
export function templateCandidates(model: PolicyModel): readonly VariableReport[] {
  return hasModelMemo(model, REPORTS) || mayHoldTemplateVariables(model) ? variableReports(model) : [];
}

function mayHoldTemplateVariables(model: PolicyModel): boolean {
  const strings = model.strings;
  for (let i = 0; i < strings.length; i++) {
    const refs = strings[i].variables;
    for (let j = 0; j < refs.length; j++) {
      const ref = refs[j];
      if (ref.form === 'braces' && !ESCAPES.has(ref.name) && !isPolicyVariable(ref.name)) return true;
    }
  }
  return false;
}

/** Every variable report of the policy, computed once per model (seven rules share it). */
export function variableReports(model: PolicyModel): VariableReport[] {
  return modelMemo(model, REPORTS, (): VariableReport[] => {
    const out: VariableReport[] = [];
    for (const placed of placedVariableStrings(model)) {
      if (placed.place === 'other') continue;
      for (const ref of knownReferences(placed.sv)) {
        const v = classifyVariable(ref, placed);
        if (v) out.push({ ...v, span: ref.span });
      }
    }
    return out;
  });
}

/** Lower-cases the first letter of a sentence, but not of an acronym (`IAM`, `AWS`). */
export function lowerFirst(s: string): string {
  return /^[A-Z][A-Z0-9]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}
