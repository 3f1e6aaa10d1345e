/**
 * Policy test files (`*.iot-policy-test.json`) and evaluation requests: parsing with document
 * spans (so the editor can put a diagnostic on a failing case) and running the cases.
 *
 * ```json
 * {
 *   "policies": ["device.iot-policy.json"],
 *   "cases": [
 *     {"name": "own topic", "request": {"action": "iot:Publish", "resource": "arn:...:topic/t1/x",
 *       "context": {"iot:Connection.Thing.ThingName": "t1"}}, "expect": "Allow"}
 *   ]
 * }
 * ```
 * `expect` is `Allow`, `Deny` (either kind of deny), `ExplicitDeny` or `ImplicitDeny`. Policy
 * paths are relative to the test file. The JSON schema is schemas/iot-policy-test.schema.json.
 */
import { parseJsonText } from './hosts/json/parse';
import { nodeValue, type PolicyNode as Node } from './policy/tree';
import type { DeployInputs } from './inputs';
import type { Span } from './text/span';
import { evaluate, type Decision, type EvalPolicy, type EvalRequest, type EvalResult } from './eval/evaluate';

export const EXPECTATIONS = ['Allow', 'Deny', 'ExplicitDeny', 'ImplicitDeny'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const POLICY_TEST_FILE_SUFFIX = '.iot-policy-test.json';

export interface TestProblem {
  message: string;
  span: Span;
}

export interface PolicyTestCase {
  index: number;
  name: string;
  request?: EvalRequest;
  expect?: Expectation;
  /** The case object. */
  span: Span;
  /** The `name` value (or the case object when there is none). */
  nameSpan: Span;
  /** Why the case cannot run (missing/invalid request or expect). */
  problems: string[];
}

export interface PolicyTestFile {
  /** Policy files relative to the test file; `FILE#ID` names a policy in a template, Terraform file or stack. */
  policies: { path: string; span: Span }[];
  /** What the templates among them leave to deploy time. */
  inputs?: DeployInputs;
  cases: PolicyTestCase[];
  /** File-level problems (syntax, shape); case-level ones are on each case too. */
  problems: TestProblem[];
}

const spanOf = (n: Node): Span => ({ offset: n.offset, length: n.length });

function prop(obj: Node | undefined, key: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p.children?.[1];
  return undefined;
}

/** Checks a request value (parsed JSON). Field names are case-sensitive: `action`, `resource`, `context`. */
export function validateRequest(value: unknown): { request?: EvalRequest; problems: string[] } {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: ['the request must be a JSON object with "action", "resource" and optionally "context"'] };
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['action', 'resource', 'context'].includes(k)) {
      const lower = k.toLowerCase();
      problems.push(['action', 'resource', 'context'].includes(lower) ? `unknown request field "${k}": write "${lower}"` : `unknown request field "${k}" (expected "action", "resource", "context")`);
    }
  }
  if (typeof o.action !== 'string' || o.action.trim() === '') problems.push('"action" must be a non-empty string, e.g. "iot:Publish"');
  if (typeof o.resource !== 'string' || o.resource.trim() === '') problems.push('"resource" must be a non-empty string: the full ARN, e.g. "arn:aws:iot:eu-west-1:493812760155:topic/sensors/t1"');
  const context: Record<string, string | number | boolean | (string | number | boolean)[]> = {};
  if (o.context !== undefined) {
    if (typeof o.context !== 'object' || o.context === null || Array.isArray(o.context)) problems.push('"context" must be an object of condition keys / variables to values');
    else {
      for (const [k, v] of Object.entries(o.context as Record<string, unknown>)) {
        const scalar = (x: unknown): x is string | number | boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
        if (scalar(v)) context[k] = v;
        else if (Array.isArray(v) && v.every(scalar)) context[k] = v;
        else problems.push(`context value of "${k}" must be a string, number, boolean or an array of them`);
      }
    }
  }
  if (problems.length) return { problems };
  return { request: { action: o.action as string, resource: o.resource as string, context }, problems };
}

const INPUT_STRINGS = ['region', 'account', 'partition'] as const;

/** `"inputs": {"region", "account", "partition", "parameters": {Name: value}, "vars": {name: value}}`. */
function parseInputs(node: Node, problems: TestProblem[]): DeployInputs {
  const out: { -readonly [K in keyof DeployInputs]: DeployInputs[K] } = {};
  if (node.type !== 'object') {
    problems.push({ message: '"inputs" must be an object: {"region", "account", "partition", "parameters", "vars"}', span: spanOf(node) });
    return out;
  }
  for (const p of node.children ?? []) {
    const [k, v] = p.children ?? [];
    const key = String(k?.value);
    if ((INPUT_STRINGS as readonly string[]).includes(key)) {
      if (v?.type === 'string' && v.value) out[key as (typeof INPUT_STRINGS)[number]] = String(v.value);
      else problems.push({ message: `"inputs.${key}" must be a non-empty string`, span: v ? spanOf(v) : spanOf(p) });
    } else if (key === 'parameters' || key === 'vars') {
      const map = new Map<string, string>();
      if (v?.type !== 'object') problems.push({ message: `"inputs.${key}" must be an object of names to string values`, span: v ? spanOf(v) : spanOf(p) });
      for (const e of v?.type === 'object' ? (v.children ?? []) : []) {
        const [name, value] = e.children ?? [];
        if (value?.type === 'string') map.set(String(name?.value), String(value.value));
        else problems.push({ message: `"inputs.${key}.${String(name?.value)}" must be a string`, span: value ? spanOf(value) : spanOf(e) });
      }
      out[key] = map;
    } else problems.push({ message: `unknown field "inputs.${key}" (expected "region", "account", "partition", "parameters", "vars")`, span: k ? spanOf(k) : spanOf(p) });
  }
  return out;
}

/** Parses a test file. Never throws; problems carry document spans. */
export function parsePolicyTestFile(text: string): PolicyTestFile {
  const out: PolicyTestFile = { policies: [], cases: [], problems: [] };
  const { root, errors } = parseJsonText(text);
  for (const e of errors) out.problems.push({ message: e.message ?? `JSON syntax error: ${e.code}`, span: { offset: e.offset, length: e.length } });
  if (!root || root.type !== 'object') {
    if (!errors.length) out.problems.push({ message: 'a policy test file must be a JSON object with "policies" and "cases"', span: root ? spanOf(root) : { offset: 0, length: 0 } });
    return out;
  }
  for (const p of root.children ?? []) {
    const k = p.children?.[0]?.value;
    if (k !== 'policies' && k !== 'cases' && k !== 'inputs' && k !== '$schema') out.problems.push({ message: `unknown field "${k}" (expected "policies", "cases" and "inputs")`, span: spanOf(p.children![0]) });
  }
  const inputs = prop(root, 'inputs');
  if (inputs) out.inputs = parseInputs(inputs, out.problems);
  const policies = prop(root, 'policies');
  if (!policies) out.problems.push({ message: '"policies" is missing: list the policy files to evaluate, relative to this file', span: { offset: root.offset, length: 1 } });
  else if (policies.type !== 'array' || !policies.children?.length) out.problems.push({ message: '"policies" must be a non-empty array of policy file paths', span: spanOf(policies) });
  else {
    for (const item of policies.children) {
      if (item.type === 'string' && item.value !== '') out.policies.push({ path: item.value as string, span: spanOf(item) });
      else out.problems.push({ message: 'each policy must be a file path (a non-empty string)', span: spanOf(item) });
    }
  }
  const cases = prop(root, 'cases');
  if (!cases) out.problems.push({ message: '"cases" is missing', span: { offset: root.offset, length: 1 } });
  else if (cases.type !== 'array') out.problems.push({ message: '"cases" must be an array of {"name", "request", "expect"}', span: spanOf(cases) });
  else {
    (cases.children ?? []).forEach((c, index) => {
      const tc: PolicyTestCase = { index, name: `case ${index + 1}`, span: spanOf(c), nameSpan: spanOf(c), problems: [] };
      out.cases.push(tc);
      if (c.type !== 'object') {
        tc.problems.push('a case must be an object with "name", "request" and "expect"');
        return;
      }
      for (const p of c.children ?? []) {
        const k = p.children?.[0]?.value;
        if (!['name', 'request', 'expect', 'description'].includes(k)) tc.problems.push(`unknown case field "${k}"`);
      }
      const name = prop(c, 'name');
      if (name?.type === 'string' && name.value) {
        tc.name = name.value as string;
        tc.nameSpan = spanOf(name);
      } else tc.problems.push('"name" must be a non-empty string');
      const request = prop(c, 'request');
      if (!request) tc.problems.push('"request" is missing');
      else {
        const v = validateRequest(nodeValue(request));
        if (v.request) tc.request = v.request;
        tc.problems.push(...v.problems);
      }
      const expect = prop(c, 'expect');
      if (expect?.type === 'string' && (EXPECTATIONS as readonly string[]).includes(expect.value)) tc.expect = expect.value as Expectation;
      else tc.problems.push(`"expect" must be one of ${EXPECTATIONS.join(', ')}`);
      for (const m of tc.problems) out.problems.push({ message: `${tc.name}: ${m}`, span: tc.span });
    });
  }
  return out;
}

export function expectationMet(expect: Expectation, decision: Decision): boolean {
  if (expect === 'Deny') return decision !== 'Allow';
  return expect === decision;
}

export interface CaseResult {
  testCase: PolicyTestCase;
  /** Undefined when the case could not run (see `testCase.problems`). */
  result?: EvalResult;
  passed: boolean;
}

/** Runs every runnable case against the policies (evaluated together). */
export function runPolicyTestCases(file: PolicyTestFile, policies: readonly EvalPolicy[]): CaseResult[] {
  return file.cases.map((testCase) => {
    if (!testCase.request || !testCase.expect || testCase.problems.length) return { testCase, passed: false };
    const result = evaluate(policies, testCase.request);
    return { testCase, result, passed: expectationMet(testCase.expect, result.decision) };
  });
}
