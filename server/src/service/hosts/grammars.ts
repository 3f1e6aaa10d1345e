/**
 * Tree-sitter grammars (HCL for Terraform, TypeScript and Python for CDK code), loaded lazily:
 * the first Terraform file opened loads the runtime and the HCL grammar, and nothing is loaded
 * for a workspace of JSON policies. Loading is asynchronous, parsing is not: a host asks for a
 * grammar, gets it when it is ready, and otherwise the caller awaits `ensureGrammar` and asks
 * again (the server refreshes its diagnostics when a grammar arrives).
 *
 * Where the `.wasm` files come from is the adapter's business (a file next to the bundle in
 * Node, the extension's own files in a browser): it is injected with `setWasmSource`.
 */
import { Language, Parser } from 'web-tree-sitter';

export type GrammarName = 'hcl' | 'typescript' | 'python';

/** The wasm file of each grammar, as shipped next to the bundles (`server/dist/wasm/`). */
const GRAMMAR_FILES: Readonly<Record<GrammarName, string>> = {
  hcl: 'tree-sitter-terraform.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  python: 'tree-sitter-python.wasm',
};

/** The tree-sitter runtime's own wasm file. */
const RUNTIME_FILE = 'tree-sitter.wasm';

/** Reads a wasm file by name (`tree-sitter.wasm`, `tree-sitter-terraform.wasm`). */
export type WasmSource = (file: string) => Promise<Uint8Array>;

let source: WasmSource | undefined;
let runtime: Promise<void> | undefined;
const loaded = new Map<GrammarName, Language>();
const loading = new Map<GrammarName, Promise<Language | undefined>>();
const failed = new Map<GrammarName, string>();
const listeners = new Set<(name: GrammarName, problem?: string) => void>();

/** Sets where wasm files come from; with `replace` false, only when no source is set yet. */
export function setWasmSource(s: WasmSource, replace = true): void {
  if (replace || !source) source = s;
}

/**
 * Called when a grammar finishes loading (the server re-validates the documents waiting for it),
 * or fails to, with the reason (then its files cannot be read: the server says so).
 */
export function onGrammarLoaded(listener: (name: GrammarName, problem?: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    if (!source) throw new Error('no wasm source set');
    const wasmBinary = await source(RUNTIME_FILE);
    await Parser.init({ wasmBinary } as object);
  })();
  return runtime;
}

/** Loads a grammar (once); resolves undefined when it cannot be loaded (its reason: `grammarProblem`). */
export function ensureGrammar(name: GrammarName): Promise<Language | undefined> {
  const done = loaded.get(name);
  if (done) return Promise.resolve(done);
  let p = loading.get(name);
  if (!p) {
    p = (async () => {
      try {
        await initRuntime();
        const language = await Language.load(await source!(GRAMMAR_FILES[name]));
        loaded.set(name, language);
        for (const l of listeners) l(name);
        return language;
      } catch (err) {
        const problem = err instanceof Error ? err.message : String(err);
        failed.set(name, problem);
        for (const l of listeners) l(name, problem);
        return undefined;
      }
    })();
    loading.set(name, p);
  }
  return p;
}

/** The grammar if it is loaded; otherwise starts loading it and returns undefined. */
function grammar(name: GrammarName): Language | undefined {
  const g = loaded.get(name);
  if (!g && !loading.has(name)) void ensureGrammar(name);
  return g;
}

/** The load of a grammar under way (started by a host that needed it), or undefined when it is loaded, failed or never asked for. */
export function grammarLoading(name: GrammarName): Promise<unknown> | undefined {
  return loaded.has(name) || failed.has(name) ? undefined : loading.get(name);
}

/** Why a grammar could not be loaded, if it could not. */
export function grammarProblem(name: GrammarName): string | undefined {
  return failed.get(name);
}

const parsers = new Map<GrammarName, Parser>();

/** A parser for a loaded grammar (one per grammar, reused: tree-sitter parsers are not cheap to make). */
export function parserFor(name: GrammarName): Parser | undefined {
  const language = grammar(name);
  if (!language) return undefined;
  let p = parsers.get(name);
  if (!p) {
    p = new Parser();
    p.setLanguage(language);
    parsers.set(name, p);
  }
  return p;
}
