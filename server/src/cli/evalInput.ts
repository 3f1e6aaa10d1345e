/** Reading what eval and test decide on: policy files and requests, refused with one clear message. */
import { fileErrorReason } from '../node/files';
import { parsePolicy } from '../service/hosts/json/parse';
import type { EvalPolicy, EvalRequest } from '../service/eval/evaluate';
import { validateRequest } from '../service/testFile';
import { lineColumn } from '../service/text/lines';
import type { EvalIo } from './io';

/** Input that cannot be used: reported as `iot-policy <command>: <message>`, exit code 2. */
export class InputError extends Error {}

/** Runs `read`; throws InputError `cannot read <what>: <reason>` when it fails. */
export function readInput(what: string, read: () => string): string {
  try {
    return read();
  } catch (err) {
    throw new InputError(`cannot read ${what}: ${fileErrorReason(err)}`);
  }
}

/** Reads and parses a policy file; throws InputError with a clear message when it cannot be used. */
export function loadPolicyFile(display: string, abs: string, io: Pick<EvalIo, 'readFile'>): EvalPolicy {
  const text = readInput(`policy ${display}`, () => io.readFile(abs));
  const model = parsePolicy(text);
  if (model.syntaxErrors.length) {
    const e = model.syntaxErrors[0];
    const { line, column } = lineColumn(text, e.offset);
    throw new InputError(`policy ${display} is not valid JSON: ${e.code} at line ${line}, column ${column}`);
  }
  if (!model.root || model.root.type !== 'object') throw new InputError(`policy ${display} must be a JSON object with "Statement"`);
  if (!model.statementProp) throw new InputError(`policy ${display} has no "Statement"`);
  return { name: display, model };
}

/** Parses request JSON text; throws InputError. */
export function parseRequestText(text: string, display: string): EvalRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`request ${display} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const v = validateRequest(raw);
  if (!v.request) throw new InputError(`invalid request ${display}: ${v.problems.join('; ')}`);
  return v.request;
}

/** The text of each policy by its name, for statement line numbers. */
export function policyTexts(policies: readonly EvalPolicy[]): Map<string, string> {
  return new Map(policies.map((p) => [p.name, p.model.text]));
}
