/**
 * The client/server contract (shared/src/protocol.ts): package.json declares what the code uses,
 * the library agrees with the names the contract publishes, the catalogue's actions are what the
 * server serves, and the module boundaries hold (the client reaches the server only through the
 * contract; the adapters have no import cycle).
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import {
  CONFIG_FILE_NAME,
  Commands,
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  SETTINGS_SECTION,
} from '../../shared/src/protocol';
import { authorizationActions } from '../../server/src/authorization';
import { FIX_ALL_KIND as LIBRARY_FIX_ALL_KIND } from '../../server/src/service/features/codeActions';
import { CONFIG_FILE_NAME as LIBRARY_CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE as LIBRARY_DIAGNOSTIC_SOURCE } from '../../server/src/service';
import { findAction, preferredActions } from '../../server/src/service/catalog/actions';

const ROOT = resolve(__dirname, '../../..');

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    codeActions?: { languages: string[]; actions: { kind: string }[] }[];
    configuration: { properties: Record<string, unknown> };
  };
  activationEvents: string[];
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contractCommands: string[] = Object.values(Commands).sort();

describe('package.json declares the contract', () => {
  test('every command id of the contract is declared in contributes.commands, and nothing else is', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, contractCommands);
  });

  test('every menu entry names a command of the contract', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) assert.ok(contractCommands.includes(e.command), `${menu}: ${e.command} is not a command of shared/src/protocol.ts`);
    }
  });

  test('the fix-all kind is contributed for every language the client selects', () => {
    const languages = manifest.activationEvents.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length)).sort();
    assert.ok(languages.includes('json') && languages.includes('yaml'), languages.join());
    const contributed = (manifest.contributes.codeActions ?? []).filter((c) => c.actions.some((a) => a.kind === FIX_ALL_KIND));
    assert.deepEqual(contributed.flatMap((c) => c.languages).sort(), languages);
  });

  test('every setting lives in the settings section the server reads', () => {
    const keys = Object.keys(manifest.contributes.configuration.properties);
    assert.ok(keys.length > 0);
    for (const k of keys) assert.ok(k.startsWith(`${SETTINGS_SECTION}.`), k);
  });
});

describe('the library agrees with the contract', () => {
  // The library defines these for its own callers (the CLI, tests); the server publishes the contract's.
  test('fix-all kind, diagnostic source and config file name are the same strings', () => {
    assert.equal(LIBRARY_FIX_ALL_KIND, FIX_ALL_KIND);
    assert.equal(LIBRARY_DIAGNOSTIC_SOURCE, DIAGNOSTIC_SOURCE);
    assert.equal(LIBRARY_CONFIG_FILE_NAME, CONFIG_FILE_NAME);
  });
});

describe('iotPolicy/authorizationActions', () => {
  const actions = authorizationActions();

  test('the offered actions are the catalogue\'s preferred actions, in its order', () => {
    assert.deepEqual(
      actions.filter((a) => !a.preferred).map((a) => a.name),
      preferredActions().map((a) => a.name),
    );
  });

  test('each action carries the catalogue\'s resource types, name and description', () => {
    for (const a of actions) {
      const info = findAction(a.name);
      assert.ok(info, a.name);
      assert.deepEqual(a.resourceTypes, info.resourceTypes, a.name);
      assert.equal(a.resourceName, info.resourceName, a.name);
      assert.equal(a.description, info.description, a.name);
      assert.equal(a.preferred, info.preferred, a.name);
    }
    assert.deepEqual(actions.find((a) => a.name === 'iot:Publish')?.resourceTypes[0], 'topic');
    assert.deepEqual(actions.find((a) => a.name === 'iot:Connect')?.resourceTypes[0], 'client');
    assert.ok(actions.some((a) => a.preferred), 'legacy spellings are served, marked with their preferred name');
  });

  test('the answer is a copy: changing it does not change the catalogue', () => {
    authorizationActions().find((a) => a.name === 'iot:Publish')?.resourceTypes.push('thing');
    assert.deepEqual(findAction('iot:Publish')?.resourceTypes, ['topic']);
  });
});

// ---- module boundaries ---------------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of every static `import`/`export ... from` (type-only ones included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const clause = String.raw`(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\}|[\w$]+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+[\w$]+))?)`;
  for (const m of text.matchAll(new RegExp(String.raw`^\s*(?:import|export)\s+${clause}\s+from\s+'([^']+)'`, 'gm'))) specs.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) specs.push(m[1]);
  return specs;
}

/** The file a relative specifier names, or undefined for a package. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next */
    }
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${spec}`);
}

const rel = (f: string) => relative(ROOT, f).replace(/\\/g, '/');

describe('module boundaries', () => {
  test('the client imports nothing under server/: only the contract, vscode and the language client', () => {
    for (const file of sourceFiles(join(ROOT, 'client', 'src'))) {
      for (const spec of importsOf(file)) {
        const target = resolveImport(file, spec);
        if (target) assert.ok(rel(target).startsWith('client/') || rel(target).startsWith('shared/'), `${rel(file)} imports ${spec}`);
        else assert.ok(['vscode', 'vscode-languageclient', 'vscode-languageclient/node', 'vscode-languageclient/browser'].includes(spec), `${rel(file)} imports ${spec}`);
      }
    }
  });

  test('the client names commands, requests and notifications only through the contract', () => {
    for (const file of sourceFiles(join(ROOT, 'client', 'src'))) {
      const text = readFileSync(file, 'utf8');
      const literal = /(?:registerCommand|sendRequest|sendNotification|onRequest|onNotification)\(\s*['"`]/.exec(text);
      assert.ok(!literal, `${rel(file)}: ${literal?.[0]}`);
    }
  });

  test('the contract imports only the protocol library (no vscode, no Node built-ins)', () => {
    for (const file of sourceFiles(join(ROOT, 'shared'))) {
      for (const spec of importsOf(file)) {
        const target = resolveImport(file, spec);
        if (target) assert.ok(rel(target).startsWith('shared/'), `${rel(file)} imports ${spec}`);
        else assert.equal(spec, 'vscode-languageserver-protocol', `${rel(file)} imports ${spec}`);
      }
    }
  });

  test('no import cycle among the client, the contract and the server adapter modules', () => {
    // service/ is the library (its layering is its own); cli/ is a separate adapter.
    const files = [
      ...sourceFiles(join(ROOT, 'client', 'src')),
      ...sourceFiles(join(ROOT, 'shared', 'src')),
      ...sourceFiles(join(ROOT, 'server', 'src')).filter((f) => !/[\\/]server[\\/]src[\\/](service|cli)[\\/]/.test(f)),
    ];
    const inScope = new Set(files);
    const edges = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s)).filter((t): t is string => !!t && inScope.has(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of edges.get(f) ?? []) {
        if (state.get(t) === 'open') assert.fail(`import cycle: ${[...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> ')}`);
        if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
  });
});
