/**
 * The contract between the VS Code client and the language server: every custom request and
 * notification with its params and result, the initialization options, the command ids, the
 * fix-all code action kind and the diagnostic source. Both sides import it (esbuild bundles it
 * into each), so a name or a shape is written once and a mismatch fails to compile.
 *
 * It imports only the message-type classes of the protocol library: no `vscode`, no Node
 * built-ins, so it can run in a browser too. Other LSP clients (Neovim, Helix, ...) send the same
 * method names as plain strings; the names here are public and do not change.
 */
import { NotificationType, RequestType, RequestType0, type Range } from 'vscode-languageserver-protocol';

/** The `source` of every diagnostic the server publishes (and its pull diagnostics identifier). */
export const DIAGNOSTIC_SOURCE = 'iot-policy';

/** The "Fix all safe problems" source action: `editor.codeActionsOnSave` can name it. */
export const FIX_ALL_KIND = 'source.fixAll.iot-policy';

/** The settings section the server reads (`iotPolicy.files`, `iotPolicy.rules`, ...). */
export const SETTINGS_SECTION = 'iotPolicy';

/** The project configuration file the server reads from each workspace folder; the client watches it. */
export const CONFIG_FILE_NAME = 'iot-policy.config.json';

/** The ignore file (`.gitignore` syntax) the server reads beside it; the client watches it too. */
export const IGNORE_FILE_NAME = '.iot-policyignore';

/** Command ids. The client registers them; `package.json` declares them; the server's lenses name them. */
export const Commands = {
  restartServer: 'iotPolicy.restartServer',
  showOutput: 'iotPolicy.showOutput',
  /** "Test authorization…": evaluates a request against the active policy. */
  testAuthorization: 'iotPolicy.testAuthorization',
  /** The "▶ Run N cases" lens of a policy test file; its argument is the test file's URI. */
  runTestFile: 'iotPolicy.runTestFile',
  newPolicyFromTemplate: 'iotPolicy.newPolicyFromTemplate',
  /** "Show Effective Permissions": the `explain` table of the active policy, in a panel beside it. */
  showEffectivePermissions: 'iotPolicy.showEffectivePermissions',
  /** "Compare with Git HEAD…": the `diff` of the active policy against its HEAD version, in the same panel. */
  compareWithGitHead: 'iotPolicy.compareWithGitHead',
  /** "Compare with File…": the `diff` of the active policy against a policy file the user picks. */
  compareWithFile: 'iotPolicy.compareWithFile',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

// ---- initialization ----------------------------------------------------------------------------

/** What a client may send in `initializationOptions` (all optional). */
export interface IotPolicyInitializationOptions {
  /** `vscode` when the client is the VS Code extension: its JSON support already reports syntax errors in `json` documents. */
  editor?: string;
  /**
   * Longest cool-down of push diagnostics per document in ms (default 50; tests use 0). After an
   * analysis, the next one of that document waits four times as long as it took, at most this:
   * an edit to an idle document is analysed at once; edits within the cool-down are coalesced.
   */
  diagnosticDelay?: number;
  /** False when the workspace is not trusted: only rule severities are then taken from the workspace. */
  workspaceTrusted?: boolean;
  /** Initial `iotPolicy` settings, for clients without `workspace/configuration`. */
  settings?: unknown;
  /** Same, keyed like the settings section (Helix sends its `config` table as initialization options). */
  iotPolicy?: unknown;
  /** Force push diagnostics even when the client supports pull. */
  pushDiagnostics?: boolean;
  /**
   * True when the client answers `iotPolicy/readFile` and `iotPolicy/findFiles` (the VS Code
   * client does): the server then lists workspace files for workspace diagnostics through it.
   * The browser server reads every file through the client, which has the only file system.
   */
  clientFiles?: boolean;
  /**
   * False to skip the start-up warm-up (server/src/utils/warmup.ts: the analysis run on a sample
   * policy in idle time, so that the first edits are as fast as later ones). Tests that start
   * many servers turn it off; editors leave it on.
   */
  warmUp?: boolean;
}

// ---- workspace trust ---------------------------------------------------------------------------

export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** The client's workspace trust changed (VS Code sends it when the user grants trust). */
export const WorkspaceTrustNotification = {
  type: new NotificationType<WorkspaceTrustParams>('iotPolicy/workspaceTrust'),
};

// ---- server status -----------------------------------------------------------------------------

export interface ServerStatus {
  /** The server's process id; 0 in a browser, where it runs in a Web Worker. */
  pid: number;
  /** Where the server runs: a Node process, or a browser (a Web Worker or the extension host's worker). */
  runtime?: 'node' | 'browser';
  version: string;
  uptimeMs: number;
  openDocuments: number;
  policyDocuments: number;
}

/** The server's process id, version and open documents (diagnostics for users and tests). */
export const ServerStatusRequest = {
  type: new RequestType0<ServerStatus, void>('iotPolicy/serverStatus'),
};

// ---- authorization -----------------------------------------------------------------------------

/**
 * What an IoT policy action is authorised against; `*` means the resource must be `*`.
 * The server's catalogue has the same union (the server checks it at compile time).
 */
export type ResourceType = 'client' | 'topic' | 'topicfilter' | 'thing' | 'rolealias' | 'componentVersion' | '*';

/** One action of the server's catalogue, as "Test authorization…" offers it. */
export interface AuthorizationAction {
  /** Canonical name, e.g. `iot:Publish`. */
  name: string;
  /** The resource types it is authorised against; the first is the documented one. */
  resourceTypes: ResourceType[];
  /** What the resource name is, e.g. "the MQTT topic name". */
  resourceName: string;
  /** What the action permits. */
  description: string;
  /** For a legacy spelling, the preferred name (such actions are not offered, but are understood). */
  preferred?: string;
}

/** The data-plane actions a policy can grant, from the server's catalogue, in catalogue order. */
export const AuthorizationActionsRequest = {
  type: new RequestType0<AuthorizationAction[], void>('iotPolicy/authorizationActions'),
};

/** A request to authorise: what the device does, on what, in which context. */
export interface AuthorizationRequest {
  /** e.g. `iot:Publish`. */
  action: string;
  /** The full ARN, or `*`. */
  resource: string;
  /** Condition keys and policy variables by name, e.g. `{"iot:ClientId": "t1"}`. */
  context?: Record<string, unknown>;
}

export interface EvaluateParams {
  /** The policy documents evaluated together (all attached to the principal); at least one. */
  policyUris: string[];
  request: AuthorizationRequest;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** A statement that matched the request. */
export interface EvaluateMatched {
  /** The URI of the policy document the statement is in. */
  uri: string;
  /** The policy's name in notes and labels (its file name). */
  policy: string;
  /** Zero-based index in `Statement`. */
  statementIndex: number;
  effect: 'Allow' | 'Deny';
  /** The statement object in its document (offsets). */
  span: { offset: number; length: number };
  /** The statement object, for highlighting. */
  range: Range;
  sid?: string;
}

export interface EvaluateResult {
  decision: Decision;
  /** Every statement that matched, in policy then statement order. */
  matched: EvaluateMatched[];
  /** The statement that decided: the first matching Deny, else the first matching Allow. */
  deciding?: EvaluateMatched;
  /** The deciding statement, in words (policy, statement number / Sid, line). */
  decidingLabel?: string;
  /** Explanations: unresolved variables, literal variables under an old Version, near misses. */
  notes: string[];
}

/** Evaluates a request against policies given by URI (the client's "Test authorization…"). */
export const EvaluateRequest = {
  type: new RequestType<EvaluateParams, EvaluateResult, void>('iotPolicy/evaluate'),
};

// ---- policy test files -------------------------------------------------------------------------

export interface RunTestFileParams {
  /** The URI of a `*.iot-policy-test.json` file. */
  uri: string;
}

export interface RunTestFileCase {
  name: string;
  passed: boolean;
  expect?: string;
  decision?: string;
  decidedBy?: string;
  message: string;
}

export interface RunTestFileResult {
  uri: string;
  passed: number;
  failed: number;
  /** File-level problems (unknown policy file, syntax, ...). */
  problems: string[];
  cases: RunTestFileCase[];
}

/** Runs a policy test file now (the command of its "▶ Run N cases" lens). */
export const RunTestFileRequest = {
  type: new RequestType<RunTestFileParams, RunTestFileResult, void>('iotPolicy/runTestFile'),
};

// ---- files the client reads for the server -----------------------------------------------------
// The server asks; the client reads through its own file system (`vscode.workspace.fs`), which in
// a browser (vscode.dev, github.dev) is the only one: a Web Worker has none.

export interface ReadFileParams {
  uri: string;
  /**
   * False: refuse a symbolic link (workspace diagnostics read only the folder's own regular files,
   * never what a link points at, as the CLI's walk). Default true.
   */
  followLinks?: boolean;
}

export interface ReadFileResult {
  /** The file as UTF-8 text; absent when it cannot be read. */
  text?: string;
  /** Why it could not be read (missing, outside the workspace, too large, not a file). */
  problem?: string;
}

/** Reads a workspace file (the project config file, a policy a test file names, a closed policy file). */
export const ReadFileRequest = {
  type: new RequestType<ReadFileParams, ReadFileResult, void>('iotPolicy/readFile'),
};

export interface FindFilesParams {
  /** The workspace folder searched. */
  folder: string;
  /** A glob relative to the folder, e.g. `**\/*.{json,yaml,yml,tf}`. */
  include: string;
  /**
   * Folders and files left out, e.g. `**\/{node_modules,.git}/**`. The client leaves out what
   * `files.exclude` excludes too.
   */
  exclude?: string;
  maxResults: number;
}

/** The URIs of the folder's files matching the glob (for workspace diagnostics). */
export const FindFilesRequest = {
  type: new RequestType<FindFilesParams, string[], void>('iotPolicy/findFiles'),
};

export interface WasmFileParams {
  /** A file name of the extension's `server/dist/wasm/` folder, e.g. `tree-sitter-terraform.wasm`. */
  file: string;
}

export interface WasmFileResult {
  /** The file's bytes, base64 (JSON-RPC carries text). */
  base64: string;
}

/**
 * One of the extension's own tree-sitter wasm files, read by the client from the extension's
 * files (`vscode.Uri`): the browser server loads its parsers through it, never from the network.
 */
export const WasmFileRequest = {
  type: new RequestType<WasmFileParams, WasmFileResult, void>('iotPolicy/wasmFile'),
};

// ---- review: effective permissions and access differences --------------------------------------

/** A policy document given by text (a git revision, a file the client read), named for the reader. */
export interface ReviewBase {
  /** Where the text comes from (its path decides the host: `stack.yaml`, `main.tf`). */
  uri: string;
  /** The text; when absent the server reads the open document or the file. Empty when the revision has no such file. */
  text?: string;
  /** How the panel names it: `device.iot-policy.json @ HEAD`. */
  label: string;
  /** True when the revision has no such file: everything the new policy allows is new. */
  missing?: boolean;
}

export interface ReviewParams {
  /** `explain`: the effective permissions of `uri`; `diff`: what `uri` grants and takes away compared with `base`. */
  kind: 'explain' | 'diff';
  /** The policy document in the editor (its unsaved text counts). */
  uri: string;
  /** Which policy of a document that holds several (its name: `DevicePolicy`, `aws_iot_policy.device`); default the one at `offset`, else the first. */
  policy?: string;
  /** The cursor offset in `uri`, to pick the policy it is in. */
  offset?: number;
  base?: ReviewBase;
}

/** A statement in the panel: its label and where it is (for a link to it). */
export interface ReviewStatementRef {
  label: string;
  /** The document it is in, when the panel can open it. */
  uri?: string;
  line?: number;
}

/** One row of the table: an item of `explain` or `diff`, its cells as plain text. */
export interface ReviewRow {
  change: 'newly-allowed' | 'no-longer-allowed' | 'allowed';
  certainty: 'certain' | 'may';
  /** Why the engine says "may". */
  reason?: string;
  /** The item in a line, IoT terms; backticks mark code. */
  summary: string;
  /** The resource pattern, or `every resource except …` for NotResource. */
  resource: string;
  /** Conditions as written, and statements that must also match. */
  when: string[];
  /** What is carved out: the other side's Allows, Denies (with their conditions). */
  except: string[];
  from: ReviewStatementRef;
  /** A request decided as the row says: the witness of a diff, an example of explain. */
  witness?: { action: string; resource: string; context: string; decisions: string };
  notes: string[];
}

export interface ReviewSection {
  action: string;
  rows: ReviewRow[];
}

export interface ReviewResult {
  kind: 'explain' | 'diff';
  /** `Effective permissions`, `Access changes`. */
  title: string;
  /** The policies compared: `[{ label: 'base', names: [...] }, { label: 'new', names: [...] }]`, or one `policy` side. */
  sides: { label: string; names: string[] }[];
  /** The policies the document holds (names), when it holds more than one; `policy` is the one shown. */
  policies: string[];
  policy?: string;
  sections: ReviewSection[];
  /** Warnings for what matches nothing (explain). */
  warnings: string[];
  /** What could not be compared, values unknown before deploy. */
  notes: string[];
  /** False when an item says "may" or something could not be compared. */
  exact: boolean;
  /** A line for the top: counts, or why there is nothing (`No difference in access.`). */
  summary: string;
  /** Why nothing could be computed (not a policy, a syntax error); the table is then empty. */
  problem?: string;
}

/** The effective permissions of a policy, or its differences from a base: what the panel shows. */
export const ReviewRequest = {
  type: new RequestType<ReviewParams, ReviewResult, void>('iotPolicy/review'),
};
