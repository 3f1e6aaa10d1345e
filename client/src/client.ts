/**
 * What both entries of the VS Code client share (extension.ts for Node, browserExtension.ts for
 * vscode.dev and github.dev): the client options, the commands, the files the client reads for
 * the server, and the small API `activate` returns. Each entry only says how the server is
 * started: a Node process over IPC, or a Web Worker.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  RevealOutputChannelOn,
  type BaseLanguageClient,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
} from 'vscode-languageclient';
import {
  Commands,
  CONFIG_FILE_NAME,
  IGNORE_FILE_NAME,
  ServerStatusRequest,
  SETTINGS_SECTION,
  WorkspaceTrustNotification,
  type IotPolicyInitializationOptions,
  type ServerStatus,
} from '../../shared/src/protocol';
import { registerServerFiles } from './serverFiles';
import { registerReviewPanel, type ReviewRender } from './reviewPanel';
import { registerTestAuthorization } from './testAuthorization';

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Restarts the server whenever it dies. After MAX_RESTARTS crashes within RESTART_WINDOW_MS the
 * client still restarts it, but tells the user once, so a crash loop is visible and not silent.
 */
class RestartingErrorHandler implements ErrorHandler {
  private readonly crashes: number[] = [];
  private warned = false;
  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0] > RESTART_WINDOW_MS) this.crashes.shift();
    this.output.appendLine(`[client] The IoT policy language server stopped; restarting it (${this.crashes.length} in the last 3 minutes).`);
    if (this.crashes.length > MAX_RESTARTS && !this.warned) {
      this.warned = true;
      void vscode.window.showWarningMessage('The IoT policy language server keeps stopping. See the "IoT Policy Language Server" output for details.');
    }
    return { action: CloseAction.Restart, handled: true };
  }
}

/** What `activate` returns: a small API for tests and other extensions. */
export interface IotPolicyApi {
  /** The language server's status (its process id among others), or undefined when it is not running. */
  serverStatus(): Promise<ServerStatus | undefined>;
  /** Fires when the client's state changes (1 stopped, 2 running, 3 starting). */
  onDidChangeState: vscode.Event<{ oldState: number; newState: number }>;
  /**
   * Where the server runs: `process` (Node), `worker` (a Web Worker), or `extension-host` (inside
   * the extension host's own worker, where the host refuses workers).
   */
  serverHost(): string;
  /** What the review panel shows (effective permissions or access changes), or undefined when it is closed. */
  reviewPanel(): ReviewRender | undefined;
  /** Fires each time the review panel renders (after an edit, a command). */
  onDidRenderReview: vscode.Event<ReviewRender>;
}

/** How an entry makes its language client from the shared options. */
export interface ClientFactory {
  create(id: string, name: string, options: LanguageClientOptions): BaseLanguageClient;
  /** Where the server runs, once started (see `IotPolicyApi.serverHost`). */
  host(): string;
  /** Initialization options only this entry knows (the Node client's test-only diagnostic delay). */
  initializationOptions?: Partial<IotPolicyInitializationOptions>;
}

let client: BaseLanguageClient | undefined;

export async function startIotPolicyClient(context: vscode.ExtensionContext, factory: ClientFactory): Promise<IotPolicyApi> {
  const output = vscode.window.createOutputChannel('IoT Policy Language Server', { log: true });
  context.subscriptions.push(output);

  const initializationOptions: IotPolicyInitializationOptions = {
    editor: 'vscode',
    workspaceTrusted: vscode.workspace.isTrusted,
    clientFiles: true,
    ...factory.initializationOptions,
  };

  const clientOptions: LanguageClientOptions = {
    // Every scheme (file, untitled, vscode-vfs, vscode-remote, ...): the server decides by name and
    // content; a YAML or JSON file that is neither a policy nor a template costs a few string searches.
    documentSelector: [
      { language: 'json' }, { language: 'jsonc' }, { language: 'yaml' },
      // Terraform files are `terraform` with HashiCorp's extension, plain text without it.
      // `templatefile()` templates (`policy.json.tpl`) are plain text; the server reads those holding a policy.
      { language: 'terraform' }, { pattern: '**/*.tf' }, { pattern: '**/*.tf.json' }, { pattern: '**/*.{tpl,tftpl}' },
      // CDK stacks: the server reads only files that mention CfnPolicy or hold a Statement with an IoT action (a few string searches for the others).
      { language: 'typescript' }, { language: 'javascript' }, { language: 'python' },
    ],
    initializationOptions,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher(`**/{${CONFIG_FILE_NAME},${IGNORE_FILE_NAME}}`),
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new RestartingErrorHandler(output),
  };

  const c = factory.create('iotPolicy', 'IoT Policy Language Server', clientOptions);
  client = c;
  registerServerFiles(context, c);

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
    }),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      if (!client) return;
      await client.stop();
      await client.start();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
  );
  registerTestAuthorization(context, () => client);
  const review = registerReviewPanel(context, () => client);

  const stateEmitter = new vscode.EventEmitter<{ oldState: number; newState: number }>();
  context.subscriptions.push(stateEmitter, c.onDidChangeState((e) => stateEmitter.fire({ oldState: e.oldState, newState: e.newState })));

  await c.start();

  return {
    async serverStatus() {
      if (!client?.isRunning()) return undefined;
      return client.sendRequest(ServerStatusRequest.type);
    },
    onDidChangeState: stateEmitter.event,
    serverHost: () => factory.host(),
    reviewPanel: () => review.current(),
    onDidRenderReview: review.onDidRender,
  };
}

export async function stopIotPolicyClient(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

/** For tests: the running client. */
export function getClient(): BaseLanguageClient | undefined {
  return client;
}
