/**
 * `unsupported-condition-key`: a condition key IoT policies cannot use, a typo or an IAM-only key
 * such as `aws:RequestTag/...`. AWS may never set it for an IoT request. Suggestions are IoT keys
 * (the generic did-you-mean).
 */
import { UNDOCUMENTED_VARIABLES, iamOnlyVariable } from '../../catalog';
import { conditionKeyNamesForSuggestions, iamOnlyConditionKey, lookupConditionKey } from '../../catalog/conditions';
import { keyContentSpan } from '../../analysis/spans';
import { nearest } from '../../text/distance';
import { defineRule } from '../rule';
import { hasVariable, lowerFirst, operatorEntries, type ConditionSuggestionData } from './walk';

const ATTRIBUTE_KEY = 'iot:Connection.Thing.Attributes[';

interface Args {
  /** `reason`: the catalogue's sentence on the key. */
  iamOnly: { name: string; reason: string };
  attributeUnclosed: { name: string };
  attributeNameEmpty: { name: string };
  unknown: { name: string; undocumented: boolean; suggestion?: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const CONSEQUENCE = 'AWS may never set it for an IoT request, and then this condition is false (true for negated operators such as `StringNotEquals`, and for `...IfExists`)';
const IOT_KEYS = ' IoT keys include `iot:ClientId`, `iot:Connection.Thing.*`, `iot:Certificate.*`, `iot:ConnectAttributes`, `iot:LastWillTopic` and `aws:SourceIp`.';

const messages: Messages = {
  iamOnly: (a) => {
    const reason = a.reason.replace(/\.$/, '');
    // The catalogue's reason may already say what the key is (`It is an IAM condition key for ...`): say it once.
    const what = /^It (is|works|belongs) /.test(reason)
      ? `\`${a.name}\` ${reason.slice(3)}`
      : `\`${a.name}\` is not a condition key of AWS IoT policies: ${lowerFirst(reason)}`;
    return `${what}. ${CONSEQUENCE}.`;
  },
  attributeUnclosed: (a) => `\`${a.name}\` is missing the \`]\` after the attribute name, so it names no condition key and the condition is false. Add \`]\`: \`${a.name}]\`.`,
  attributeNameEmpty: (a) => `\`${a.name}\` needs an attribute name between the brackets: \`${ATTRIBUTE_KEY}name]\`, with the name of one of the thing's attributes.`,
  unknown: (a) => {
    const advice = a.suggestion ? ` Did you mean \`${a.suggestion}\`?` : IOT_KEYS;
    return `\`${a.name}\` is not a condition key AWS IoT policies support${a.undocumented ? ' (it is not documented)' : ''}. ${CONSEQUENCE}.${advice}`;
  },
};

let keyNames: string[] | undefined;
function allKeyNames(): string[] {
  keyNames ??= conditionKeyNamesForSuggestions();
  return keyNames;
}

function suggestKey(name: string): string[] {
  const attr = /^iot:Connection\.Thing\.Attributes?[.([{]?([A-Za-z0-9_.,@/:#-]+?)[)\]}]?$/i.exec(name);
  if (attr) return [`${ATTRIBUTE_KEY}${attr[1]}]`];
  if (!name.includes(':') && lookupConditionKey(`iot:${name}`)) return [lookupConditionKey(`iot:${name}`)!.canonical];
  return nearest(name, allKeyNames()).slice(0, 3);
}

export const unsupportedConditionKey = defineRule<ConditionSuggestionData, Messages>({
  meta: {
    id: 'unsupported-condition-key', scope: 'statement',
    defaultSeverity: 'warning',
    category: 'conditions',
    description: 'A condition key not usable in IoT policies: a typo, or an IAM-only key such as `aws:RequestTag/...`.',
  },
  messages,
  check(ctx) {
    for (const op of operatorEntries(ctx.model)) {
      for (const key of op.keys) {
        const name = key.key;
        if (hasVariable(name) || name.length === 0 || key.prop.keyValue.opaque.length) continue;
        if (lookupConditionKey(name)) continue;
        const span = keyContentSpan(key.prop);
        const iam = iamOnlyConditionKey(name) ?? iamOnlyVariable(name);
        if (iam) {
          const alt = /In an IoT policy use `?([A-Za-z0-9:.[\]-]+)`?/.exec(iam)?.[1]?.replace(/\.$/, '');
          ctx.report({ messageId: 'iamOnly', args: { name, reason: iam }, span, data: { suggestions: alt ? [alt] : [] } });
          continue;
        }
        if (name.startsWith(ATTRIBUTE_KEY) && (name === `${ATTRIBUTE_KEY}]` || !name.endsWith(']'))) {
          const named = name.slice(ATTRIBUTE_KEY.length).replace(/\]$/, '') !== '';
          if (named) ctx.report({ messageId: 'attributeUnclosed', args: { name }, span, data: { suggestions: [`${name}]`] } });
          else ctx.report({ messageId: 'attributeNameEmpty', args: { name }, span, data: { suggestions: [] } });
          continue;
        }
        const undocumented = [...UNDOCUMENTED_VARIABLES].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
        const suggestions = undocumented ? [undocumented.suggestion] : suggestKey(name);
        ctx.report({ messageId: 'unknown', args: { name, undocumented: !!undocumented, suggestion: suggestions[0] }, span, data: { suggestions } });
      }
    }
  },
});
