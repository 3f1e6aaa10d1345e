/** The JSON host: a standalone policy document (`*.iot-policy.json`, or any JSON detected as a policy). */
import type { PolicyDocument } from '../../document';
import type { PolicyModel } from '../../policy/model';
import { jsonCompletionPlace } from './complete';
import { parsePolicy } from './parse';
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

export { parsePolicy, parseJsonText, jsonPolicySource } from './parse';
