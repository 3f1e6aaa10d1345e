/**
 * The VS Code client: starts the IoT policy language server (server/dist/server.js) over IPC
 * and lets it decide which JSON documents are IoT policies. Everything else lives in the server.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  CONFIG_FILE_NAME,
  ServerStatusRequest,
  SETTINGS_SECTION,
  WorkspaceTrustNotification,
  type IotPolicyInitializationOptions,
  type ServerStatus,
} from '../../shared/src/protocol';
import { registerReviewPanel, type ReviewRender } from './reviewPanel';
import { registerTestAuthorization } from './testAuthorization';

let client: LanguageClient | undefined;

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Restarts the server whenever it dies. After MAX_RESTARTS crashes within RESTART_WINDOW_MS the
 * client still restarts it, but tells the user once, so a crash loop is visible and not silent.
 */
class RestartingErrorHandler implements ErrorHandler {
  private readonly crashes: number[] = [];
  private warned = false;
  constructor(private readonly output: vscode.OutputChannel) {}

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
  /** What the review panel shows (effective permissions or access changes), or undefined when it is closed. */
  reviewPanel(): ReviewRender | undefined;
  /** Fires each time the review panel renders (after an edit, a command). */
  onDidRenderReview: vscode.Event<ReviewRender>;
}

export async function activate(context: vscode.ExtensionContext): Promise<IotPolicyApi> {
  const serverModule = context.asAbsolutePath('server/dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const output = vscode.window.createOutputChannel('IoT Policy Language Server');
  context.subscriptions.push(output);

  const initializationOptions: IotPolicyInitializationOptions = {
    editor: 'vscode',
    workspaceTrusted: vscode.workspace.isTrusted,
  };
  const delay = Number(process.env.IOT_POLICY_DIAGNOSTIC_DELAY);
  if (Number.isFinite(delay) && delay >= 0) initializationOptions.diagnosticDelay = delay;

  const clientOptions: LanguageClientOptions = {
    // Every scheme (file, untitled, vscode-vfs, vscode-remote, ...): the server decides by name and
    // content; a YAML or JSON file that is neither a policy nor a template costs a few string searches.
    documentSelector: [
      { language: 'json' }, { language: 'jsonc' }, { language: 'yaml' },
      // Terraform files are `terraform` with HashiCorp's extension, plain text without it.
      // `templatefile()` templates (`policy.json.tpl`) are plain text; the server reads those holding a policy.
      { language: 'terraform' }, { pattern: '**/*.tf' }, { pattern: '**/*.tf.json' }, { pattern: '**/*.{tpl,tftpl}' },
      // CDK stacks: the server reads only files that mention CfnPolicy (one string search for the others).
      { language: 'typescript' }, { language: 'javascript' }, { language: 'python' },
    ],
    initializationOptions,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: new RestartingErrorHandler(output),
  };

  client = new LanguageClient('iotPolicy', 'IoT Policy Language Server', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
    }),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      if (!client) return;
      await client.restart();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
  );
  registerTestAuthorization(context, () => client);
  const review = registerReviewPanel(context, () => client);

  const stateEmitter = new vscode.EventEmitter<{ oldState: number; newState: number }>();
  context.subscriptions.push(stateEmitter, client.onDidChangeState((e) => stateEmitter.fire({ oldState: e.oldState, newState: e.newState })));

  await client.start();

  return {
    async serverStatus() {
      if (!client?.isRunning()) return undefined;
      return client.sendRequest(ServerStatusRequest.type);
    },
    onDidChangeState: stateEmitter.event,
    reviewPanel: () => review.current(),
    onDidRenderReview: review.onDidRender,
  };
}

export async function deactivate(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

/** For tests: the running client. */
export function getClient(): LanguageClient | undefined {
  return client;
}
