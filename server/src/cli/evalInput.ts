/** Reading what eval and test decide on: policy files and requests, refused with one clear message. */
import { fileErrorReason } from '../node/files';
import { hostOptions, unknownValues, type DeployInputs, type PolicyDocument, type PolicyEntry, type PolicyModel } from '../service';
import { unusablePolicyReason, type EvalPolicy, type EvalRequest } from '../service/eval/evaluate';
import { validateRequest } from '../service/testFile';
import { lineColumn } from '../service/text/lines';
import type { EvalIo } from './io';
import { openFile } from './open';
import { displayPath } from './paths';

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

/** A standalone policy's model, checked; throws InputError with a clear message when it cannot be used. */
function checkedPolicy(display: string, model: PolicyModel): EvalPolicy {
  const reason = unusablePolicyReason(model);
  if (reason) throw new InputError(`policy ${display} ${reason}`);
  return { name: display, model };
}

/** `stack.yaml#DevicePolicy`: the file, and the policy it names (a logical id, address or construct id). */
export function splitPolicySpec(spec: string): { file: string; key?: string } {
  const m = /^(.+)#([^#/\\]+)$/.exec(spec);
  return m ? { file: m[1], key: m[2] } : { file: spec };
}

/** A policy of a document, or of a file it names (`file("policy.json")`), by the name the document gives it. */
interface Named {
  name: string;
  entry: PolicyEntry;
  /** The document the policy is written in (its problems, its text for line numbers). */
  doc: PolicyDocument;
  /** The file it is written in, when another file names it. */
  file?: string;
}

/** The policy of a document that `key` names, or the only one. */
function pick(doc: PolicyDocument, display: string, key: string | undefined): Named {
  const all: Named[] = [
    ...doc.policies.map((entry) => ({ name: entry.name ?? entry.key, entry, doc })),
    ...(doc.linked ?? []).filter((l) => l.document.policies.length === 1).map((l) => ({ name: l.name, entry: l.document.policies[0], doc: l.document, file: l.path })),
  ];
  const names = all.map((p) => p.name);
  if (key === undefined) {
    if (all.length === 1) return all[0];
    throw new InputError(`${display} holds ${all.length} policies (${names.join(', ')}): name one, e.g. ${display}#${names[0]}`);
  }
  const found = all.find((p) => p.entry.key === key || p.name === key);
  if (!found) throw new InputError(`${display} has no policy "${key}"; it holds ${names.join(', ')}`);
  return found;
}

/** How a value unknown before deploy can be given on the command line, by the host that left it unknown. */
function hint(label: string, hostId: string): string {
  const inner = /^\$\{(.+)\}$/.exec(label)?.[1] ?? label;
  const tfVar = /^var\.([A-Za-z0-9_-]+)$/.exec(inner)?.[1];
  if (tfVar) return `--var ${tfVar}=VALUE`;
  if (hostId === 'terraform') return 'a Terraform expression: give the variables it reads with --var';
  if (hostId === 'cdk') {
    if (/region/i.test(inner)) return '--region';
    if (/account/i.test(inner)) return '--account';
    if (/partition|urlsuffix/i.test(inner)) return '--region or --partition';
    return 'a value of the CDK app: no option gives it';
  }
  const name = /^\$\{(.+)\}$/.exec(label)?.[1] ?? /^(?:Ref|Fn::GetAtt|Fn::ImportValue) (.+)$/.exec(label)?.[1];
  if (name === 'AWS::Region') return '--region';
  if (name === 'AWS::AccountId') return '--account';
  if (name === 'AWS::Partition' || name === 'AWS::URLSuffix') return '--region or --partition';
  if (name !== undefined) return `--parameter ${name}=VALUE`;
  const cond = /^Fn::If (.+?)(\.\.\.)?$/.exec(label)?.[1];
  if (cond) return `the parameters condition ${cond} depends on`;
  return 'no option gives it';
}

/** A value a policy leaves unknown before deploy, and how the command line can give it. */
export interface UnknownValue {
  label: string;
  hint: string;
}

/**
 * Reads the policy a `--policy` names: a standalone policy file, or a policy in a template,
 * Terraform file or CDK stack (`FILE#ID` when it holds several), resolved with `inputs`. Throws
 * InputError with a clear message when it cannot be used, naming every value left unknown;
 * `keepUnknown` returns such a policy with them instead (diff compares what is known).
 */
export async function loadPolicy(
  spec: string, abs: string, display: string, io: Pick<EvalIo, 'readFile' | 'cwd' | 'stderr'>, inputs: DeployInputs,
  options: { keepUnknown?: boolean } = {},
): Promise<EvalPolicy & { unknown: UnknownValue[] }> {
  const { key } = splitPolicySpec(spec);
  const text = readInput(`policy ${display}`, () => io.readFile(abs));
  const access = { ...io, note: (m: string) => io.stderr(`iot-policy: ${m}\n`) };
  const doc = await openFile(text, abs, true, hostOptions(text, abs, inputs), access).catch((err: unknown) => {
    throw new InputError(`cannot read policy ${display}: ${fileErrorReason(err)}`);
  });
  if (!doc || !(doc.policies.length || doc.linked?.length)) throw new InputError(`${display} holds no IoT policy`);
  if (doc.hostId === 'json') {
    if (key !== undefined) throw new InputError(`${display} is a standalone policy: write it without #${key}`);
    return { ...checkedPolicy(display, doc.policies[0].model), unknown: [] };
  }
  const { name: picked, entry, doc: holder, file } = pick(doc, display, key);
  // Statements are numbered and lined in the file they are written in.
  const name = file ? displayPath(file, io.cwd) : `${display}#${picked}`;
  const inside = (s: { offset: number }): boolean => holder !== doc || (s.offset >= entry.span.offset && s.offset <= entry.span.offset + entry.span.length);
  const broken = [...holder.problems.map((p) => p.span).filter(inside), ...entry.model.syntaxErrors][0];
  if (broken) {
    const { line, column } = lineColumn(holder.text, broken.offset);
    throw new InputError(`policy ${name} cannot be read: a syntax error at line ${line}, column ${column} (iot-policy lint ${display} says more)`);
  }
  if (entry.model.omittedStatements) throw new InputError(`policy ${name} ${unusablePolicyReason(entry.model)}`);
  const unknown = unknownValues(entry.model).map((label) => ({ label, hint: hint(label, holder.hostId) }));
  if (unknown.length && !options.keepUnknown) {
    throw new InputError([
      `policy ${name} depends on ${unknown.length === 1 ? 'a value' : `${unknown.length} values`} unknown before deploy; nothing was decided:`,
      ...unknown.map((u) => `  ${u.label}: ${u.hint}`),
    ].join('\n'));
  }
  return { name, model: entry.model, unknown };
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
