/**
 * The VS Code client's Node entry (`main`): starts the IoT policy language server
 * (server/dist/server.js) as a Node process over IPC and lets it decide which documents are IoT
 * policies. Everything shared with the browser entry is in client.ts.
 */
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import type { IotPolicyInitializationOptions } from '../../shared/src/protocol';
import { startIotPolicyClient, stopIotPolicyClient, type IotPolicyApi } from './client';

export type { IotPolicyApi } from './client';
export { getClient } from './client';

export async function activate(context: vscode.ExtensionContext): Promise<IotPolicyApi> {
  const serverModule = context.asAbsolutePath('server/dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: Partial<IotPolicyInitializationOptions> = {};
  // The end-to-end tests set it to 0 so that every edit is validated at once.
  const delay = Number(process.env.IOT_POLICY_DIAGNOSTIC_DELAY);
  if (Number.isFinite(delay) && delay >= 0) initializationOptions.diagnosticDelay = delay;
  return startIotPolicyClient(context, {
    create: (id, name, options) => new LanguageClient(id, name, serverOptions, options),
    host: () => 'process',
    initializationOptions,
  });
}

export function deactivate(): Promise<void> {
  return stopIotPolicyClient();
}
