/**
 * Quick fixes per rule id. Each provider reads the finding's `data` (documented above each rule)
 * and the policy model; none reads the message.
 */
import type { AnalyzedFinding } from '../analyze';
import { CURRENT_VERSION, lookupVariable, parseResource, UNDOCUMENTED_VARIABLES } from '../catalog';
import type { Span, StatementModel, StringValue, VariableRef } from '../policy/model';
import { IS_ATTACHED_CONDITION, actionNames, conditionChanges, dataOf, hasIsAttached, setVersionEdits, spanText, statementAt, statementFor, stringAt, suggestionsOf } from './helpers';
import { always, single, suggestionFixes } from './suggestions';
export { genericSuggestions } from './suggestions';
import { isSpan } from '../text/span';
import type { OffsetEdit } from '../text/edits';
import type { Fix, FixContext, FixProvider, StatementChange } from './types';

const THING_VAR = '${iot:Connection.Thing.ThingName}';

/**
 * json-syntax: raw replacements (`''` deletes), or `insert: { offset, text }` for a missing comma,
 * brace or quote; `edits` (characters JSON does not allow, one finding per document) fixes every
 * occurrence at once.
 */
const jsonSyntax: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  if (d.kind === 'character' && Array.isArray(d.edits)) {
    const edits = (d.edits as unknown[]).filter((e): e is OffsetEdit => isSpan(e) && typeof (e as { text?: unknown }).text === 'string')
      .filter((e) => e.offset + e.length <= ctx.text.length);
    if (edits.length) {
      const cp = typeof d.codePoint === 'string' ? d.codePoint : 'character';
      const spaces = edits.every((e) => e.text.length > 0);
      return [{
        title: `${spaces ? 'Replace' : 'Delete'} every ${cp}${spaces ? ' with a space' : ''}${edits.length > 1 ? ` (${edits.length} places)` : ''}`,
        edits: edits.map((e) => ctx.writer.replaceSpan(e, e.text, true)),
        preferred: true,
        safe: true,
      }];
    }
  }
  const fixes = suggestionFixes(ctx, f, { preferred: single, raw: true, title: (s, cur) => (s === '' ? `Delete '${cur}'` : `Replace '${cur}' with '${s}'`) });
  const ins = dataOf(f).insert as { offset?: unknown; text?: unknown } | undefined;
  if (ins && typeof ins.offset === 'number' && typeof ins.text === 'string' && ins.offset >= 0 && ins.offset <= ctx.text.length) {
    fixes.push({ title: `Insert '${ins.text}'`, edits: [ctx.writer.replaceSpan({ offset: ins.offset, length: 0 }, ins.text, true)], preferred: !fixes.length });
  }
  return fixes;
};

// ---------------------------------------------------------------------------------------------
// Elements and values

const unknownElement: FixProvider = (ctx, f) => {
  // Renaming a key to one the object already has would make a duplicate key.
  const sugg = suggestionsOf(f);
  const siblings = siblingKeys(ctx, f.span);
  const usable = sugg.filter((s) => !siblings.has(s));
  if (!usable.length) return [];
  return suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: usable } }, {
    safe: (_c, _f, s) => s.length === 1 && sugg.length === 1,
    preferred: (_c, _f, s) => s.length === 1,
    title: (s, cur) => `Rename '${cur}' to '${s}'`,
  });
};

function siblingKeys(ctx: FixContext, span: Span): Set<string> {
  const m = ctx.model;
  const props = [m.topProps, ...m.statements.map((st) => st.props)].find((ps) => ps.some((p) => p.keySpan.offset <= span.offset && span.offset < p.keySpan.offset + p.keySpan.length));
  return new Set((props ?? []).map((p) => p.key));
}

const invalidEffect: FixProvider = (ctx, f) => {
  const current = spanText(ctx, f.span).trim().toLowerCase();
  const sugg = suggestionsOf(f).length ? suggestionsOf(f) : ['Allow', 'Deny'];
  const caseOnly = sugg.find((s) => s.toLowerCase() === current);
  const ordered = caseOnly ? [caseOnly, ...sugg.filter((s) => s !== caseOnly)] : sugg;
  return suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: ordered } }, {
    safe: () => !!caseOnly,
    preferred: () => !!caseOnly,
    title: (s) => `Set Effect to '${s.replace(/^"(.*)"$/, '$1')}'`,
  });
};

// ---------------------------------------------------------------------------------------------
// Version


const setVersion: FixProvider = (ctx, f) => {
  const edits = setVersionEdits(ctx);
  if (!edits.length) return [];
  const replacing = !!ctx.model.version;
  const title = f.ruleId === 'variables-require-2012-10-17'
    ? `Set Version to ${CURRENT_VERSION} so that policy variables are substituted`
    : replacing ? `Set Version to ${CURRENT_VERSION}` : `Add "Version": "${CURRENT_VERSION}"`;
  return [{ title, edits, preferred: true, safe: true }];
};

const invalidVersion: FixProvider = (ctx, f) => {
  const sugg = suggestionsOf(f);
  const list = sugg.length ? sugg : [CURRENT_VERSION];
  const fixes: Fix[] = list.slice(0, 2).map((s, i) => {
    const v = ctx.model.versionValue;
    const edits = v && v.value === '' ? [{ offset: v.span.offset, length: v.span.length, text: JSON.stringify(s) }] : [ctx.writer.replaceSpan(f.span, s)];
    return { title: `Set Version to ${s}`, edits, preferred: i === 0, safe: i === 0 };
  });
  return fixes;
};

// ---------------------------------------------------------------------------------------------
// Policy variables

/** The `${...}` reference that the finding points into. */
function variableAt(ctx: FixContext, span: Span): { sv: StringValue; ref: VariableRef } | undefined {
  const sv = stringAt(ctx.model, span);
  if (!sv) return undefined;
  const ref = sv.variables.find((r) => span.offset >= r.span.offset && span.offset <= r.span.offset + r.span.length);
  return ref ? { sv, ref } : undefined;
}

/** Replaces the variable's name (keeps `${` and `}`). */
function renameVariable(ctx: FixContext, f: AnalyzedFinding, name: string): OffsetEdit[] {
  const at = variableAt(ctx, f.span);
  if (at && at.ref.form === 'braces') return [ctx.writer.replaceInString(at.sv, at.ref.start + 2, at.ref.end - 1, name)];
  return [ctx.writer.replaceSpan(f.span, name)];
}

/** Suggestions may be names or whole `${name}` references; fit them to the span. */
function fitVariableSuggestion(ctx: FixContext, f: AnalyzedFinding, s: string): string {
  const at = variableAt(ctx, f.span);
  const whole = at ? at.ref.span.offset === f.span.offset && at.ref.span.length === f.span.length : spanText(ctx, f.span).startsWith('${');
  const m = /^\$\{(.*)\}$/.exec(s);
  if (whole && !m) return `\${${s}}`;
  if (!whole && m) return m[1];
  return s;
}

function variableSuggestions(safe: (s: string[]) => boolean): FixProvider {
  return (ctx, f) => {
    const sugg = suggestionsOf(f).map((s) => fitVariableSuggestion(ctx, f, s));
    const fixes = suggestionFixes(ctx, { ...f, data: { ...dataOf(f), suggestions: sugg } }, {
      safe: (_c, _f, s) => safe(s),
      preferred: (_c, _f, s) => s.length === 1,
      title: (s, cur) => `Change '${cur}' to '${s}'`,
    });
    // A whole `${name}` replaced by another: change only the name, so that escapes such as
    // `\u0024{` and the braces stay as written.
    const at = variableAt(ctx, f.span);
    if (!at || at.ref.form !== 'braces' || at.ref.span.offset !== f.span.offset || at.ref.span.length !== f.span.length) return fixes;
    return fixes.map((fix) => {
      const m = /^Change '.*' to '\$\{(.*)\}'$/s.exec(fix.title);
      return m ? { ...fix, edits: renameVariable(ctx, f, m[1]) } : fix;
    });
  };
}

const undocumentedVariable: FixProvider = (ctx, f) => {
  if (suggestionsOf(f).length) return variableSuggestions(always)(ctx, f).map((x, i) => ({ ...x, preferred: i === 0, safe: i === 0 }));
  const at = variableAt(ctx, f.span);
  const doc = at && UNDOCUMENTED_VARIABLES.get(at.ref.name.trim());
  if (!at || !doc) return [];
  return [{ title: `Change to \${${doc.suggestion}}`, edits: renameVariable(ctx, f, doc.suggestion), preferred: true, safe: true }];
};

const policyVariableSyntax: FixProvider = (ctx, f) => {
  const fixes: Fix[] = [];
  const at = variableAt(ctx, f.span);
  if (at) {
    const { sv, ref } = at;
    const name = ref.name.trim();
    if (ref.form === 'parens') {
      fixes.push({ title: `Change '${ref.text}' to '\${${ref.name}}'`, edits: [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${ref.name}}`)], preferred: true, safe: true });
    } else if (ref.form === 'unclosed' && !ref.nested) {
      if (name) {
        const known = !!lookupVariable(name);
        const edits = name === ref.name ? [ctx.writer.replaceInString(sv, ref.end, ref.end, '}')] : [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${name}}`)];
        fixes.push({ title: `Close the variable: '\${${name}}'`, edits, preferred: true, safe: known });
      }
    } else if (ref.form === 'braces' && name !== ref.name && name && !ref.nested) {
      // White space inside the braces.
      fixes.push({ title: `Remove the white space: '\${${name}}'`, edits: [ctx.writer.replaceInString(sv, ref.start, ref.end, `\${${name}}`)], preferred: true, safe: !!lookupVariable(name) });
    }
  }
  // Rule-provided replacements, when the model gave nothing.
  if (!fixes.length) fixes.push(...suggestionFixes(ctx, f, { preferred: single }));
  return fixes;
};

// ---------------------------------------------------------------------------------------------
// Resources

/**
 * arn-placeholder: every occurrence of the placeholder (data `occurrences`) replaced with the
 * configured default region / account (offered only when it is configured), or `aws` for a
 * partition.
 */
const arnPlaceholder: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const defaults = ctx.config?.defaults ?? {};
  let value: string | undefined;
  let source = '';
  if (d.part === 'region' && defaults.region) [value, source] = [defaults.region, ' (iotPolicy.defaults.region)'];
  else if (d.part === 'account' && defaults.accountId) [value, source] = [defaults.accountId, ' (iotPolicy.defaults.accountId)'];
  else if (d.part === 'partition') [value, source] = [defaults.partition ?? suggestionsOf(f)[0] ?? 'aws', defaults.partition ? ' (defaults.partition)' : ''];
  if (!value) return [];
  const spans = Array.isArray(d.occurrences) ? d.occurrences.filter(isSpan) : [];
  if (!spans.some((x) => x.offset === f.span.offset && x.length === f.span.length)) spans.unshift(f.span);
  const many = spans.length > 1 ? ` (${spans.length} places)` : '';
  return [{
    title: `Replace '${spanText(ctx, f.span)}' with '${value}'${source}${many}`,
    edits: spans.map((x) => ctx.writer.replaceSpan(x, value!)),
    preferred: true,
    safe: d.part !== 'partition' || !!defaults.partition,
  }];
};

const resourceTypeMismatch: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const fixes: Fix[] = [];
  const replaceWith = typeof d.replaceWith === 'string' ? d.replaceWith : undefined;
  if (replaceWith && Array.isArray(d.typeSpans)) {
    const spans = d.typeSpans.filter(isSpan);
    const words = [...new Set(spans.map((s) => spanText(ctx, s)))];
    fixes.push({
      title: `Change ${words.map((w) => `'${w}/'`).join(', ')} to '${replaceWith}/'`,
      edits: spans.map((s) => ctx.writer.replaceSpan(s, replaceWith)),
      preferred: true,
      safe: true,
    });
  } else if (replaceWith && typeof d.type === 'string' && typeof d.thingName === 'string') {
    // `topic/$aws/things/<thing>/shadow/...` written for a thing action: the ARN is `thing/<thing>`.
    const sv = stringAt(ctx.model, f.span);
    const p = sv && parseResource(sv.value);
    if (sv && p?.resourceType) {
      const thing = `${replaceWith}/${d.thingName}`;
      fixes.push({ title: `Change '${d.type}/${p.name?.text ?? ''}' to '${thing}'`, edits: [ctx.writer.replaceInString(sv, p.resourceType.start, sv.value.length, thing)], preferred: true, safe: true });
    }
  } else if (replaceWith && typeof d.type === 'string') {
    const swap = TOPIC_FAMILY.has(d.type) && TOPIC_FAMILY.has(replaceWith);
    fixes.push({ title: `Change '${d.type}/' to '${replaceWith}/'`, edits: [ctx.writer.replaceSpan(f.span, replaceWith)], preferred: true, safe: swap });
    // The same mistake on the other resources of the statement, in one go.
    const st = statementAt(ctx.model, f.span);
    const byStatement = ctx.memo('type-words', () => {
      const m = new Map<StatementModel | undefined, AnalyzedFinding[]>();
      for (const g of ctx.findings) {
        if (g.ruleId !== 'resource-type-mismatch' || typeof dataOf(g).replaceWith !== 'string' || typeof dataOf(g).type !== 'string') continue;
        const k = statementAt(ctx.model, g.span);
        m.set(k, [...(m.get(k) ?? []), g]);
      }
      return m;
    });
    const same = (byStatement.get(st) ?? []).filter((g) => dataOf(g).type === d.type && dataOf(g).replaceWith === replaceWith);
    if (st && same.length > 1) {
      fixes.push({ title: `Change all ${same.length} '${d.type}/' of this statement to '${replaceWith}/'`, edits: same.map((g) => ctx.writer.replaceSpan(g.span, replaceWith)) });
    }
  }
  if (Array.isArray(d.split)) {
    const st = statementFor(ctx, f);
    const groups = (d.split as { actions?: unknown; resourceType?: unknown }[]).filter(
      (g) => Array.isArray(g.actions) && typeof g.resourceType === 'string',
    ) as { actions: string[]; resourceType: string }[];
    const edits = st && groups.length > 1 ? splitStatement(ctx, st, groups) : [];
    if (edits.length) fixes.push({ title: `Split the statement: ${groups.map((g) => `${g.actions.join(', ')} on ${g.resourceType === '*' ? '*' : `${g.resourceType}/`}`).join('; ')}`, edits, preferred: !fixes.length });
  }
  return fixes;
};

/** The statement rewritten as one statement per group, each with its actions and resources of its type. */
function splitStatement(ctx: FixContext, st: StatementModel, groups: { actions: string[]; resourceType: string }[]): OffsetEdit[] {
  const items = st.resource?.items ?? [];
  if (!items.length || st.resource?.invalid.length || st.action?.invalid.length) return [];
  const parsed = items.map((sv) => ({ sv, p: parseResource(sv.value) }));
  const used = new Set<StringValue>();
  const variants: StatementChange[][] = [];
  groups.forEach((g, gi) => {
    let resources: string[];
    if (g.resourceType === '*') resources = ['*'];
    else {
      const same = parsed.filter((x) => x.p.resourceType?.text === g.resourceType);
      const convertible = parsed.filter((x) => x.p.resourceType && x.p.resourceType.text !== '*' && convertibleTypes(x.p.resourceType.text, g.resourceType));
      const chosen = same.length ? same : convertible;
      resources = chosen.map((x) => {
        used.add(x.sv);
        const t = x.p.resourceType!;
        return x.sv.value.slice(0, t.start) + g.resourceType + x.sv.value.slice(t.end);
      });
      if (!resources.length) return;
    }
    // Resources that fit no group stay with the first statement, so nothing the user wrote is lost.
    if (gi === groups.length - 1) {
      for (const x of parsed) if (!used.has(x.sv) && !(g.resourceType === '*' && x.sv.value === '*')) {
        if (!groups.some((gg) => gg.resourceType === '*') || x.p.resourceType) resources.push(x.sv.value);
      }
    }
    const unique = [...new Set(resources)];
    const actionValue = st.action!.isArray ? g.actions : g.actions.length === 1 ? g.actions[0] : g.actions;
    const resourceValue = st.resource!.isArray || unique.length > 1 ? unique : unique[0];
    const changes: StatementChange[] = [
      [['Action'], actionValue],
      [['Resource'], resourceValue],
    ];
    if (gi > 0 && st.sid?.value?.type === 'string') changes.push([['Sid'], `${st.sid.value.value}${g.resourceType === '*' ? 'All' : g.resourceType[0].toUpperCase() + g.resourceType.slice(1)}`]);
    variants.push(changes);
  });
  return variants.length < 2 ? [] : ctx.writer.splitStatement(st, variants);
}

const TOPIC_FAMILY: ReadonlySet<string> = new Set(['topic', 'topicfilter']);

function convertibleTypes(from: string, to: string): boolean {
  return TOPIC_FAMILY.has(from) && TOPIC_FAMILY.has(to);
}

/** `+`/`#` → `*`. */
const wildcardToStar: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const sugg = suggestionsOf(f);
  const current = spanText(ctx, f.span);
  const replacement = sugg[0] ?? (current === '+' || current === '#' ? '*' : undefined);
  if (replacement === undefined) return [];
  const deny = f.ruleId === 'mqtt-wildcard-in-deny';
  return [{
    title: `Change '${current}' to '${replacement}' (the policy wildcard)`,
    edits: [ctx.writer.replaceSpan(f.span, replacement)],
    preferred: deny || d.resourceType === 'topic',
  }];
};

// ---------------------------------------------------------------------------------------------
// Security

function conditionFromData(d: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const c = d.addCondition;
  if (c && typeof c === 'object' && !Array.isArray(c) && Object.values(c).every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
    return c as Record<string, Record<string, unknown>>;
  }
  return IS_ATTACHED_CONDITION;
}

/**
 * overly-permissive: `client/*` and `client/${iot:ClientId}` → `client/${iot:Connection.Thing.ThingName}`
 * with the IsAttached condition (data `suggestions` + `addCondition`); other broad resources
 * (`topic/*`, `thing/*`, ...) → the rule's suggestion (the thing's own name or prefix).
 */
const overlyPermissive: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const st = statementFor(ctx, f);
  if (!st) return [];
  const sugg = suggestionsOf(f);
  let first: OffsetEdit[];
  let client = d.kind === 'any-client' || d.kind === 'client-id-variable' || d.addCondition !== undefined;
  if (sugg.length) first = [ctx.writer.replaceSpan(f.span, sugg[0])];
  else {
    // Without data: recognise `client/*` and `client/${iot:ClientId}` in the resource string.
    const sv = stringAt(ctx.model, f.span);
    const p = sv && parseResource(sv.value);
    if (!sv || !p || p.resourceType?.text !== 'client' || !p.name || (p.name.text !== '*' && p.name.text !== '${iot:ClientId}')) return [];
    first = [ctx.writer.replaceInString(sv, p.name.start, p.name.end, THING_VAR)];
    client = true;
  }
  if (!client) {
    const current = spanText(ctx, f.span);
    return [{ title: `Change '${current}' to '${sugg[0]}' (only the thing's own resources)`, edits: first, preferred: sugg.length === 1 }];
  }
  const changes = hasIsAttached(st) ? [] : conditionChanges(st, conditionFromData(d));
  if (!changes) return [];
  const edits = ctx.writer.editStatement(st, first, changes);
  if (!edits.length) return [];
  return [{ title: `Allow only the thing's own client ID: client/${THING_VAR} with iot:Connection.Thing.IsAttached`, edits, preferred: true }];
};

const connectWithoutAttachedThing: FixProvider = (ctx, f) => {
  const st = statementFor(ctx, f);
  if (!st || hasIsAttached(st)) return [];
  const changes = conditionChanges(st, conditionFromData(dataOf(f)));
  const edits = changes ? ctx.writer.editStatement(st, [], changes) : [];
  if (!edits.length) return [];
  return [{ title: 'Add the condition "Bool": {"iot:Connection.Thing.IsAttached": "true"}', edits, preferred: true, safe: true }];
};

/** Topic ARNs for `iot:Receive` from the topic filters of a statement (`+`/`#` become `*`). */
function receiveResourcesFrom(sv: StringValue[]): string[] {
  const out: string[] = [];
  for (const s of sv) {
    const p = parseResource(s.value);
    if (p.resourceType?.text !== 'topicfilter' && p.resourceType?.text !== 'topic') continue;
    const name = (p.name?.text ?? '').replace(/(^|\/)#$/, '$1*').replace(/(^|\/)\+(?=\/|$)/g, '$1*');
    out.push(`${s.value.slice(0, p.resourceType.start)}topic/${name}`);
  }
  return [...new Set(out)];
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** Adds `{"Effect": "Deny", "Action": "iot:Receive", "Resource": [...]}` after the Deny statement. */
const addReceiveDeny: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  let st = statementFor(ctx, f);
  if (typeof d.denyStatementIndex === 'number' && ctx.model.statements[d.denyStatementIndex]) st = ctx.model.statements[d.denyStatementIndex];
  if (!st) return [];
  const acts = actionNames(st).map((a) => a.toLowerCase());
  if (!acts.some((a) => a === 'iot:subscribe' || a === 'iot:*' || a === '*')) return [];
  const given = stringList(d.receiveDenyResources).length ? stringList(d.receiveDenyResources) : stringList(d.resources);
  const denied = new Set(ctx.model.statements.filter((x) => x.effectValue?.value === 'Deny' && actionNames(x).some((a) => a.toLowerCase() === 'iot:receive')).flatMap((x) => (x.resource?.items ?? []).map((i) => i.value)));
  const resources = (given.length ? given : receiveResourcesFrom(st.resource?.items ?? [])).filter((r) => !denied.has(r));
  if (!resources.length) return [];
  const edits = ctx.writer.insertStatements(st, [{ Effect: 'Deny', Action: 'iot:Receive', Resource: resources.length === 1 ? resources[0] : resources }]);
  if (!edits.length) return [];
  return [{ title: `Add a Deny on iot:Receive for ${resources.length === 1 ? resources[0].replace(/^.*?:topic\//, 'topic/') : `${resources.length} topics`}`, edits, preferred: f.ruleId === 'deny-bypassed-by-wildcard' }];
};

/**
 * mqtt-wildcard-in-deny: `+`/`#` → `*`; and, for a Deny on Subscribe, the same together with the
 * Deny on `iot:Receive` that stops delivery on existing or broader subscriptions.
 */
const mqttWildcardInDeny: FixProvider = (ctx, f) => {
  const star = wildcardToStar(ctx, f);
  if (!star.length) return star;
  const receive = addReceiveDeny(ctx, f);
  if (!receive.length) return star;
  const edits = [...star[0].edits, ...receive[0].edits];
  return [...star, { title: `${star[0].title}, and ${receive[0].title[0].toLowerCase()}${receive[0].title.slice(1)}`, edits }];
};

// ---------------------------------------------------------------------------------------------
// Missing actions

/** The region/account prefix `arn:aws:iot:<region>:<account>:` of the statement's first ARN. */
function arnPrefixOf(ctx: FixContext, st: StatementModel | undefined): string {
  for (const s of [...(st?.resource?.items ?? []), ...ctx.model.statements.flatMap((x) => x.resource?.items ?? [])]) {
    const p = parseResource(s.value);
    if (p.isArn && p.resourceType && p.service?.text === 'iot') return s.value.slice(0, p.resourceType.start);
  }
  const d = ctx.config?.defaults ?? {};
  return `arn:${d.partition ?? 'aws'}:iot:${d.region ?? '*'}:${d.accountId ?? '*'}:`;
}

const missingDependentAction: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const st = statementFor(ctx, f);
  const missing = typeof d.missingAction === 'string' ? d.missingAction : typeof d.missing === 'string' ? d.missing : undefined;
  const action = f.span.length ? spanText(ctx, f.span) : '';
  const want = missing ?? inferMissing(action);
  if (!want) return [];
  const lower = want.toLowerCase();
  if (lower === 'iot:connect') {
    const prefix = arnPrefixOf(ctx, st);
    const resources = stringList(d.resources);
    const stmt = {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: resources.length ? (resources.length === 1 ? resources[0] : resources) : `${prefix}client/${THING_VAR}`,
      Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    };
    const edits = ctx.writer.insertStatements(undefined, [stmt]);
    return edits.length ? [{ title: 'Add an iot:Connect statement for the thing\'s own client ID (with IsAttached)', edits, preferred: true }] : [];
  }
  if (lower === 'iot:receive') {
    const resources = stringList(d.resources).length ? stringList(d.resources) : receiveResourcesFrom(st?.resource?.items ?? []);
    if (!resources.length || !st) return [];
    const edits = ctx.writer.insertStatements(st, [{ Effect: 'Allow', Action: 'iot:Receive', Resource: resources.length === 1 ? resources[0] : resources }]);
    return edits.length ? [{ title: `Add an iot:Receive statement for ${resources.length === 1 ? resources[0].replace(/^.*?:topic\//, 'topic/') : `${resources.length} topics`}`, edits, preferred: true }] : [];
  }
  if (lower === 'iot:publish' && st?.action) {
    // RetainPublish without Publish: add Publish next to it, on the same topics.
    const list = st.action;
    if (list.isArray) {
      const edits = ctx.writer.editStatement(st, [], [[['Action', list.prop.value?.children?.length ?? list.items.length], 'iot:Publish']], { arrayInsertion: true });
      return edits.length ? [{ title: 'Add iot:Publish to this statement', edits, preferred: true }] : [];
    }
    const only = list.items[0];
    if (!only) return [];
    return [{ title: 'Add iot:Publish to this statement', edits: ctx.writer.toList(only, 'iot:Publish', 'before'), preferred: true }];
  }
  return [];
};

function inferMissing(action: string): string | undefined {
  const a = action.toLowerCase();
  if (a === 'iot:retainpublish') return 'iot:Publish';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Removals

/** duplicate-value: removes the duplicate item from its list. */
const duplicateValue: FixProvider = (ctx, f) => {
  const sv = stringAt(ctx.model, f.span);
  const edits = sv ? ctx.writer.removeItem(sv.node) : [];
  return edits.length ? [{ title: `Remove the duplicate ${spanText(ctx, f.span)}`, edits, preferred: true, safe: true }] : [];
};

/** Removes a property of the policy or of a statement. */
const principalNotSupported: FixProvider = (ctx, f) => {
  const m = ctx.model;
  const prop = [...m.topProps, ...m.statements.flatMap((st) => st.props)].find((p) => p.keySpan.offset <= f.span.offset && f.span.offset + f.span.length <= p.keySpan.offset + p.keySpan.length);
  const edits = prop ? ctx.writer.removeProperty(prop) : [];
  return edits.length ? [{ title: `Remove '${prop!.key}'`, edits, preferred: true }] : [];
};


/**
 * unknown-policy-variable without suggestions, standing for the whole region or account of an
 * ARN (`${region}`, `${AWS::AccountId}`): fill it from the configured defaults.
 */
function fillArnPartFromDefaults(ctx: FixContext, f: AnalyzedFinding): Fix[] {
  const at = variableAt(ctx, f.span);
  if (!at || at.ref.form !== 'braces') return [];
  const p = parseResource(at.sv.value);
  const defaults = ctx.config?.defaults ?? {};
  for (const [part, value, setting] of [[p.region, defaults.region, 'iotPolicy.defaults.region'], [p.account, defaults.accountId, 'iotPolicy.defaults.accountId']] as const) {
    if (part && value && part.start === at.ref.start && part.end === at.ref.end) {
      return [{ title: `Replace '${at.ref.text}' with '${value}' (${setting})`, edits: [ctx.writer.replaceInString(at.sv, at.ref.start, at.ref.end, value)] }];
    }
  }
  return [];
}

const unknownPolicyVariable: FixProvider = (ctx, f) => {
  const fixes = variableSuggestions((s) => s.length === 1)(ctx, f);
  return fixes.length ? fixes : fillArnPartFromDefaults(ctx, f);
};



/**
 * template-syntax: occurrences that stand for a whole region or account of an ARN (`${region}`,
 * `${AWS::AccountId}`, `${data.aws_region.current.id}`) filled from the configured defaults.
 */
const templateSyntax: FixProvider = (ctx, f) => {
  const d = dataOf(f);
  const defaults = ctx.config?.defaults ?? {};
  if (!defaults.region && !defaults.accountId) return [];
  const spans = Array.isArray(d.occurrences) ? d.occurrences.filter(isSpan) : [f.span];
  const edits: OffsetEdit[] = [];
  for (const span of spans) {
    const at = variableAt(ctx, span);
    if (!at || at.ref.form !== 'braces') continue;
    const p = parseResource(at.sv.value);
    for (const [part, value] of [[p.region, defaults.region], [p.account, defaults.accountId]] as const) {
      if (part && value && part.start === at.ref.start && part.end === at.ref.end) edits.push(ctx.writer.replaceInString(at.sv, at.ref.start, at.ref.end, value));
    }
  }
  if (!edits.length) return [];
  return [{ title: `Fill the region and account from iotPolicy.defaults (${edits.length} place${edits.length > 1 ? 's' : ''})`, edits, preferred: true }];
};

// ---------------------------------------------------------------------------------------------

export const PROVIDERS: Record<string, FixProvider> = {
  'json-syntax': jsonSyntax,
  'template-syntax': templateSyntax,
  'unknown-policy-variable': unknownPolicyVariable,
  'policy-variable-case': (ctx, f) => variableSuggestions(always)(ctx, f).map((x, i) => ({ ...x, preferred: i === 0 })),
  'undocumented-policy-variable': undocumentedVariable,
  'policy-variable-syntax': policyVariableSyntax,
  'unknown-element': unknownElement,
  'invalid-effect': invalidEffect,
  'missing-version': setVersion,
  'variables-require-2012-10-17': setVersion,
  'invalid-version': invalidVersion,
  'arn-placeholder': arnPlaceholder,
  'resource-type-mismatch': resourceTypeMismatch,
  'mqtt-wildcard-is-literal': wildcardToStar,
  'mqtt-wildcard-in-deny': mqttWildcardInDeny,
  'deny-bypassed-by-wildcard': addReceiveDeny,
  'overly-permissive': overlyPermissive,
  'connect-without-attached-thing': connectWithoutAttachedThing,
  'missing-dependent-action': missingDependentAction,
  'duplicate-value': duplicateValue,
  'principal-not-supported': principalNotSupported,
};
