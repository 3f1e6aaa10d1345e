/**
 * Action rules: names in `Action`/`NotAction` that IoT policies do not know, real AWS actions that
 * have no effect in an IoT policy, the legacy `iot:` spelling of job actions, and non-canonical case.
 *
 * Every finding points at the action string's content (without quotes) (white space around a name:
 * at that white space); `data.suggestions` are replacement texts for that span. `legacy-job-action`
 * is reported once per statement, on its first legacy action.
 */
import { ACTION_MISNOMERS, AWS_SERVICE_NAMES, GREENGRASS_V1_POLICY_ACTIONS, IOT_CONTROL_PLANE_ACTIONS, IOT_POLICY_ACTIONS, OTHER_AWS_SERVICE_PREFIXES, findAction, findControlPlaneAction } from '../catalog';
import { editDistance, nearest } from '../text/distance';
import { matchWildcard } from '../match/wildcard';
import type { PolicyModel, StatementModel, StringValue } from '../policy/model';
import { modelMemo } from '../policy/model';
import { codePointLabel, describeCharacter, isInvisibleCharacter } from '../text/chars';
import { contentSpan } from './structure';
import type { Finding, Rule, RuleContext } from './types';

const POLICY_PREFIXES = ['iot', 'iotjobsdata', 'greengrass'];
const ALL_NAMES = IOT_POLICY_ACTIONS.map((a) => a.name);
const GREENGRASS_V1 = new Set(GREENGRASS_V1_POLICY_ACTIONS.map((a) => a.toLowerCase()));
const PREFERRED_NAMES = IOT_POLICY_ACTIONS.filter((a) => !a.preferred).map((a) => a.name);

function isPattern(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function list(names: string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``).join(', ');
  return names.length > max ? `${shown}, ...` : shown;
}

/** Policy actions a pattern matches (action names ignore case). */
export function policyActionsMatching(pattern: string): string[] {
  return [...ALL_NAMES, ...GREENGRASS_V1_POLICY_ACTIONS].filter((a) => matchWildcard(pattern, a, { ignoreCase: true }));
}

function controlActionsMatching(pattern: string): string[] {
  return IOT_CONTROL_PLANE_ACTIONS.filter((a) => matchWildcard(pattern, a, { ignoreCase: true }));
}

/** Suggestions for a name that is not an IoT policy action, best first. */
function suggestFor(name: string): string[] {
  const colon = name.indexOf(':');
  const op = colon >= 0 ? name.slice(colon + 1) : name;
  // Same operation under the right prefix (`iotdata:Publish`, `Publish`).
  const sameOp = PREFERRED_NAMES.filter((n) => n.slice(n.indexOf(':') + 1).toLowerCase() === op.toLowerCase());
  if (sameOp.length) return sameOp;
  const full = colon >= 0 ? name : `iot:${name}`;
  const near = nearest(full, ALL_NAMES);
  if (near.length) return near.slice(0, 3);
  // A misspelled prefix and operation: compare operations only.
  const ops = new Map(PREFERRED_NAMES.map((n) => [n.slice(n.indexOf(':') + 1), n]));
  return nearest(op, ops.keys()).slice(0, 3).map((o) => ops.get(o)!);
}

/** A prefix that is probably a misspelling of an IoT policy prefix (`iotdata`, `iot-jobs-data`, `greengras`). */
function misspelledPolicyPrefix(prefix: string): boolean {
  const p = prefix.toLowerCase();
  if (OTHER_AWS_SERVICE_PREFIXES.has(p)) return false;
  if (p.startsWith('iot') || p.startsWith('greengrass')) return true;
  return POLICY_PREFIXES.some((q) => editDistance(p, q, 2) <= (q.length > 4 ? 2 : 1));
}

interface ActionFinding {
  ruleId: 'unknown-action' | 'not-an-iot-policy-action' | 'legacy-job-action' | 'action-case';
  message: string;
  data: Record<string, unknown>;
}

const classified = new Map<string, ActionFinding | undefined>();

/** Classifies one action name (no invisible characters, no variables). Memoised: a pure function of the name. */
export function classifyAction(name: string): ActionFinding | undefined {
  if (classified.has(name)) return classified.get(name);
  const f = classifyUncached(name);
  if (classified.size > 2000) classified.clear();
  classified.set(name, f);
  return f;
}

function classifyUncached(name: string): ActionFinding | undefined {
  if (name === '*') return undefined;
  const parts = name.split(/[\s,;]+/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => p.includes(':') || p === '*')) {
    return {
      ruleId: 'unknown-action',
      message: `\`${name}\` puts ${parts.length} actions in one string, which AWS reads as a single action name that matches nothing. List them as separate strings: \`[${parts.map((p) => `"${p}"`).join(', ')}]\`.`,
      data: { kind: 'joined', parts, suggestions: [] },
    };
  }
  const colon = name.indexOf(':');
  if (colon === -1) {
    if (isPattern(name)) {
      if (policyActionsMatching(name).length) return undefined;
      return {
        ruleId: 'unknown-action',
        message: `\`${name}\` matches no action an IoT policy knows: actions are written \`service:Action\`, e.g. \`iot:Publish\`, so this pattern grants nothing.`,
        data: { kind: 'pattern', suggestions: [] },
      };
    }
    const suggestions = suggestFor(name);
    return {
      ruleId: 'unknown-action',
      message: `\`${name}\` has no service prefix: actions are written \`service:Action\`, so as written it matches no action and grants nothing.${suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ' Write it as e.g. `iot:Publish`.'}`,
      data: { kind: 'no-prefix', suggestions },
    };
  }
  const prefix = name.slice(0, colon);
  const lowerPrefix = prefix.toLowerCase();
  const misnomer = ACTION_MISNOMERS.get(name.toLowerCase());
  if (misnomer) {
    return {
      ruleId: 'unknown-action',
      message: `\`${name}\` is not an IoT policy action: ${misnomer.why}.${misnomer.suggestion ? ` Use \`${misnomer.suggestion}\`.` : ' Remove it.'}`,
      data: { kind: 'unknown', suggestions: misnomer.suggestion ? [misnomer.suggestion] : [] },
    };
  }
  if (isPattern(name)) {
    if (policyActionsMatching(name).length) return undefined;
    const control = controlActionsMatching(name);
    if (control.length) {
      return {
        ruleId: 'not-an-iot-policy-action',
        message: `\`${name}\` matches only AWS IoT control-plane (IAM) actions, such as ${list(control, 2)}: IoT policies authorise only the data plane (connecting, MQTT, shadows, jobs, retained messages, credentials), so this has no effect here. Put control-plane actions in an IAM policy, or remove this.`,
        data: { kind: 'control-plane', matches: control.slice(0, 10), suggestions: [] },
      };
    }
    if (!POLICY_PREFIXES.includes(lowerPrefix) && !isPattern(prefix) && !misspelledPolicyPrefix(prefix)) return otherService(name, prefix);
    return {
      ruleId: 'unknown-action',
      message: `\`${name}\` matches no action an IoT policy knows, so it grants nothing. Check the spelling; IoT policy actions are \`iot:\` data-plane actions (\`iot:Connect\`, \`iot:Publish\`, ...), \`iotjobsdata:\` job actions and \`greengrass:\` actions.`,
      data: { kind: 'pattern', suggestions: [] },
    };
  }
  const info = findAction(name);
  if (info) {
    if (info.preferred) {
      return {
        ruleId: 'legacy-job-action',
        message: `\`${name}\` is the older name; current AWS docs authorise the HTTPS jobs API with \`${info.preferred}\`. Use that (keep both during a migration if unsure).`,
        data: { suggestions: [info.preferred] },
      };
    }
    if (info.name !== name) {
      return {
        ruleId: 'action-case',
        message: `\`${name}\` works because action names ignore case, but AWS documents it as \`${info.name}\`; use that spelling for consistency with AWS examples and tools.`,
        data: { suggestions: [info.name] },
      };
    }
    return undefined;
  }
  const control = findControlPlaneAction(name);
  if (control) {
    return {
      ruleId: 'not-an-iot-policy-action',
      message: `\`${name}\` is an AWS IoT control-plane (IAM) action: IoT policies authorise only the data plane (connecting, MQTT, shadows, jobs, retained messages, credentials), so it has no effect here. Put it in an IAM policy, or remove it.`,
      data: { kind: 'control-plane', canonical: control, suggestions: [] },
    };
  }
  if (lowerPrefix === 'greengrass') {
    if (GREENGRASS_V1.has(name.toLowerCase())) return undefined;
    const near = nearest(name, IOT_POLICY_ACTIONS.filter((a) => a.group === 'greengrass').map((a) => a.name), 3);
    if (near.length) {
      return {
        ruleId: 'unknown-action',
        message: `\`${name}\` is not a Greengrass action an IoT policy knows, so it grants nothing. Did you mean \`${near[0]}\`?`,
        data: { kind: 'unknown', suggestions: near.slice(0, 3) },
      };
    }
    return {
      ruleId: 'not-an-iot-policy-action',
      message: `\`${name}\` is not one of the Greengrass data-plane actions an IoT policy authorises (such as \`greengrass:Discover\`, \`greengrass:ResolveComponentCandidates\`), so it has no effect here. Greengrass control-plane actions belong in an IAM policy: put it there, or remove it.`,
      data: { kind: 'other-service', service: 'greengrass', suggestions: [] },
    };
  }
  if (POLICY_PREFIXES.includes(lowerPrefix) || misspelledPolicyPrefix(prefix)) {
    const suggestions = suggestFor(name);
    const prefixNote = POLICY_PREFIXES.includes(lowerPrefix) ? '' : ` (\`${prefix}:\` is not a prefix IoT policies use; they use \`iot:\`, \`iotjobsdata:\` and \`greengrass:\`)`;
    return {
      ruleId: 'unknown-action',
      message: `\`${name}\` is not an IoT policy action${prefixNote}, so it grants nothing.${suggestions.length ? ` Did you mean \`${suggestions[0]}\`?` : ' Check the spelling against the AWS IoT policy actions.'}`,
      data: { kind: 'unknown', suggestions },
    };
  }
  return otherService(name, prefix);
}

function otherService(name: string, prefix: string): ActionFinding {
  const service = AWS_SERVICE_NAMES[prefix.toLowerCase()];
  const known = OTHER_AWS_SERVICE_PREFIXES.has(prefix.toLowerCase());
  return {
    ruleId: 'not-an-iot-policy-action',
    message: `\`${name}\` is ${known ? `an action of ${service ?? `another AWS service (\`${prefix}\`)`}` : `not an IoT action (\`${prefix}:\`)`}: an IoT policy evaluates only \`iot:\`, \`iotjobsdata:\` and \`greengrass:\` actions, so it has no effect here. Put it in an IAM policy (for example the role of an IoT rule action), or remove it.`,
    data: { kind: 'other-service', service: prefix, suggestions: [] },
  };
}

type Out = Omit<Finding, 'ruleId'> & { ruleId: ActionFinding['ruleId'] };

/**
 * unknown-action on invisible characters (one finding on the whole action string; `data.characters`
 * are the characters' own spans, which the fix deletes) and surrounding white space; returns the
 * cleaned name.
 */
function characterFindings(out: Out[], item: StringValue): string {
  const v = item.value;
  let cleaned = '';
  const chars: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (isInvisibleCharacter(v.charCodeAt(i))) chars.push(i);
    else cleaned += v[i];
  }
  if (chars.length) {
    const ch = v[chars[0]];
    const shown = cleaned.trim();
    const where = chars.every((i) => i >= v.length - chars.length) ? 'at the end of' : chars.every((i) => i < chars.length) ? 'at the start of' : 'inside';
    out.push({
      ruleId: 'unknown-action',
      span: contentSpan(item),
      message: `${chars.length > 1 ? `${chars.length} invisible characters, such as ${describeCharacter(ch)}, sit` : `An invisible character ${describeCharacter(ch)} sits`} ${where} \`${shown}\`${where === 'inside' ? ` (after \`${v.slice(0, chars[0])}\`)` : ''}: AWS compares action names character by character, so this action matches nothing. Delete ${chars.length > 1 ? 'them' : 'the character'}.`,
      data: { kind: 'invisible', codePoint: codePointLabel(ch), characters: chars.map((i) => item.spanOf(i, i + 1)), offsets: chars, suggestions: [cleaned] },
    });
  }
  const lead = cleaned.length - cleaned.trimStart().length;
  const trail = cleaned.length - cleaned.trimEnd().length;
  if ((lead || trail) && cleaned.trim().length && cleaned === v) {
    if (lead) {
      out.push({
        ruleId: 'unknown-action', span: item.spanOf(0, lead),
        message: `White space before \`${v.trim()}\`: AWS compares action names exactly, so this action matches nothing. Remove the space.`,
        data: { kind: 'whitespace', suggestions: [''] },
      });
    }
    if (trail) {
      out.push({
        ruleId: 'unknown-action', span: item.spanOf(v.length - trail, v.length),
        message: `White space after \`${v.trim()}\`: AWS compares action names exactly, so this action matches nothing. Remove the space.`,
        data: { kind: 'whitespace', suggestions: [''] },
      });
    }
  }
  return cleaned.trim();
}

const cache = {};

/** Every action finding of the document, computed once per model (four rules share it). */
function allActionFindings(model: PolicyModel): Out[] {
  return modelMemo(model, cache, (): Out[] => {
    const out: Out[] = [];
    for (const st of model.statements) {
      const legacy: { item: StringValue; replacement: string }[] = [];
      for (const item of actionItems(st)) {
        if (item.value.length === 0 || item.variables.length > 0) continue; // invalid-value-type / variable rules
        const before = out.length;
        const cleaned = characterFindings(out, item);
        if (cleaned !== item.value) {
          // The characters are the mistake; report the name only if it is wrong without them too.
          const f = cleaned ? classifyAction(cleaned) : undefined;
          if (f && f.ruleId === 'unknown-action') {
            const invisible = out.slice(before).find((x) => x.data?.kind === 'invisible');
            if (invisible) invisible.message += ` Even without ${invisible.data!.offsets && (invisible.data!.offsets as number[]).length > 1 ? 'them' : 'it'}: ${f.message}`;
            else out.push({ ruleId: f.ruleId, span: contentSpan(item), message: f.message, data: f.data });
          }
          continue;
        }
        const f = classifyAction(item.value);
        if (!f) continue;
        if (f.ruleId === 'legacy-job-action') {
          legacy.push({ item, replacement: (f.data.suggestions as string[])[0] });
          continue;
        }
        const foreign = f.ruleId === 'unknown-action' ? /[^\x00-\x7e]/.exec(item.value)?.[0] : undefined;
        out.push({
          ruleId: f.ruleId, span: contentSpan(item),
          message: foreign ? `${f.message} Note: it contains the non-ASCII character \`${foreign}\` ${codePointLabel(foreign)}, which may look like an ASCII letter.` : f.message,
          data: f.data,
          ...(f.ruleId === 'not-an-iot-policy-action' ? { tags: ['unnecessary' as const] } : {}),
        });
      }
      if (legacy.length) out.push(legacyFinding(legacy));
    }
    return out;
  });
}

/** One legacy-job-action finding for a statement's legacy job actions. */
function legacyFinding(legacy: { item: StringValue; replacement: string }[]): Out {
  const [first] = legacy;
  const names = legacy.map((l) => `\`${l.item.value}\``);
  const message = legacy.length === 1
    ? classifyAction(first.item.value)!.message
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are older names; current AWS docs authorise the HTTPS jobs API with the same actions under the \`iotjobsdata:\` prefix (e.g. \`${first.replacement}\`). Use those (keep both during a migration if unsure).`;
  return {
    ruleId: 'legacy-job-action',
    span: contentSpan(first.item),
    message,
    data: {
      suggestions: [first.replacement],
      replacements: legacy.map((l) => ({ span: contentSpan(l.item), action: l.item.value, text: l.replacement })),
    },
    related: legacy.slice(1).map((l) => ({ span: contentSpan(l.item), message: `\`${l.item.value}\` → \`${l.replacement}\`` })),
  };
}

function checkActions(ctx: RuleContext, only: ActionFinding['ruleId']): void {
  for (const f of allActionFindings(ctx.model)) if (f.ruleId === only) ctx.report(f);
}

function actionItems(st: StatementModel): StringValue[] {
  return [...(st.action?.items ?? []), ...(st.notAction?.items ?? [])];
}

export const actionsRules: Rule[] = [
  /**
   * data: `{ kind: 'unknown' | 'no-prefix' | 'pattern' | 'invisible' | 'whitespace' | 'joined', suggestions: string[], codePoint?, parts? }`.
   * `joined`: several actions in one string; `parts` lists them (a fix can split the string into array items).
   * For `invisible`/`whitespace` the span is the offending character(s) and the suggestion `''` deletes them.
   */
  {
    meta: { id: 'unknown-action', defaultSeverity: 'error', category: 'actions', description: 'An action, or a wildcard action pattern, that matches no action IoT policies know (invisible characters included).' },
    check: (ctx) => checkActions(ctx, 'unknown-action'),
  },
  /** data: `{ kind: 'control-plane' | 'other-service', service?, canonical?, matches?, suggestions: [] }` — the fix removes the entry. */
  {
    meta: { id: 'not-an-iot-policy-action', defaultSeverity: 'warning', category: 'actions', description: 'A real AWS action that has no effect in an IoT policy: control-plane `iot:` actions and other services\' actions.' },
    check: (ctx) => checkActions(ctx, 'not-an-iot-policy-action'),
  },
  /**
   * One finding per statement, on its first legacy job action; the others are related information.
   * data: `{ suggestions: ['iotjobsdata:<Op>'] (for the span), replacements: { span, action, text }[] (every legacy action of the statement) }`.
   */
  {
    meta: { id: 'legacy-job-action', defaultSeverity: 'info', category: 'actions', description: 'The older `iot:` spelling of a job action; current AWS docs use `iotjobsdata:`.' },
    check: (ctx) => checkActions(ctx, 'legacy-job-action'),
  },
  /** data: `{ suggestions: [canonical name] }` */
  {
    meta: { id: 'action-case', defaultSeverity: 'hint', category: 'actions', description: 'An action written in a case other than AWS documents (it works, since action names ignore case).' },
    check: (ctx) => checkActions(ctx, 'action-case'),
  },
];
