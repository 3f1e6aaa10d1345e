/**
 * Editor commands over the server's evaluator (requests of shared/src/protocol.ts):
 *
 * - `iotPolicy.testAuthorization` ("IoT Policy: Test authorization…") asks for the action, the
 *   client ID, the thing name (and attributes) and the topic or resource (the actions and their
 *   resource types come from the server's catalogue through `iotPolicy/authorizationActions`),
 *   evaluates the request against the active policy (and optionally other open policies) with
 *   `iotPolicy/evaluate`,
 *   shows the decision and highlights the deciding statement. Inputs are remembered per
 *   workspace. Scriptable: given an argument object with the inputs it asks nothing, and it
 *   returns the result either way.
 * - `iotPolicy.runTestFile` (the "Run N cases" code lens of `*.iot-policy-test.json`) runs the
 *   cases and shows "N passed, M failed".
 * - `iotPolicy.newPolicyFromTemplate` ("IoT Policy: New policy from template…") opens a new
 *   untitled policy from snippets/templates.json.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  AuthorizationActionsRequest,
  Commands,
  EvaluateRequest,
  RunTestFileRequest,
  SETTINGS_SECTION,
  type AuthorizationAction,
  type Decision,
  type EvaluateMatched,
  type EvaluateResult,
  type ResourceType,
  type RunTestFileResult,
} from '../../shared/src/protocol';

const STATE_KEY = 'iotPolicy.testAuthorization.last';

/** The inputs of "Test authorization…"; given as the command argument, nothing is asked. */
export interface TestAuthorizationArgs {
  action: string;
  clientId?: string;
  thingName?: string;
  /** Thing attributes, `k=v,k2=v2` or an object. */
  attributes?: string | Record<string, string>;
  /** The topic, topic filter, client ID, thing or role alias name (built into an ARN), or a full ARN, or `*`. Default from the action's resource type. */
  resource?: string;
  /** The policy documents (URIs); default: the active editor's document. */
  policyUri?: string;
  /** More policies evaluated together with it (all attached to the principal). */
  otherPolicyUris?: string[];
  /** Extra context keys (e.g. `aws:SourceIp`), merged over the ones built from the inputs. */
  context?: Record<string, unknown>;
  /** Show the message, the output and the highlight (default true). */
  show?: boolean;
}

export interface TestAuthorizationResult {
  decision: Decision;
  request: { action: string; resource: string; context: Record<string, unknown> };
  deciding?: { uri: string; policy: string; statementIndex: number; sid?: string; effect: 'Allow' | 'Deny'; range: vscode.Range; label?: string };
  matched: { uri: string; policy: string; statementIndex: number; effect: 'Allow' | 'Deny' }[];
  notes: string[];
}

interface Remembered {
  action?: string;
  clientId?: string;
  thingName?: string;
  attributes?: string;
  /** Last resource per resource type. */
  resources?: Record<string, string>;
}

interface Template {
  id: string;
  name: string;
  description?: string;
  body: string;
}

const toRange = (r: EvaluateMatched['range']) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Partition, region and account of the first IoT ARN in the policy, if any. */
function arnPartsOf(text: string): { partition: string; region?: string; account?: string } {
  const m = /arn:(aws[a-z-]*):iot:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):/.exec(text);
  return m ? { partition: m[1], region: m[2], account: m[3] } : { partition: 'aws' };
}

/** Parses `k=v,k2=v2` (spaces around names and values are trimmed; empty entries skipped). */
function parseAttributes(input: string | Record<string, string> | undefined): Record<string, string> {
  if (!input) return {};
  if (typeof input !== 'string') return { ...input };
  const out: Record<string, string> = {};
  for (const part of input.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    if (k) out[k] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The documented resource type of `action` (names ignore case), `topic` for an unknown action. */
function resourceTypeOf(actions: readonly AuthorizationAction[], action: string): ResourceType {
  const lower = action.toLowerCase();
  return actions.find((a) => a.name.toLowerCase() === lower)?.resourceTypes[0] ?? 'topic';
}

function resourcePrompt(type: ResourceType): string {
  switch (type) {
    case 'topic':
      return 'The MQTT topic (e.g. sensors/t1/temp), or a full ARN';
    case 'topicfilter':
      return 'The MQTT topic filter subscribed to (e.g. sensors/+/temp), or a full ARN';
    case 'client':
      return 'The client ID in the resource, or a full ARN';
    case 'thing':
      return 'The thing name in the resource, or a full ARN';
    case 'rolealias':
      return 'The role alias name, or a full ARN';
    case 'componentVersion':
      return 'The component version resource (name:version), or a full ARN';
    default:
      return 'The resource: * for this action, or a full ARN';
  }
}

function buildResource(input: string, type: ResourceType, parts: { partition: string; region: string; account: string }): string {
  const v = input.trim();
  if (v === '*' || v.startsWith('arn:')) return v;
  if (type === '*') return '*';
  if (type === 'componentVersion') return `arn:${parts.partition}:greengrass:${parts.region}:${parts.account}:components:${v}`;
  return `arn:${parts.partition}:iot:${parts.region}:${parts.account}:${type}/${v.replace(/^\//, '')}`;
}

function looksLikePolicy(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return false;
  return /"Statement"\s*:/.test(doc.getText());
}

export function registerTestAuthorization(context: vscode.ExtensionContext, getClient: () => BaseLanguageClient | undefined): void {
  const output = vscode.window.createOutputChannel('IoT Policy: Authorization');
  const highlight = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
    isWholeLine: true,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  let highlighted: { uri: string } | undefined;

  const clearHighlight = () => {
    if (!highlighted) return;
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === highlighted.uri) e.setDecorations(highlight, []);
    highlighted = undefined;
  };

  function server(): BaseLanguageClient {
    const client = getClient();
    if (!client) throw new Error('The IoT policy language server is not running.');
    return client;
  }

  const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

  // ---- Test authorization… -------------------------------------------------------------------

  async function askInputs(policy: vscode.TextDocument, last: Remembered, actions: readonly AuthorizationAction[]): Promise<TestAuthorizationArgs | undefined> {
    // Legacy spellings are understood when given, not offered.
    const offered = actions.filter((a) => !a.preferred);
    const items: (vscode.QuickPickItem & { action: string })[] = offered.map((a) => ({ label: a.name, description: a.resourceName, detail: a.description, action: a.name }));
    const lastIndex = items.findIndex((i) => i.action === last.action);
    if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
    const picked = await vscode.window.showQuickPick(items, { title: 'Test authorization (1/4): action', placeHolder: 'The action the client performs', matchOnDescription: true });
    if (!picked) return undefined;
    const action = picked.action;
    const clientId = await vscode.window.showInputBox({ title: 'Test authorization (2/4): client ID', prompt: 'The MQTT client ID (iot:ClientId)', value: last.clientId ?? '' });
    if (clientId === undefined) return undefined;
    const thingName = await vscode.window.showInputBox({
      title: 'Test authorization (3/4): thing',
      prompt: 'The thing attached to the certificate (iot:Connection.Thing.ThingName); empty for none. Attributes after a space: thing1 building=b1,floor=3',
      value: [last.thingName ?? clientId, last.attributes ?? ''].filter(Boolean).join(' '),
    });
    if (thingName === undefined) return undefined;
    const [thing, ...rest] = thingName.trim().split(/\s+/);
    const type = resourceTypeOf(actions, action);
    const defaultResource = last.resources?.[type] ?? (type === 'client' ? clientId : type === 'thing' ? (thing ?? '') : type === '*' ? '*' : '');
    const resource = await vscode.window.showInputBox({ title: 'Test authorization (4/4): resource', prompt: resourcePrompt(type), value: defaultResource });
    if (resource === undefined) return undefined;
    const others = vscode.workspace.textDocuments.filter((d) => d !== policy && !d.isClosed && looksLikePolicy(d));
    let otherPolicyUris: string[] = [];
    if (others.length) {
      const chosen = await vscode.window.showQuickPick(
        others.map((d) => ({ label: vscode.workspace.asRelativePath(d.uri), uri: d.uri.toString() })),
        { title: 'Also evaluate these open policies (attached to the same principal)?', canPickMany: true, placeHolder: 'None: only the active policy' },
      );
      if (chosen === undefined) return undefined;
      otherPolicyUris = chosen.map((c) => c.uri);
    }
    return { action, clientId, thingName: thing ?? '', attributes: rest.join(','), resource, otherPolicyUris };
  }

  async function testAuthorization(arg?: unknown): Promise<TestAuthorizationResult | undefined> {
    const scripted = arg && typeof arg === 'object' && typeof (arg as TestAuthorizationArgs).action === 'string' ? (arg as TestAuthorizationArgs) : undefined;
    let policy: vscode.TextDocument | undefined;
    if (scripted?.policyUri) policy = await vscode.workspace.openTextDocument(vscode.Uri.parse(scripted.policyUri));
    else policy = vscode.window.activeTextEditor?.document;
    if (!policy || (policy.languageId !== 'json' && policy.languageId !== 'jsonc')) {
      void vscode.window.showErrorMessage('Open an AWS IoT policy (a JSON document) first, then run "IoT Policy: Test authorization…".');
      return undefined;
    }
    let actions: AuthorizationAction[];
    try {
      actions = await server().sendRequest(AuthorizationActionsRequest.type);
    } catch (err) {
      void vscode.window.showErrorMessage(`Test authorization: ${errorText(err)}`);
      return undefined;
    }
    const last = context.workspaceState.get<Remembered>(STATE_KEY) ?? {};
    const inputs = scripted ?? (await askInputs(policy, last, actions));
    if (!inputs) return undefined;

    const type = resourceTypeOf(actions, inputs.action);
    const arn = arnPartsOf(policy.getText());
    const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION, policy.uri);
    const region = arn.region ?? (cfg.get<string>('defaults.region') || 'us-east-1');
    const account = arn.account ?? (cfg.get<string>('defaults.accountId') || '123456789012');
    const clientId = inputs.clientId?.trim() ?? '';
    const thingName = inputs.thingName?.trim() ?? '';
    const rawResource = inputs.resource ?? (type === 'client' ? clientId : type === 'thing' ? thingName : type === '*' ? '*' : '');
    const resource = buildResource(rawResource, type, { partition: arn.partition, region, account });
    const ctx: Record<string, unknown> = {};
    if (clientId) ctx['iot:ClientId'] = clientId;
    if (thingName) {
      ctx['iot:Connection.Thing.ThingName'] = thingName;
      ctx['iot:Connection.Thing.IsAttached'] = 'true';
    }
    const attributes = parseAttributes(inputs.attributes);
    for (const [k, v] of Object.entries(attributes)) ctx[`iot:Connection.Thing.Attributes[${k}]`] = v;
    Object.assign(ctx, inputs.context ?? {});

    await context.workspaceState.update(STATE_KEY, {
      action: inputs.action,
      clientId,
      thingName,
      attributes: typeof inputs.attributes === 'string' ? inputs.attributes : Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(','),
      resources: { ...(last.resources ?? {}), [type]: rawResource },
    } satisfies Remembered);

    const policyUris = [policy.uri.toString(), ...(inputs.otherPolicyUris ?? []).filter((u) => u !== policy.uri.toString())];
    const req = { action: inputs.action, resource, context: ctx };
    let r: EvaluateResult;
    try {
      r = await server().sendRequest(EvaluateRequest.type, { policyUris, request: req });
    } catch (err) {
      void vscode.window.showErrorMessage(`Test authorization: ${errorText(err)}`);
      return undefined;
    }
    const result: TestAuthorizationResult = {
      decision: r.decision,
      request: req,
      matched: r.matched.map((m) => ({ uri: m.uri, policy: m.policy, statementIndex: m.statementIndex, effect: m.effect })),
      notes: r.notes,
      ...(r.deciding
        ? {
            deciding: {
              uri: r.deciding.uri,
              policy: r.deciding.policy,
              statementIndex: r.deciding.statementIndex,
              ...(r.deciding.sid ? { sid: r.deciding.sid } : {}),
              effect: r.deciding.effect,
              range: toRange(r.deciding.range),
              ...(r.decidingLabel ? { label: r.decidingLabel } : {}),
            },
          }
        : {}),
    };
    if (inputs.show !== false) await show(result);
    return result;
  }

  async function show(result: TestAuthorizationResult): Promise<void> {
    const { request: req, deciding } = result;
    const decided = deciding ? ` — decided by ${deciding.label ?? `statement ${deciding.statementIndex + 1}`}` : ' — no statement matched';
    output.appendLine(`${new Date().toISOString()}  ${result.decision}: ${req.action} on ${req.resource}${decided}`);
    output.appendLine(`  context: ${JSON.stringify(req.context)}`);
    for (const m of result.matched) output.appendLine(`  matched: statement ${m.statementIndex + 1} (${m.effect}) of ${m.policy}`);
    for (const n of result.notes) output.appendLine(`  note: ${n}`);
    output.appendLine('');
    void vscode.window.showInformationMessage(`${result.decision}: ${req.action} on ${req.resource}${decided}.`, 'Show details').then((choice) => {
      if (choice) output.show(true);
    });

    clearHighlight();
    if (!deciding) return;
    const uri = vscode.Uri.parse(deciding.uri);
    let editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    editor = await vscode.window.showTextDocument(editor?.document ?? (await vscode.workspace.openTextDocument(uri)), {
      viewColumn: editor?.viewColumn,
      preserveFocus: false,
      preview: false,
    });
    editor.setDecorations(highlight, [deciding.range]);
    editor.selection = new vscode.Selection(deciding.range.start, deciding.range.end);
    editor.revealRange(deciding.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    highlighted = { uri: uri.toString() };
  }

  // ---- Run test file -------------------------------------------------------------------------

  async function runTestFile(arg?: unknown): Promise<RunTestFileResult | undefined> {
    const uri = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.toString() : vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri) {
      void vscode.window.showErrorMessage('Open a policy test file (*.iot-policy-test.json) first.');
      return undefined;
    }
    let r: RunTestFileResult;
    try {
      r = await server().sendRequest(RunTestFileRequest.type, { uri });
    } catch (err) {
      void vscode.window.showErrorMessage(`Run policy tests: ${errorText(err)}`);
      return undefined;
    }
    output.appendLine(`${new Date().toISOString()}  ${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}`);
    for (const p of r.problems) output.appendLine(`  problem: ${p}`);
    for (const c of r.cases) output.appendLine(`  ${c.passed ? 'PASS' : 'FAIL'}  ${c.name}: ${c.message}`);
    const summary = `${r.passed} passed, ${r.failed} failed`;
    output.appendLine(summary + '\n');
    const show = r.failed || r.problems.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`Policy tests: ${summary}${r.problems.length ? ` (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in the file)` : ''}.`, 'Show details').then((c) => {
      if (c) output.show(true);
    });
    return r;
  }

  // ---- New policy from template ------------------------------------------------------------

  async function loadTemplates(): Promise<Template[]> {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'snippets', 'templates.json'));
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { templates?: unknown };
    const list = Array.isArray(parsed.templates) ? parsed.templates : [];
    return list.filter((t): t is Template => !!t && typeof t === 'object' && typeof (t as Template).body === 'string' && typeof (t as Template).name === 'string');
  }

  async function newPolicyFromTemplate(arg?: unknown): Promise<{ uri: string; template: string } | undefined> {
    let templates: Template[];
    try {
      templates = await loadTemplates();
    } catch (err) {
      void vscode.window.showErrorMessage(`Cannot read the policy templates: ${errorText(err)}`);
      return undefined;
    }
    let template: Template | undefined;
    const wanted = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof (arg as { template?: unknown }).template === 'string' ? (arg as { template: string }).template : undefined;
    if (wanted !== undefined) {
      template = templates.find((t) => t.id === wanted || t.name === wanted);
      if (!template) {
        void vscode.window.showErrorMessage(`No policy template "${wanted}".`);
        return undefined;
      }
    } else {
      const picked = await vscode.window.showQuickPick(
        templates.map((t) => ({ label: t.name, detail: t.description, template: t })),
        { title: 'New IoT policy from template', matchOnDetail: true },
      );
      template = picked?.template;
    }
    if (!template) return undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: '' });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await editor.insertSnippet(new vscode.SnippetString(template.body), new vscode.Position(0, 0));
    return { uri: doc.uri.toString(), template: template.id };
  }

  context.subscriptions.push(
    output,
    highlight,
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (highlighted && e.contentChanges.length && e.document.uri.toString() === highlighted.uri) clearHighlight();
    }),
    vscode.commands.registerCommand(Commands.testAuthorization, testAuthorization),
    vscode.commands.registerCommand(Commands.runTestFile, runTestFile),
    vscode.commands.registerCommand(Commands.newPolicyFromTemplate, newPolicyFromTemplate),
  );
}
