/** The JSON host: a standalone policy document (`*.iot-policy.json`, or any JSON detected as a policy). */
import type { PolicyDocument } from '../../document';
import type { PolicyModel } from '../../policy/model';
import { jsonCompletionPlace } from './complete';
import { parsePolicy, reparsePolicy } from './parse';
import { JsonWriter } from './writer';

/** The document of a standalone policy, from its model (parsed once by the caller). */
export function jsonDocument(model: PolicyModel): PolicyDocument {
  return {
    text: model.text,
    hostId: 'json',
    policies: [{ key: '', span: { offset: 0, length: model.text.length }, model, writer: () => new JsonWriter(model), place: (offset) => jsonCompletionPlace(model, offset) }],
    problems: [],
    reparse: (text) => jsonDocument(parsePolicy(text)),
  };
}

/**
 * The model of `text` for a document whose last version was `previous`: read from it when that was
 * a standalone policy too (see `reparsePolicy`; `previous` is spent), else parsed.
 */
export function nextJsonModel(text: string, previous: PolicyDocument | undefined): PolicyModel {
  const model = previous?.hostId === 'json' && previous.policies.length === 1 ? previous.policies[0].model : undefined;
  return model ? reparsePolicy(model, text) : parsePolicy(text);
}

export { parsePolicy, parseJsonText, jsonPolicySource } from './parse';
