/**
 * The VS Code client's browser entry (`browser`): vscode.dev, github.dev and other web
 * workbenches, where extensions run in a Web Worker extension host with no Node. The language
 * server's browser build runs in a Web Worker of its own (browserServer.ts); everything else is
 * shared with the Node entry (client.ts).
 */
import type * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { browserServer } from './browserServer';
import { startIotPolicyClient, stopIotPolicyClient, type IotPolicyApi } from './client';

export async function activate(context: vscode.ExtensionContext): Promise<IotPolicyApi> {
  let log: (message: string) => void = () => undefined;
  const server = browserServer(context, (m) => log(m));
  context.subscriptions.push(server);
  return startIotPolicyClient(context, {
    create: (id, name, options) => {
      const client = new LanguageClient(id, name, () => server.start(), options);
      log = (m) => client.outputChannel.appendLine(m);
      return client;
    },
    host: () => server.host,
  });
}

export function deactivate(): Promise<void> {
  return stopIotPolicyClient();
}
