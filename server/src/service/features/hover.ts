/**
 * Markdown hovers: policy variables, actions (and wildcard action patterns), resource ARNs,
 * condition operators and keys, `Effect`, `Version` and every element key. Everything comes from
 * the catalogue; this file only arranges it into words.
 */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ELEMENT_DOCS, IOT_CONTROL_PLANE_ACTIONS, IOT_POLICY_ACTIONS, OTHER_AWS_SERVICE_PREFIXES, RESERVED_TOPICS, RESOURCE_TYPES, UNDOCUMENTED_VARIABLES, VERSION_DOC, findAction, findControlPlaneAction, iamOnlyVariable, lookupVariable, lookupVariableIgnoreCase, parseResource, variableNamesForSuggestions, type ActionInfo, type ResourceType, type VariableInfo, type VariableMatch } from '../catalog';
import { namedActions } from '../analysis/actions';
import { BLOCKING_PROBLEMS, resourceRefOf, type ResourceRef } from '../analysis/resources';
import { nearest } from '../text/distance';
import { matchWildcard, parsePattern, patternsOverlap, type PatternToken } from '../match/wildcard';
import type {
  ConditionKeyEntry,
  ConditionOperatorEntry,
  PolicyModel,
  Property,
  Span,
  StatementModel,
  StringValue,
  VariableRef,
} from '../policy/model';
import {
  SET_OPERATOR_DOCS_URL,
  conditionKeyNamesForSuggestions,
  iamOnlyConditionKey,
  lookupConditionKey,
  operatorFitsKey,
  parseOperator,
  validateConditionValue,
  type ConditionBase,
} from '../catalog/conditions';

// ---- what is under the cursor -----------------------------------------------------------------

export type HoverTarget =
  | { kind: 'variable'; sv: StringValue; ref: VariableRef; place: 'resource' | 'condition-value' | 'other' }
  | { kind: 'topKey'; prop: Property }
  | { kind: 'statementKey'; prop: Property; st: StatementModel }
  | { kind: 'version'; sv: StringValue }
  | { kind: 'effect'; sv: StringValue; st: StatementModel }
  | { kind: 'action'; sv: StringValue; st: StatementModel; negated: boolean }
  | { kind: 'resource'; sv: StringValue; st: StatementModel; negated: boolean }
  | { kind: 'operator'; op: ConditionOperatorEntry; st: StatementModel }
  | { kind: 'conditionKey'; key: ConditionKeyEntry; op: ConditionOperatorEntry; st: StatementModel }
  | { kind: 'conditionValue'; sv: StringValue; key: ConditionKeyEntry; op: ConditionOperatorEntry; st: StatementModel };

function inSpan(span: Span, offset: number): boolean {
  return offset >= span.offset && offset < span.offset + span.length;
}

function inNode(node: { offset: number; length: number }, offset: number): boolean {
  return offset >= node.offset && offset <= node.offset + node.length;
}

function variableAt(sv: StringValue, offset: number): VariableRef | undefined {
  return sv.variables.find((v) => inSpan(v.span, offset) || (v.form === 'unclosed' && offset === v.span.offset + v.span.length && v.span.length > 0));
}

/** Finds the element under `offset` in the model. */
function hoverTarget(model: PolicyModel, offset: number): HoverTarget | undefined {
  const withVar = (sv: StringValue, place: 'resource' | 'condition-value' | 'other'): HoverTarget | undefined => {
    const ref = variableAt(sv, offset);
    return ref ? { kind: 'variable', sv, ref, place } : undefined;
  };
  for (const p of model.topProps) {
    if (inSpan(p.keySpan, offset)) return { kind: 'topKey', prop: p };
    if (p === model.version && model.versionValue && inSpan(model.versionValue.span, offset)) return { kind: 'version', sv: model.versionValue };
  }
  for (const st of model.statements) {
    if (!inNode(st.node, offset)) continue;
    for (const p of st.props) if (inSpan(p.keySpan, offset)) return { kind: 'statementKey', prop: p, st };
    if (st.effectValue && inSpan(st.effectValue.span, offset)) return { kind: 'effect', sv: st.effectValue, st };
    for (const [list, negated] of [[st.action, false], [st.notAction, true]] as const) {
      for (const sv of list?.items ?? []) if (inSpan(sv.span, offset)) return withVar(sv, 'other') ?? { kind: 'action', sv, st, negated };
    }
    for (const [list, negated] of [[st.resource, false], [st.notResource, true]] as const) {
      for (const sv of list?.items ?? []) if (inSpan(sv.span, offset)) return withVar(sv, 'resource') ?? { kind: 'resource', sv, st, negated };
    }
    for (const op of st.condition?.operators ?? []) {
      if (inSpan(op.prop.keySpan, offset)) return { kind: 'operator', op, st };
      for (const key of op.keys) {
        if (inSpan(key.prop.keySpan, offset)) return { kind: 'conditionKey', key, op, st };
        for (const v of key.values) {
          if (v.str && inSpan(v.str.span, offset)) return withVar(v.str, 'condition-value') ?? { kind: 'conditionValue', sv: v.str, key, op, st };
        }
      }
    }
  }
  // `${...}` in any other string (Sid, unknown elements): still explain it.
  for (const sv of model.strings) {
    if (inSpan(sv.span, offset)) return withVar(sv, 'other');
  }
  return undefined;
}

// ---- markdown helpers ----------------------------------------------------------------------------

/** Inline code that survives backticks in the text. */
function code(s: string): string {
  const ticks = /`+/.exec(s) ? '``' : '`';
  const pad = ticks.length > 1 || s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

function docsLink(url: string, title = 'AWS documentation'): string {
  return `[${title}](${url})`;
}

function bullets(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join('\n');
}

// ---- policy variables --------------------------------------------------------------------------

const CATEGORY_LABEL: Record<VariableInfo['category'], string> = {
  basic: 'basic policy variable',
  thing: 'thing policy variable',
  certificate: 'X.509 certificate policy variable',
  cognito: 'Amazon Cognito identity variable',
  escape: 'escape',
};

function placeLabel(p: string): string {
  return p === 'resource' ? '`Resource`' : 'condition values';
}

/** Markdown for a known variable (any form). */
export function variableMarkdown(written: string, m: VariableMatch): string {
  const v = m.info;
  const parts: string[] = [];
  parts.push(`**${code('${' + written + '}')}** — ${CATEGORY_LABEL[v.category]}`);
  if (m.form === 'attribute') parts.push(`The value of the thing attribute ${code(m.attribute ?? '')} of the connected thing. ${v.resolvesTo}`);
  else parts.push(v.resolvesTo);
  if (m.form === 'index') {
    parts.push(
      `${code('.' + m.index)} selects one value of the multi-valued attribute. AWS docs call the index one-based, yet say that ${code('.1')} is the second value: ` +
        `read literally (one-based) ${code('.' + m.index)} is value number ${m.index}; by the docs' example (zero-based) it is value number ${(m.index ?? 0) + 1}. ` +
        'A missing index is not substituted and authorisation fails.',
    );
  } else if (m.form === 'list') {
    parts.push(`${code('.List')} gives all values (at most five) as a list: use it with ${code('ForAnyValue:')} / ${code('ForAllValues:')} condition operators.`);
  } else if (v.multiValued) {
    parts.push(`Multi-valued: this form gives the first value; ${code(v.name + '.N')} selects another, ${code(v.name + '.List')} gives all of them.`);
  }
  if (v.category !== 'escape') parts.push(`**Available:** ${v.availability}`);
  parts.push(`**Usable in:** ${v.allowedIn.map(placeLabel).join(' and ')}${v.valueType !== 'string' ? ` · type ${code(v.valueType)}` : ''}`);
  const caveats = (v.caveats ?? []).filter((c) => !(m.form !== 'plain' && c.startsWith('Multi-valued')));
  if (caveats.length) parts.push(`**Caveats:**\n${bullets(caveats)}`);
  parts.push('**Example:**\n```json\n' + v.example + '\n```');
  parts.push(docsLink(v.docsUrl));
  return parts.join('\n\n');
}

function variableRefMarkdown(model: PolicyModel, ref: VariableRef, place: 'resource' | 'condition-value' | 'other'): string {
  const name = ref.name;
  const trimmed = name.trim();
  const notes: string[] = [];
  if (!model.variablesEnabled) {
    notes.push(
      `⚠️ The policy ${code('Version')} is ${model.versionValue ? code(model.versionValue.value) : 'missing (AWS then assumes `2008-10-17`)'}: ` +
        `variables are substituted only with ${code('"Version": "2012-10-17"')}, so here this is plain text.`,
    );
  }
  if (place === 'other' && ref.form !== 'parens') notes.push('Variables are substituted only in `Resource` and `Condition` values; here this is plain text.');
  if (ref.form === 'parens') {
    const esc = '${' + name + '}';
    return [
      `**${code(ref.text)}** — not an escape`,
      `The AWS IoT docs write the escapes as ${code('$(*)')}, ${code('$(?)')} and ${code('$($)')}; that is a documentation typo. ` +
        `IAM (and AWS IoT) read ${code(esc)}: here ${code(ref.text)} is plain text, so ${name === '*' || name === '?' ? `the ${code(name)} in it is still a wildcard` : 'it is literal'}.`,
      `Write ${code(esc)} for a literal ${code(name)}.`,
      docsLink('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html', 'IAM policy variables'),
    ].join('\n\n');
  }
  let head: string | undefined;
  if (ref.form === 'unclosed') head = `**Unclosed ${code('${')}** — add ${code('}')} after the name, or AWS reads ${code(ref.text)} as plain text.`;
  else if (ref.nested) head = `**Nested ${code('${')}** — a variable name cannot contain another variable.`;
  const m = lookupVariable(trimmed);
  if (m) {
    const body = variableMarkdown(trimmed, m);
    const placeNote =
      place === 'resource' && !m.info.allowedIn.includes('resource')
        ? [`${code(m.info.name)} is meant as a condition key (value ${code(m.info.valueType)}), not as part of a resource name.`]
        : [];
    const spaces = trimmed !== name ? [`The name has surrounding white space (${code(name)}): AWS does not trim it, so nothing is substituted.`] : [];
    return [head, ...notes, ...placeNote, ...spaces, body].filter(Boolean).join('\n\n');
  }
  const out: string[] = [];
  if (head) out.push(head);
  out.push(...notes);
  const comma = trimmed.indexOf(',');
  if (comma !== -1) {
    const base = trimmed.slice(0, comma).trim();
    out.push(
      `**${code(ref.text)}** — a variable with a default value. IAM supports ${code("${key, 'default'}")}; the AWS IoT docs do not mention default values, so do not rely on them.`,
    );
    const bm = lookupVariable(base);
    if (bm) out.push(variableMarkdown(base, bm));
    return out.join('\n\n');
  }
  const ci = lookupVariableIgnoreCase(trimmed);
  if (ci) {
    out.push(`**${code(ref.text)}** — variable names are case-sensitive: this is not substituted. Did you mean ${code('${' + ci.canonical + '}')}?`);
    out.push(variableMarkdown(ci.canonical, ci.match));
    return out.join('\n\n');
  }
  const und = UNDOCUMENTED_VARIABLES.get(trimmed);
  if (und) {
    out.push(`**${code(ref.text)}** — not a documented policy variable. ${und.why}`);
    out.push(`Use ${code('${' + und.suggestion + '}')}.`);
    const sm = lookupVariable(und.suggestion);
    if (sm) out.push(variableMarkdown(und.suggestion, sm));
    return out.join('\n\n');
  }
  const iam = iamOnlyVariable(trimmed);
  if (iam) {
    out.push(`**${code(ref.text)}** — works only in IAM policies, never in an AWS IoT policy. ${iam}`);
    return out.join('\n\n');
  }
  if (trimmed === '') {
    out.push(`**${code(ref.text)}** — an empty variable name.`);
    return out.join('\n\n');
  }
  const near = nearest(trimmed, variableNamesForSuggestions(), Math.max(3, Math.floor(trimmed.length / 3))).slice(0, 3);
  out.push(
    `**${code(ref.text)}** — unknown policy variable: AWS leaves it unsubstituted and the element does not match.` +
      (near.length ? ` Did you mean ${near.map((n) => code('${' + n + '}')).join(' or ')}?` : ''),
  );
  out.push(docsLink('https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-variables.html', 'AWS IoT policy variables'));
  return out.join('\n\n');
}

// ---- actions ---------------------------------------------------------------------------------

const GROUP_LABEL: Record<ActionInfo['group'], string> = {
  mqtt: 'MQTT action',
  retained: 'retained-message action',
  shadow: 'Device Shadow (HTTPS) action',
  jobs: 'jobs (HTTPS) action',
  credentials: 'credentials-provider action',
  connection: 'connection action',
  greengrass: 'Greengrass V2 data-plane action',
};

function resourceTypeLine(t: ResourceType): string {
  if (t === '*') return '`*` (no specific resource: the resource must be `*`)';
  const info = RESOURCE_TYPES.find((r) => r.type === t);
  return info ? `${code(t)} — ${code(info.template)}` : code(t);
}

/** Markdown for one catalogue action. */
export function actionMarkdown(a: ActionInfo): string {
  const parts: string[] = [];
  parts.push(`**${code(a.name)}** — ${GROUP_LABEL[a.group]}`);
  if (a.preferred) parts.push(`*Legacy spelling:* prefer ${code(a.preferred)}.`);
  parts.push(a.description);
  const types = a.resourceTypes;
  parts.push(
    `**Resource${types.length > 1 ? ' types' : ' type'}:** ${types.length === 1 ? resourceTypeLine(types[0]) : '\n' + bullets(types.map(resourceTypeLine))}\n\nThe resource name is ${a.resourceName}.`,
  );
  if (a.requires?.length) parts.push(`**Requires:** ${a.requires.map(code).join(', ')} (also granted, possibly by another attached policy)`);
  if (a.checked) parts.push(`**Checked:** ${a.checked}`);
  const notes = [...(a.notes ?? [])];
  if (a.noThingVariables && !notes.some((n) => n.includes('thing policy variables'))) notes.push('Thing policy variables do not resolve for this action.');
  if (a.fleetSensitive) {
    notes.push('Device Defender audits flag resources that cover every device for this action (such as `client/*`, `topic/$aws/things/*`, `thing/*`): scope it to the device with `${iot:Connection.Thing.ThingName}`.');
  }
  if (notes.length) parts.push(`**Notes:**\n${bullets(notes)}`);
  parts.push(docsLink(a.docsUrl));
  return parts.join('\n\n');
}

function actionHoverMarkdown(value: string): string {
  const trimmed = value.trim();
  if (trimmed !== value) return `${code(value)} has surrounding white space: action names are matched exactly, so it matches nothing.`;
  const exact = findAction(value);
  if (exact) {
    const caseNote = exact.name !== value ? `\n\n(Action names ignore case; the documented spelling is ${code(exact.name)}.)` : '';
    return actionMarkdown(exact) + caseNote;
  }
  if (value.includes('*') || value.includes('?')) {
    const matched = IOT_POLICY_ACTIONS.filter((a) => matchWildcard(value, a.name, { ignoreCase: true }));
    const control = IOT_CONTROL_PLANE_ACTIONS.filter((a) => matchWildcard(value, a, { ignoreCase: true }));
    const parts: string[] = [];
    if (value === '*') parts.push('**`*`** — every action.');
    else parts.push(`**${code(value)}** — an action pattern (\`*\` matches any characters, \`?\` one; case is ignored).`);
    if (matched.length) {
      const shown = matched.slice(0, 30);
      parts.push(
        `Matches ${matched.length} IoT policy action${matched.length === 1 ? '' : 's'}:\n` +
          bullets(shown.map((a) => `${code(a.name)}${a.preferred ? ' (legacy spelling)' : ''} — ${firstSentence(a.description)} Resource: ${a.resourceTypes.map(code).join(' or ')}.`)) +
          (matched.length > shown.length ? `\n- … and ${matched.length - shown.length} more` : ''),
      );
    } else parts.push('It matches no IoT policy action.');
    if (control.length) {
      parts.push(`It also matches ${control.length} IAM control-plane action${control.length === 1 ? '' : 's'} (e.g. ${control.slice(0, 3).map(code).join(', ')}), which have no effect in an IoT policy.`);
    }
    if (matched.length > 1 && value !== '*') parts.push('AWS advises against wildcard actions: list the actions the device needs.');
    return parts.join('\n\n');
  }
  const control = findControlPlaneAction(value);
  if (control) {
    return `**${code(control)}** — an IAM control-plane action. IoT policies govern only the data plane (connect, publish/subscribe/receive, shadows, job executions, credentials provider), so granting it here has no effect: grant it in an IAM policy.`;
  }
  const colon = value.indexOf(':');
  const prefix = colon === -1 ? '' : value.slice(0, colon).toLowerCase();
  if (prefix && OTHER_AWS_SERVICE_PREFIXES.has(prefix)) {
    return `**${code(value)}** — an action of another AWS service (${code(prefix)}). IoT policies evaluate only \`iot:\`, \`iotjobsdata:\` and \`greengrass:\` actions, so it has no effect here.`;
  }
  const near = nearest(value, IOT_POLICY_ACTIONS.map((a) => a.name)).slice(0, 3);
  return `**${code(value)}** — not an IoT policy action.${near.length ? ` Did you mean ${near.map(code).join(' or ')}?` : ''}`;
}

function firstSentence(s: string): string {
  const m = /^(.*?\.)(\s|$)/.exec(s);
  return m ? m[1] : s;
}

// ---- resources -------------------------------------------------------------------------------

const NOUN: Record<string, string> = {
  topic: 'topic',
  topicfilter: 'topic filter',
  client: 'client ID',
  thing: 'thing',
  rolealias: 'role alias',
};

/** A readable stand-in for a variable inside a described pattern. */
function variablePlaceholder(name: string): string {
  const n = name.trim();
  const m = lookupVariable(n);
  if (!m) return '${' + name + '}';
  if (m.info.category === 'escape') return m.info.name;
  switch (m.info.name) {
    case 'iot:Connection.Thing.ThingName':
      return '<thing name>';
    case 'iot:Connection.Thing.ThingTypeName':
      return '<thing type>';
    case 'iot:ClientId':
      return '<client ID>';
    case 'iot:CertificateId':
      return '<certificate ID>';
    case 'cognito-identity.amazonaws.com:sub':
      return '<Cognito identity ID>';
    case 'aws:SourceIp':
      return '<source IP>';
    case 'iot:DomainName':
      return '<domain name>';
    default:
      break;
  }
  if (m.form === 'attribute') return `<thing attribute ${m.attribute}>`;
  return `<${n.replace(/^iot:/, '')}>`;
}

function render(tokens: readonly PatternToken[]): string {
  return tokens.map((t) => (t.kind === 'lit' ? t.ch : t.kind === 'star' ? '*' : t.kind === 'one' ? '?' : variablePlaceholder(t.name))).join('');
}

/** Describes in words what a resource name pattern matches ("any topic under `fleet/<thing name>/`; `*` spans levels"). */
function describeNamePattern(type: string, name: string, variables: boolean): string {
  const noun = NOUN[type] ?? 'name';
  const tokens = parsePattern(name, { variables });
  const stars = tokens.filter((t) => t.kind === 'star').length;
  const ones = tokens.filter((t) => t.kind === 'one').length;
  const isTopic = type === 'topic' || type === 'topicfilter';
  const sentences: string[] = [];
  if (name === '') return `an empty ${noun} (matches nothing)`;
  if (!stars && !ones) {
    if (type === 'thing' && name.includes('/')) {
      const slash = name.indexOf('/');
      sentences.push(`exactly the named shadow ${code(render(parsePattern(name.slice(slash + 1), { variables })))} of the thing ${code(render(parsePattern(name.slice(0, slash), { variables })))}`);
    } else sentences.push(`exactly the ${noun} ${code(render(tokens))}`);
  } else if (stars === 1 && !ones && tokens[tokens.length - 1].kind === 'star') {
    const prefix = render(tokens.slice(0, -1));
    if (prefix === '') sentences.push(`any ${noun}`);
    else if (isTopic && prefix.endsWith('/')) sentences.push(`any ${noun} under ${code(prefix)}`);
    else sentences.push(`any ${noun} starting with ${code(prefix)}`);
  } else {
    sentences.push(`any ${noun} matching ${code(render(tokens))} (\`*\` matches any characters${ones ? ', `?` exactly one character' : ''})`);
  }
  if (isTopic && stars) sentences.push('`*` spans levels (it also matches `/`)');
  if (isTopic && ones) sentences.push('`?` matches exactly one character, `/` included');
  const mqtt = isTopic ? ['+', '#'].filter((ch) => name.includes(ch)) : [];
  if (mqtt.length) {
    const which = mqtt.map(code).join(' and ');
    const many = mqtt.length > 1;
    const lit = many ? 'are literal characters, not MQTT wildcards' : 'is a literal character, not an MQTT wildcard';
    sentences.push(
      type === 'topicfilter'
        ? `${which} here ${lit}: this matches a SUBSCRIBE whose filter is written so, not every filter or topic ${many ? 'they' : 'it'} would match in MQTT`
        : `${which} here ${lit} (and MQTT topic names cannot contain ${many ? 'them' : 'it'})`,
    );
  }
  return sentences.join('; ');
}

const FAMILY_LABEL: Record<string, string> = {
  shadow: 'classic shadow',
  'named-shadow': 'named shadow',
  jobs: 'jobs',
  events: 'lifecycle and registry events',
  provisioning: 'fleet provisioning',
  greengrass: 'Greengrass',
  defender: 'Device Defender',
  rules: 'Basic Ingest',
};

let reservedPatterns: { topic: (typeof RESERVED_TOPICS)[number]; tokens: PatternToken[] }[] | undefined;

/**
 * The reserved topics a topic pattern could name. In a reserved topic template
 * `${iot:Connection.Thing.ThingName}` and `<name>` stand for one topic level, and so does a
 * variable of the policy pattern, while its `*` spans levels.
 */
function reservedTopicsMatching(name: string, variables: boolean): (typeof RESERVED_TOPICS)[number][] {
  reservedPatterns ??= RESERVED_TOPICS.map((topic) => ({
    topic,
    tokens: parsePattern(topic.template.replace(/<([^>]*)>/g, (_m, n: string) => `\${${n}}`), { variables: true }),
  }));
  const p = parsePattern(name, { variables });
  return reservedPatterns.filter((r) => patternsOverlap(p, r.tokens, { variables: 'level' })).map((r) => r.topic);
}

/** Reserved topics a topic or filter pattern names or covers. */
function reservedTopicLines(name: string, type: string, variables: boolean): string[] {
  if (!name.startsWith('$') && !name.startsWith('*')) return [];
  const out: string[] = [];
  if (type === 'topicfilter' && name.startsWith('$share/')) {
    out.push('A shared subscription (`$share/<share name>/<filter>`): messages on the filter are delivered to one subscriber of the group.');
    return out;
  }
  if (name.startsWith('*')) return [];
  const hits = reservedTopicsMatching(name, variables);
  if (!hits.length) {
    if (name.startsWith('$aws/')) out.push('`$aws/` topics are reserved for AWS IoT services; this one is not a documented reserved topic.');
    return out;
  }
  const literal = !name.includes('*') && !name.includes('?');
  if (hits.length === 1 || literal) {
    const h = hits[0];
    out.push(`**Reserved topic** (${FAMILY_LABEL[h.family]}): ${h.description} Devices ${h.direction === 'publish' ? 'publish to it' : h.direction === 'subscribe' ? 'subscribe to it' : 'publish and subscribe to it'}.`);
    return out;
  }
  const byFamily = new Map<string, number>();
  for (const h of hits) byFamily.set(h.family, (byFamily.get(h.family) ?? 0) + 1);
  out.push(
    `**Covers reserved topics:** ${[...byFamily].map(([f, n]) => `${FAMILY_LABEL[f]} (${n})`).join(', ')}.` +
      (hits.length > 4 ? ' AWS advises against wildcards over reserved topics: new topics may be added.' : ''),
  );
  return out;
}

function variableLines(name: string, variables: boolean): string[] {
  if (!variables) return name.includes('${') ? ['`${...}` is plain text here: the policy `Version` is not `2012-10-17`.'] : [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of parsePattern(name, { variables: true })) {
    if (t.kind !== 'var' || seen.has(t.name)) continue;
    seen.add(t.name);
    const m = lookupVariable(t.name.trim());
    if (m) out.push(`${code('${' + t.name + '}')}: ${m.form === 'attribute' ? `the thing attribute ${code(m.attribute ?? '')}. ` : ''}${m.info.resolvesTo}${m.info.category === 'thing' ? ' Resolves only when the certificate is attached to the thing.' : ''}`);
    else out.push(`${code('${' + t.name + '}')}: not a known policy variable (not substituted; the resource does not match).`);
  }
  for (const esc of ['*', '?', '$']) if (name.includes('${' + esc + '}')) out.push(`${code('${' + esc + '}')}: a literal ${code(esc)}.`);
  return out;
}

/** Longer resource names are not described pattern by pattern (see resourceHoverMarkdown). */
const MAX_DESCRIBED_NAME = 4096;

function resourceHoverMarkdown(model: PolicyModel, ref: ResourceRef, st: StatementModel, negated: boolean): string {
  const parts: string[] = [];
  const value = ref.value;
  const r = ref.parsed;
  const not = negated ? ' (`NotResource`: the statement applies to every resource except this)' : '';
  if (r.all && negated) return '**`*`** in `NotResource` — the statement applies to every resource except all of them, that is to none: it has no effect.';
  if (r.all) {
    parts.push(`**\`*\`** — every resource${not}: any client ID, topic, topic filter, thing and role alias in the account and region.`);
    parts.push('Required for actions without a resource, such as `iot:ListRetainedMessages` and several Greengrass actions. For others it is the broadest possible grant: prefer an ARN.');
    return parts.join('\n\n');
  }
  if (!r.isArn) {
    parts.push(`**${code(value)}** — not a resource ARN${not}. Resources are \`*\` or \`arn:aws:iot:<region>:<account>:<type>/<name>\`.`);
    return parts.join('\n\n');
  }
  const where = [
    r.region ? (r.region.text === '*' ? 'any region' : `region ${code(r.region.text)}`) : undefined,
    r.account ? (r.account.text === '*' ? 'any account' : `account ${code(r.account.text)}`) : undefined,
  ].filter(Boolean);
  const type = ref.type;
  if (type === undefined) {
    const p = r.problems.find((x) => BLOCKING_PROBLEMS.has(x.kind));
    parts.push(`**${code(value)}**${not} — ${p ? `the ARN ${p.message}.` : 'not a resource IoT policies authorise.'}`);
    return parts.join('\n\n');
  }
  if (type === 'componentVersion' || type === 'other:greengrass') {
    parts.push(`**Greengrass component version ARN**${not} — authorised by \`greengrass:GetComponentVersionArtifact\`.`);
    if (where.length) parts.push(`In ${where.join(', ')}.`);
    return parts.join('\n\n');
  }
  if (type.startsWith('other:')) {
    parts.push(`**${code(value)}** — an ARN of the AWS service ${code(type.slice('other:'.length))}${not}. IoT policies only authorise IoT resources, so this matches nothing an IoT policy governs.`);
    return parts.join('\n\n');
  }
  if (type === '*') {
    parts.push(`**IoT ARN for every resource type**${not}: any client ID, topic, topic filter, thing and role alias${where.length ? ` in ${where.join(', ')}` : ''}.`);
    return parts.join('\n\n');
  }
  const typeInfo = RESOURCE_TYPES.find((t) => t.type === type);
  if (!typeInfo) {
    parts.push(`**${code(value)}**${not} — the resource type ${code(type)} is not one IoT policies authorise.`);
    return parts.join('\n\n');
  }
  parts.push(`**${code(type)} ARN**${not} — ${typeInfo.description}`);
  const name = ref.name ?? '';
  if (name.length > MAX_DESCRIBED_NAME) {
    // Far beyond any real resource (a whole policy is at most 2,048 characters): describing it
    // would tokenise and echo megabytes into the hover.
    parts.push(`Matches one ${NOUN[type] ?? 'name'} pattern of ${name.length.toLocaleString('en-US')} characters, too long to show here (AWS IoT topics are at most 256 bytes, and a whole policy at most 2,048 characters).${where.length ? ` In ${where.join(', ')}.` : ''}`);
    parts.push(`Template: ${code(typeInfo.template)}`);
    return parts.join('\n\n');
  }
  parts.push(`Matches ${describeNamePattern(type, name, model.variablesEnabled)}.${where.length ? ` In ${where.join(', ')}.` : ''}`);
  const vars = variableLines(name, model.variablesEnabled);
  if (vars.length) parts.push(bullets(vars));
  if (type === 'topic' || type === 'topicfilter') parts.push(...reservedTopicLines(name, type, model.variablesEnabled));
  const fits = IOT_POLICY_ACTIONS.filter((a) => !a.preferred && a.resourceTypes.includes(typeInfo.type)).map((a) => a.name);
  if (fits.length) parts.push(`Used by: ${fits.map(code).join(', ')}.`);
  const misfits = namedActions(model, st)
    .map((a) => a.infos[0])
    .filter((a) => !a.resourceTypes.some((t) => t === '*' || t === typeInfo.type));
  if (misfits.length) {
    parts.push(`⚠️ In this statement ${misfits.map((a) => `${code(a.name)} is authorised against ${a.resourceTypes.map(code).join(' or ')}`).join(', ')}, not ${code(type)}.`);
  }
  parts.push(`Template: ${code(typeInfo.template)}`);
  return parts.join('\n\n');
}

// ---- conditions --------------------------------------------------------------------------------

const BASE_LABEL: Record<ConditionBase, string> = {
  String: 'string',
  Numeric: 'numeric',
  Date: 'date',
  Bool: 'Boolean',
  Binary: 'binary',
  IpAddress: 'IP address',
  Arn: 'ARN',
  Null: 'existence',
};

const SET_PREFIX_DOCS: Record<'ForAnyValue' | 'ForAllValues', string> = {
  ForAnyValue:
    '`ForAnyValue:` — for multi-valued keys (`.List` certificate keys, `iot:ConnectAttributes`): true when **at least one** value of the key matches one of the condition values. False when the key has no values.',
  ForAllValues:
    '`ForAllValues:` — for multi-valued keys: true when **every** value of the key matches one of the condition values. Also true when the key is absent or empty, so pair it with a check that the key exists when that matters.',
};

const IF_EXISTS_DOC = '`IfExists` — when the key is absent from the request the condition is true; when it is present the operator applies as usual.';

/** Markdown for a condition operator such as `ForAllValues:StringNotEqualsIfExists`. */
export function conditionOperatorMarkdown(name: string): string {
  const p = parseOperator(name);
  if (!p.valid || !p.operator) {
    return `**${code(name)}** — not a valid condition operator${p.problem ? `: ${p.problem}` : ''}.${p.suggestion ? ` Did you mean ${code(p.suggestion)}?` : ''}\n\n${docsLink('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html', 'IAM condition operators')}`;
  }
  const o = p.operator;
  const parts: string[] = [`**${code(name)}** — ${BASE_LABEL[o.base]} condition operator${p.setPrefix || p.ifExists ? ` (${code(o.name)}${p.ifExists ? ' + `IfExists`' : ''}${p.setPrefix ? `, set operator ${code(p.setPrefix + ':')}` : ''})` : ''}`];
  parts.push(o.description);
  const facts: string[] = [];
  if (o.wildcards) facts.push('`*` and `?` are wildcards in the values.');
  if (o.variablesInValues) facts.push('Policy variables (`${...}`) are substituted in the values.');
  else facts.push('Policy variables are not substituted in the values.');
  if (o.ignoreCase) facts.push('Case is ignored.');
  if (o.base === 'Bool' || o.base === 'Null') facts.push('Values: `"true"` or `"false"`.');
  if (facts.length) parts.push(facts.join(' '));
  if (p.ifExists) parts.push(IF_EXISTS_DOC);
  if (p.setPrefix) parts.push(SET_PREFIX_DOCS[p.setPrefix]);
  parts.push('Several values for one key are ORed; several keys (and operators) in one `Condition` are ANDed.');
  parts.push(docsLink(o.docsUrl, 'IAM condition operators') + (p.setPrefix ? ' · ' + docsLink(SET_OPERATOR_DOCS_URL, 'multi-valued keys') : ''));
  return parts.join('\n\n');
}

/** Markdown for a condition key used under `operator`. */
export function conditionKeyMarkdown(key: string, operator: string): string {
  if (key.includes('${')) return `**${code(key)}** — condition key names never take policy variables: the key is compared by name, so this matches no key.`;
  const m = lookupConditionKey(key);
  if (!m) {
    const iam = iamOnlyConditionKey(key);
    if (iam) return `**${code(key)}** — not usable in an AWS IoT policy. ${iam}`;
    const near = nearest(key, conditionKeyNamesForSuggestions()).slice(0, 3);
    return `**${code(key)}** — not a condition key AWS IoT policies document: the condition compares a missing key.${near.length ? ` Did you mean ${near.map(code).join(' or ')}?` : ''}`;
  }
  const info = m.info;
  const parts: string[] = [`**${code(m.canonical)}** — condition key · ${code(info.valueType)}${info.multiValued ? ' · multi-valued' : ''}`];
  if (m.caseDiffers) parts.push(`(Written ${code(key)}: keys are matched without case, but the documented spelling is ${code(m.canonical)}.)`);
  parts.push(info.description);
  if (info.values?.length) parts.push(`**Values:** ${info.values.map(code).join(', ')}`);
  if (info.appliesTo) parts.push(`**Applies to:** ${info.appliesTo}`);
  const v = lookupVariable(m.canonical);
  if (v && v.info.category !== 'escape') parts.push(`**Available:** ${v.info.availability}`);
  const p = parseOperator(operator);
  if (p.valid && p.base) {
    const fit = operatorFitsKey(p.base, info.valueType);
    if (fit === 'mismatch') parts.push(`⚠️ ${code(operator)} compares ${BASE_LABEL[p.base]} values, but this key is ${code(info.valueType)}: the condition never matches as intended.`);
    else if (fit === 'loose') parts.push(`${code(operator)} compares this ${code(info.valueType)} key as text.`);
    if (info.multiValued && !p.setPrefix) parts.push(`This key can hold several values: use ${code('ForAnyValue:' + (p.operator?.name ?? operator))} or ${code('ForAllValues:' + (p.operator?.name ?? operator))}.`);
  }
  parts.push(docsLink(info.docsUrl));
  return parts.join('\n\n');
}

const CONNECT_ATTRIBUTE_DOCS: Record<string, string> = {
  PersistentConnect: '**`PersistentConnect`** — the CONNECT asks for a persistent session (clean session = 0, or an MQTT 5 session expiry): subscriptions and queued messages survive a disconnect.',
  LastWill: '**`LastWill`** — the CONNECT carries a will message, published to `iot:LastWillTopic` when the client disconnects unexpectedly.',
};

/** Markdown for a string condition value, or undefined when there is nothing to say. */
function conditionValueMarkdown(value: string, key: string, operator: string): string | undefined {
  const p = parseOperator(operator);
  const m = lookupConditionKey(key);
  const parts: string[] = [];
  if (m?.info.name === 'iot:ConnectAttributes') {
    parts.push(CONNECT_ATTRIBUTE_DOCS[value] ?? `**${code(value)}** — not a documented connect attribute: the values are \`PersistentConnect\` and \`LastWill\`.`);
  } else if (p.base === 'Null') {
    parts.push(value === 'true' ? `**\`true\`** — the condition holds when ${code(key)} is **absent** from the request.` : value === 'false' ? `**\`false\`** — the condition holds when ${code(key)} is **present** in the request.` : '');
  } else if (p.base === 'Bool') {
    if (value === 'true' || value === 'false') parts.push(`**${code(value)}** — the condition holds when ${code(key)} is ${value}.`);
  } else if (m?.info.name === 'iot:LastWillTopic' && value.startsWith('arn:')) {
    const r = parseResource(value);
    if (r.resourceType?.text === 'topic') parts.push(`**Will topic** — matches ${describeNamePattern('topic', r.name?.text ?? '', true)}.`);
  }
  if (p.valid && p.base) {
    const problem = validateConditionValue(p.base, value);
    if (problem) parts.push(`⚠️ ${problem}.`);
  }
  const text = parts.filter(Boolean).join('\n\n');
  return text || undefined;
}

// ---- elements, Version, Effect ----------------------------------------------------------------

function elementMarkdown(key: string, where: 'top' | 'statement'): string | undefined {
  const doc = ELEMENT_DOCS[key];
  const topKeys = ['Version', 'Statement', 'Id'];
  if (doc && (where === 'top') === topKeys.includes(key)) return `**${code(key)}**\n\n${doc}`;
  if (key === 'Principal' || key === 'NotPrincipal') {
    return `**${code(key)}** — not used in AWS IoT policies. IoT policies are attached to principals (certificates, Amazon Cognito identities, thing groups), so a principal element has no meaning there.`;
  }
  if (doc) return `**${code(key)}** belongs ${where === 'top' ? 'inside a statement' : 'at the top level of the policy'}.\n\n${doc}`;
  const known = where === 'top' ? topKeys : ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
  const near = nearest(key, known).slice(0, 1);
  return `**${code(key)}** — not a policy ${where === 'top' ? 'top-level' : 'statement'} element (element names are case-sensitive).${near.length ? ` Did you mean ${code(near[0])}?` : ''} Known: ${known.map(code).join(', ')}.`;
}

function versionValueMarkdown(value: string): string {
  if (value === '2012-10-17') return `**\`2012-10-17\`** — the current policy language version: policy variables (\`\${...}\`) are substituted.\n\n${VERSION_DOC}`;
  if (value === '2008-10-17') return `**\`2008-10-17\`** — the legacy policy language version: \`\${...}\` is plain text, never a variable. Use \`2012-10-17\`.\n\n${VERSION_DOC}`;
  return `**${code(value)}** — not a policy language version. The versions are \`2012-10-17\` (current) and \`2008-10-17\` (legacy).\n\n${VERSION_DOC}`;
}

function effectValueMarkdown(value: string): string {
  if (value === 'Allow') return '**`Allow`** — the statement grants the listed actions on the listed resources (when its conditions hold). Everything not allowed is denied by default.';
  if (value === 'Deny') return '**`Deny`** — the statement refuses the listed actions on the listed resources. An explicit `Deny` in any policy attached to the principal or its thing groups overrides every `Allow`.';
  return `**${code(value)}** — not a valid effect: use exactly \`Allow\` or \`Deny\` (case-sensitive).\n\n${ELEMENT_DOCS.Effect}`;
}

// ---- entry point -----------------------------------------------------------------------------

function rangeOf(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.offset), end: doc.positionAt(span.offset + span.length) };
}

function markdown(doc: TextDocument, value: string, span: Span): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(doc, span) };
}

/** Span of a string literal's contents (without the quotes). */
function contentsSpan(sv: StringValue): Span {
  return sv.spanOf(0, sv.value.length);
}

/** Markdown hover for the element under `position`, or null. */
export function doHover(doc: TextDocument, model: PolicyModel, position: Position): Hover | null {
  const offset = doc.offsetAt(position);
  const t = hoverTarget(model, offset);
  if (!t) return null;
  switch (t.kind) {
    case 'variable':
      return markdown(doc, variableRefMarkdown(model, t.ref, t.place), t.ref.span);
    case 'topKey': {
      const md = elementMarkdown(t.prop.key, 'top');
      return md ? markdown(doc, md, t.prop.keySpan) : null;
    }
    case 'statementKey': {
      const md = elementMarkdown(t.prop.key, 'statement');
      return md ? markdown(doc, md, t.prop.keySpan) : null;
    }
    case 'version':
      return markdown(doc, versionValueMarkdown(t.sv.value), t.sv.span);
    case 'effect':
      return markdown(doc, effectValueMarkdown(t.sv.value), t.sv.span);
    case 'action':
      return markdown(doc, (t.negated ? '*`NotAction`: the statement applies to every action except those listed.*\n\n' : '') + actionHoverMarkdown(t.sv.value), contentsSpan(t.sv));
    case 'resource':
      return markdown(doc, resourceHoverMarkdown(model, resourceRefOf(model, t.st, t.sv), t.st, t.negated), contentsSpan(t.sv));
    case 'operator':
      return markdown(doc, conditionOperatorMarkdown(t.op.operator), t.op.prop.keySpan);
    case 'conditionKey':
      return markdown(doc, conditionKeyMarkdown(t.key.key, t.op.operator), t.key.prop.keySpan);
    case 'conditionValue': {
      const md = conditionValueMarkdown(t.sv.value, t.key.key, t.op.operator);
      return md ? markdown(doc, md, contentsSpan(t.sv)) : null;
    }
  }
}
