// A minimal LSP client over a child process's stdio, for the benchmark only (the server itself
// never starts processes). Every wait has a deadline.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function clientCapabilities({ pull }) {
  const textDocument = {
    synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { versionSupport: true, relatedInformation: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  };
  // Servers test for the key's presence: leave it out entirely for push.
  if (pull) textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
  return { workspace: { didChangeConfiguration: { dynamicRegistration: false } }, textDocument };
}

export class LspServer {
  /**
   * @param {string} label
   * @param {string[]} argv node arguments (script and its flags)
   * @param {{ pull: boolean, initializationOptions?: unknown, settings?: unknown, cwd: string }} options
   */
  constructor(label, argv, options) {
    this.label = label;
    this.argv = argv;
    this.options = options;
    this.listeners = new Set();
    this.logs = [];
    this.stderr = '';
    this.requests = 0;
  }

  async start() {
    const t0 = performance.now();
    this.child = spawn(process.execPath, this.argv, { cwd: this.options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child.stderr.on('data', (d) => {
      if (this.stderr.length < 20_000) this.stderr += d;
    });
    this.child.stdin.on('error', () => undefined);
    const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.conn = conn;
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      for (const l of [...this.listeners]) l(p);
    });
    conn.onNotification((method, params) => {
      if (method === 'window/logMessage' && this.logs.length < 200) this.logs.push(params?.message);
    });
    conn.onRequest((method, params) => {
      if (method === 'workspace/configuration') return (params?.items ?? []).map(() => null);
      return null;
    });
    conn.onError(() => undefined);
    conn.listen();
    const res = await withTimeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: clientCapabilities({ pull: this.options.pull }),
        initializationOptions: this.options.initializationOptions,
      }),
      30_000,
      `${this.label}: initialize`,
    );
    this.initializeMs = performance.now() - t0;
    this.capabilities = res.capabilities;
    await conn.sendNotification('initialized', {});
    if (this.options.settings !== undefined) await conn.sendNotification('workspace/didChangeConfiguration', { settings: this.options.settings });
    return this;
  }

  get pid() {
    return this.child.pid;
  }

  notify(method, params) {
    return this.conn.sendNotification(method, params);
  }

  request(method, params, ms = 20_000) {
    this.requests++;
    return withTimeout(this.conn.sendRequest(method, params), ms, `${this.label}: ${method}`);
  }

  /** Resolves with the next publishDiagnostics for `uri` that satisfies `accept`. */
  nextDiagnostics(uri, accept, ms) {
    let listener;
    let timer;
    return new Promise((resolve, reject) => {
      listener = (p) => {
        if (p.uri === uri && accept(p)) resolve(p);
      };
      this.listeners.add(listener);
      timer = setTimeout(() => reject(new Error(`${this.label}: no diagnostics for ${uri} within ${ms} ms`)), ms);
    }).finally(() => {
      this.listeners.delete(listener);
      clearTimeout(timer);
    });
  }

  /** VmRSS and VmHWM (peak) of the server process, in MB, from /proc (Linux). */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
    } catch {
      return { rssMB: NaN, peakMB: NaN };
    }
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    try {
      await this.request('shutdown', null, 5_000);
      await this.notify('exit');
    } catch {
      // fall through to the deadline below
    }
    const exited = await withTimeout(this.exited, 5_000, `${this.label}: exit`).catch(() => undefined);
    if (!exited) this.child.kill();
    await withTimeout(this.exited, 5_000, `${this.label}: kill`).catch(() => undefined);
    this.conn.dispose();
  }
}
