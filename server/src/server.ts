/**
 * The language server: a thin LSP adapter over the transport-free service in `./service`.
 * It decides which documents are IoT policies, keeps settings and the project config file,
 * and wires every request through `runSafe` so that a failing feature answers an empty result.
 */
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  DocumentSymbolParams,
  HoverParams,
  ResponseError,
  CompletionList,
  Connection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentSymbol,
  FileSystemWatcher,
  WatchKind,
  Hover,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyzeDocument,
  CANDIDATE_FILES_GLOB,
  configResolver,
  doComplete,
  doHover,
  emptyConfig,
  getCodeActions,
  isFixAllData,
  resolveFixAll,
  getPolicyDocumentSymbols,
  ignoreFileLines,
  mergeConfigs,
  onGrammarLoaded,
  openPolicyDocument,
  openPolicyDocumentLoaded,
  resourceCompletions,
  policyAt,
  toDiagnostics,
  type ConfigResolver,
  type OpenOptions,
  type PolicyConfig,
  type PolicyDocument,
} from './service';
import {
  CONFIG_FILE_NAME,
  DIAGNOSTIC_SOURCE,
  IGNORE_FILE_NAME,
  FIX_ALL_KIND,
  ServerStatusRequest,
  SETTINGS_SECTION,
  WorkspaceTrustNotification,
  type IotPolicyInitializationOptions,
  type ServerStatus,
} from '../../shared/src/protocol';
import { clientFiles } from './utils/clientFiles';
import { createModelCache } from './utils/modelCache';
import { registerReview } from './review';
import { registerTestFiles } from './testFiles';
import { runSafe } from './utils/runner';
import { defaultSettings, parseConfigFile, parseSettings, pathInFolder, settingsToConfig, type IotPolicySettings } from './utils/settings';
import { registerDiagnosticsPullSupport, registerDiagnosticsPushSupport, type DiagnosticsSupport } from './utils/validation';
import { startWarmUp, type WarmUp } from './utils/warmup';
import { registerWorkspaceDiagnostics, type WorkspaceDiagnostics } from './utils/workspaceDiagnostics';
import { workspaceFiles, type FolderFileAccess } from './utils/workspaceFiles';

/**
 * Host services the server needs: Node's (node/runtime.ts), a browser worker's
 * (browser/runtime.ts, where the client reads every file), or a test's.
 */
export interface ServerRuntime extends FolderFileAccess {
  /**
   * Reads a file, or resolves undefined when it cannot (missing file, a scheme this runtime cannot
   * read, not a regular file, too large, too slow). Never blocks the message loop. Node reads
   * `file:` URIs; the browser runtime asks the client.
   */
  readFile(uri: string): Promise<string | undefined>;
  /** Where the server runs (reported by `iotPolicy/serverStatus`); `node` when absent. */
  kind?: 'node' | 'browser';
  /** The process id, where there is a process. */
  pid?: number;
}

const DEFAULT_DIAGNOSTIC_DELAY = 50;

/** The document uri of request params, for log messages; safe on malformed params. */
function uriOf(params: unknown): string {
  const td = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument;
  return typeof td?.uri === 'string' ? td.uri : '(no document)';
}

export function startServer(connection: Connection, runtime: ServerRuntime): void {
  const documents = new TextDocuments(TextDocument);
  const logger = {
    error: (m: string) => connection.console.error(m),
    info: (m: string) => connection.console.info(m),
  };

  let init: IotPolicyInitializationOptions = {};
  let settings: IotPolicySettings = defaultSettings();
  let trusted = true;
  let workspaceFolders: string[] = [];
  /** `iot-policy.config.json` (with its overrides) and `.iot-policyignore` per workspace folder uri. */
  const fileConfigs = new Map<string, ConfigResolver>();
  let hasConfigurationCapability = false;
  let hasDynamicWatchers = false;
  let hasWorkspaceFolderEvents = false;
  let hasDynamicConfigurationRegistration = false;
  let diagnostics: DiagnosticsSupport | undefined;
  /** Workspace diagnostics (pull clients, where the server can list the workspace's files). */
  let workspaceDiagnostics: WorkspaceDiagnostics | undefined;
  /** The client reports changes of the files workspace diagnostics read (its watchers are registered). */
  let watchingFiles = false;
  /** Settles once the settings and configuration files of `initialized` are read. */
  let markReady: () => void = () => undefined;
  const initialized = new Promise<void>((resolve) => (markReady = resolve));
  /** The settings or configuration files being read again after a change (workspace diagnostics wait for them). */
  let reloading: Promise<unknown> = Promise.resolve();
  /** Reads the settings or config files again; workspace diagnostics answer with the new ones. */
  function reload<T>(p: Promise<T>): Promise<T> {
    reloading = Promise.all([reloading, p.catch(() => undefined)]);
    return p;
  }
  let snippetSupport = false;
  /** The client resolves a code action's edit (codeAction/resolve): Fix all is computed only when chosen. */
  let resolveEdits = false;

  // Each open document is read by its host once per version; null: not a document of ours.
  const openOptions = (uri: string, languageId?: string): OpenOptions => ({
    path: documentPath(uri), ...(languageId !== undefined ? { languageId } : {}), policyGlobs: settings.files, detectByContent: settings.detectByContent,
  });
  const policyDocs = createModelCache<PolicyDocument | null>((d, previous) => openPolicyDocument(d.getText(), openOptions(d.uri, d.languageId), previous ?? undefined) ?? null);
  // Policy test files, the Test authorization requests and every code lens (server/src/testFiles.ts).
  const testFiles = registerTestFiles({
    connection,
    documents,
    readFile: (uri) => runtime.readFile(uri),
    logger,
    policyDocument,
    skipSyntaxErrors: () => init.editor === 'vscode',
  });
  // The review panel's request (server/src/review.ts).
  registerReview({ connection, documents, readFile: (uri) => runtime.readFile(uri), logger, policyDocument, openOptions });

  // ---- which documents are ours ------------------------------------------------------------

  function documentPath(uri: string): string {
    const colon = uri.indexOf(':');
    let path = colon >= 0 ? uri.slice(colon + 1) : uri;
    path = path.replace(/^\/\/[^/]*/, ''); // authority
    path = path.replace(/[?#].*$/, '');
    try {
      return decodeURIComponent(path);
    } catch {
      return path;
    }
  }

  function isPolicyDocument(document: TextDocument): boolean {
    return policyDocs.get(document) !== null;
  }

  /** The policies a document holds, or undefined for documents that are not ours. */
  function policyDocument(uri: string): { document: TextDocument; pdoc: PolicyDocument } | undefined {
    const document = documents.get(uri);
    const pdoc = document && policyDocs.get(document);
    return document && pdoc ? { document, pdoc } : undefined;
  }

  // ---- configuration -----------------------------------------------------------------------

  function folderFor(uri: string): string | undefined {
    let best: string | undefined;
    for (const f of workspaceFolders) {
      const prefix = f.endsWith('/') ? f : f + '/';
      if (uri.startsWith(prefix) && (!best || f.length > best.length)) best = f;
    }
    return best ?? workspaceFolders[0];
  }

  /** The configuration file's view of a document: its folder's resolver and the document's path in that folder. */
  function folderConfig(uri: string): { resolver?: ConfigResolver; rel?: string } {
    const folder = folderFor(uri);
    const resolver = folder ? fileConfigs.get(folder) : undefined;
    return { resolver, rel: folder ? pathInFolder(folder, uri) : undefined };
  }

  function configFor(uri: string): PolicyConfig {
    const { resolver, rel } = folderConfig(uri);
    let fileConfig = resolver?.forFile(rel);
    if (fileConfig && !trusted) fileConfig = { rules: fileConfig.rules, defaults: {} };
    return mergeConfigs(fileConfig ?? emptyConfig(), settingsToConfig(settings));
  }

  /** True for a document the folder's `ignore` patterns or `.iot-policyignore` leave out: no diagnostics. */
  function isIgnored(uri: string): boolean {
    const { resolver, rel } = folderConfig(uri);
    return !!resolver?.ignores(rel);
  }

  async function loadConfigFiles(): Promise<void> {
    // Read everything first, then swap: validation running meanwhile sees the old config, never none.
    const loaded = new Map<string, ConfigResolver>();
    await Promise.all(
      workspaceFolders.map(async (folder) => {
        const base = folder.endsWith('/') ? folder : folder + '/';
        const [text, ignore] = await Promise.all([runtime.readFile(base + CONFIG_FILE_NAME), runtime.readFile(base + IGNORE_FILE_NAME)]);
        if (text === undefined && ignore === undefined) return;
        const { config, problems } = text === undefined ? { config: undefined, problems: [] } : parseConfigFile(text);
        for (const p of problems) logger.error(`${CONFIG_FILE_NAME} (${folder}): ${p}`);
        loaded.set(folder, configResolver(config, undefined, ignore === undefined ? [] : ignoreFileLines(ignore)));
      }),
    );
    fileConfigs.clear();
    for (const [k, v] of loaded) fileConfigs.set(k, v);
  }

  async function pullSettings(): Promise<void> {
    if (!hasConfigurationCapability) return;
    try {
      const [raw] = (await connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }])) as unknown[];
      settings = parseSettings(raw, (m) => logger.error(m));
    } catch (err) {
      logger.error(`Could not read the iotPolicy settings: ${String(err)}`);
    }
  }

  // A Terraform or code file opened before its grammar was loaded is read again once it is.
  onGrammarLoaded((name, problem) => {
    if (problem) logger.error(`The ${name} grammar could not be loaded, so ${name === 'hcl' ? 'Terraform' : 'CDK'} files are not analysed: ${problem}`);
    else revalidateAll(false);
  });

  /**
   * Analyses every open document again, and with `workspace` every file of workspace diagnostics
   * (a grammar that arrives changes nothing there: workspace diagnostics wait for it).
   */
  function revalidateAll(workspace = true): void {
    // Which documents are ours depends on the settings (iotPolicy.files, detectByContent).
    policyDocs.clear();
    diagnostics?.requestRefresh();
    if (workspace) workspaceDiagnostics?.invalidateAll();
  }

  // ---- validation --------------------------------------------------------------------------

  function validate(document: TextDocument): Diagnostic[] {
    if (isIgnored(document.uri)) return [];
    const pdoc = policyDocs.get(document);
    if (!pdoc) return [];
    // VS Code's JSON support already reports JSON syntax in `json` documents.
    const skip = init.editor === 'vscode' && document.languageId === 'json' && pdoc.hostId === 'json' ? new Set(['json-syntax']) : undefined;
    return toDiagnostics(document, analyzeDocument(pdoc, configFor(document.uri), { skip }));
  }

  /**
   * The diagnostics of a file that is not open (workspace diagnostics), or undefined when it holds
   * no policy. JSON syntax is reported even in VS Code: its JSON support checks open files only.
   */
  async function validateFile(uri: string, text: string): Promise<Diagnostic[] | undefined> {
    if (isIgnored(uri)) return undefined;
    const pdoc = await openPolicyDocumentLoaded(text, openOptions(uri));
    if (!pdoc) return undefined;
    return toDiagnostics(TextDocument.create(uri, 'plaintext', 0, text), analyzeDocument(pdoc, configFor(uri)));
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const opts = params.initializationOptions;
    init = opts && typeof opts === 'object' ? (opts as IotPolicyInitializationOptions) : {};
    trusted = init.workspaceTrusted !== false;
    const initialSettings = init.settings ?? init.iotPolicy;
    if (initialSettings !== undefined) settings = parseSettings(initialSettings, (m) => logger.error(m));
    const caps = params.capabilities;
    hasConfigurationCapability = !!caps.workspace?.configuration;
    snippetSupport = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    resolveEdits = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    hasDynamicWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hasWorkspaceFolderEvents = !!caps.workspace?.workspaceFolders;
    hasDynamicConfigurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri.replace(/\/$/, ''));
    if (!workspaceFolders.length && params.rootUri) workspaceFolders = [params.rootUri.replace(/\/$/, '')];

    const delay = typeof init.diagnosticDelay === 'number' && init.diagnosticDelay >= 0 ? init.diagnosticDelay : DEFAULT_DIAGNOSTIC_DELAY;
    const pull = !!caps.textDocument?.diagnostic && !init.pushDiagnostics;
    const pullRefresh = !!caps.workspace?.diagnostics?.refreshSupport;
    // Test-file results ride on the policy's pull (relatedDocuments) for clients that read them and
    // can be asked to pull again; every other client gets them pushed (server/src/testFiles.ts).
    const testFilesByPull = pull && pullRefresh && !!caps.textDocument?.diagnostic?.relatedDocumentSupport;
    diagnostics = pull
      ? registerDiagnosticsPullSupport(documents, connection, logger, validate, pullRefresh, testFilesByPull ? testFiles.pulled : undefined)
      : registerDiagnosticsPushSupport(documents, connection, logger, validate, delay);
    testFiles.initialize(caps, testFilesByPull ? { refresh: () => diagnostics?.requestRefresh() } : undefined);
    // Files not open: listed through the client where it can (VS Code), else by the runtime.
    const files = pull ? workspaceFiles(runtime, init.clientFiles === true ? clientFiles(connection) : undefined) : undefined;
    if (files) {
      workspaceDiagnostics = registerWorkspaceDiagnostics({
        connection,
        documents,
        logger,
        files,
        folders: () => workspaceFolders,
        enabled: () => settings.diagnostics.workspace,
        ready: () => Promise.all([initialized, reloading]).then(() => undefined),
        ignored: (folder, rel, isDir) => !!fileConfigs.get(folder)?.ignores(rel, isDir),
        analyze: validateFile,
        watching: () => watchingFiles,
        refresh: () => diagnostics?.requestRefresh(),
      });
    }

    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':', '{', '$', '.', '/'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'iot-policy-language-server', version: SERVER_VERSION },
    };
    if (pull) result.capabilities.diagnosticProvider = { interFileDependencies: testFilesByPull, workspaceDiagnostics: !!files, identifier: DIAGNOSTIC_SOURCE };
    return result;
  });

  let warmUp: WarmUp | undefined;
  connection.onInitialized(async () => {
    await Promise.all([pullSettings(), loadConfigFiles()]).catch((err: unknown) => logger.error(`Initial configuration failed: ${String(err)}`));
    markReady();
    revalidateAll();
    // The first edits of a session as fast as the later ones (utils/warmup.ts).
    if (init.warmUp !== false) warmUp = startWarmUp(undefined, (err) => logger.error(`Warm-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    if (hasDynamicConfigurationRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
    if (hasDynamicWatchers) {
      const watchers: FileSystemWatcher[] = [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: `**/${IGNORE_FILE_NAME}` }];
      if (workspaceDiagnostics) {
        // The files workspace diagnostics read, and folders created or deleted (a watcher reports a
        // deleted folder, not the files in it).
        watchers.push({ globPattern: CANDIDATE_FILES_GLOB }, { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete });
      }
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).then(
        () => (watchingFiles = !!workspaceDiagnostics),
        () => undefined,
      );
    }
    if (hasWorkspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        const removed = new Set(e.removed.map((f) => f.uri.replace(/\/$/, '')));
        workspaceFolders = workspaceFolders.filter((f) => !removed.has(f)).concat(e.added.map((f) => f.uri.replace(/\/$/, '')));
        await reload(loadConfigFiles());
        revalidateAll();
      });
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    const raw = (change.settings as { iotPolicy?: unknown } | null | undefined)?.iotPolicy;
    if (raw !== undefined) settings = parseSettings(raw, (m) => logger.error(m));
    else await reload(pullSettings());
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles(async (change) => {
    if (Array.isArray(change?.changes)) workspaceDiagnostics?.filesChanged(change.changes);
    if (!change.changes.some((c) => c.uri.endsWith('/' + CONFIG_FILE_NAME) || c.uri.endsWith('/' + IGNORE_FILE_NAME))) return;
    await reload(loadConfigFiles());
    revalidateAll();
  });

  connection.onNotification(WorkspaceTrustNotification.type, (params) => {
    // Any client may send it: only an explicit `false` revokes trust.
    trusted = (params as Partial<typeof params> | null)?.trusted !== false;
    revalidateAll();
  });

  const startedAt = Date.now();
  connection.onRequest(ServerStatusRequest.type, (): ServerStatus => {
    const all = documents.all();
    return {
      pid: runtime.pid ?? 0,
      runtime: runtime.kind ?? 'node',
      version: SERVER_VERSION,
      uptimeMs: Date.now() - startedAt,
      openDocuments: all.length,
      policyDocuments: all.filter((d) => {
        try {
          return isPolicyDocument(d);
        } catch {
          return false;
        }
      }).length,
    };
  });

  documents.onDidClose((e) => {
    policyDocs.onDocumentRemoved(e.document.uri);
    workspaceDiagnostics?.documentClosed(e.document.uri);
  });
  connection.onShutdown(() => {
    warmUp?.stop();
    diagnostics?.dispose();
    workspaceDiagnostics?.dispose();
    policyDocs.dispose();
  });

  // ---- features ----------------------------------------------------------------------------

  /**
   * A feature request on one of our documents: `compute` runs with its policies (contained by
   * runSafe: an error is logged and answers `empty`); other documents get `empty` at once.
   */
  function onPolicyRequest<P extends { textDocument: { uri: string } }, R>(
    what: string, empty: R, compute: (p: { document: TextDocument; pdoc: PolicyDocument }, params: P) => R,
  ): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
    return (params, token) => runSafe<R>(logger, () => {
      const p = policyDocument(params.textDocument.uri);
      return p ? compute(p, params) : empty;
    }, empty, `Error while computing ${what} for ${uriOf(params)}`, token);
  }

  connection.onHover(onPolicyRequest<HoverParams, Hover | null>('hover', null, (p, params) => {
    const entry = policyAt(p.pdoc, p.document.offsetAt(params.position));
    return entry ? doHover(p.document, entry.model, params.position) : null;
  }));

  const noCompletions: CompletionList = { isIncomplete: false, items: [] };
  connection.onCompletion((params, token) => runSafe<CompletionList>(logger, () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return noCompletions;
    const pdoc = policyDocs.get(document);
    const offset = document.offsetAt(params.position);
    if (pdoc && policyAt(pdoc, offset)) return doComplete(document, pdoc, params.position, { config: configFor(document.uri), snippetSupport });
    // Outside every policy: whole policy resources, where the editor has no snippets of its own
    // for the file (VS Code contributes them for its `terraform` language).
    if (init.editor === 'vscode' && document.languageId === 'terraform') return noCompletions;
    return resourceCompletions(document.getText(), offset, documentPath(document.uri), { snippetSupport }) ?? noCompletions;
  }, noCompletions, `Error while computing completions for ${uriOf(params)}`, token));

  connection.onCodeAction(onPolicyRequest<CodeActionParams, CodeAction[]>('code actions', [], (p, params) =>
    getCodeActions(p.document, p.pdoc, params.range, params.context.diagnostics, { config: configFor(p.document.uri), only: params.context.only, resolveEdits })));

  // Fix all is offered without its edit to clients that resolve it: computed here, when chosen,
  // on the document as it is now. Any other action comes back as it was.
  connection.onCodeActionResolve((action, token) => runSafe<CodeAction>(logger, () => {
    if (!isFixAllData(action.data)) return action;
    const p = policyDocument(action.data.uri);
    const edit = p && resolveFixAll(p.document, p.pdoc, configFor(p.document.uri));
    return edit ? { ...action, edit } : action;
  }, action, `Error while resolving the code action ${action.title}`, token));

  connection.onDocumentSymbol(onPolicyRequest<DocumentSymbolParams, DocumentSymbol[]>('document symbols', [], (p) => getPolicyDocumentSymbols(p.document, p.pdoc)));

  documents.listen(connection);
  connection.listen();
}

declare const __SERVER_VERSION__: string | undefined;
const SERVER_VERSION = typeof __SERVER_VERSION__ === 'string' ? __SERVER_VERSION__ : '0.1.0';
