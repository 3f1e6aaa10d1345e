/**
 * Automated parts of the security review (docs/security.md):
 * - the sources of the server, library and CLI import no network, process or code-loading module,
 *   never `vscode`, and never call eval or the Function constructor;
 * - in the server and CLI bundles (built here with esbuild, as esbuild.mjs does), the only modules
 *   that import `child_process` or `net` are the two library files the review accepts, and no
 *   module imports http, https, http2, dns, tls, dgram, vm or worker_threads;
 * - run over stdio with child_process, net, http(s), dns and fetch replaced by traps, a whole LSP
 *   session (policies, hostile text, every feature, configuration, shutdown) trips none of them;
 * - the wildcard matcher answers correctly on `a*a*…b` patterns against long inputs, and file globs
 *   with many stars (once a ReDoS, docs/security.md F1) answer correctly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { matchWildcard, parsePattern, patternContains, patternsOverlap } from '../../server/src/service/match/wildcard';
import { compileGlob, matchesPolicyGlobs } from '../../server/src/service/detect';

// out/test/unit → repository root
const ROOT = join(__dirname, '..', '..', '..');

/** The CLI's reader of `git:REF` policies: the only module that may start a process (git). */
const GIT_READER = 'server/src/cli/git.ts';

/** Node modules that reach the network, start processes or load code. */
const FORBIDDEN_MODULES = ['child_process', 'net', 'http', 'https', 'http2', 'dns', 'tls', 'dgram', 'vm', 'worker_threads', 'cluster', 'inspector'];

/**
 * The one exception: `iot-policy lint` lints many files on worker threads. Only the pool and the
 * worker module import worker_threads, and the pool starts nothing but the worker module's own
 * file (checked below), never a path or code from the workspace.
 */
/** The idle memory trim reaches V8's collector through `vm`, with one constant expression (node/memory.ts). */
const MEMORY_TRIMMER = 'server/src/node/memory.ts';
const WORKER_MODULES = ['server/src/cli/parallel.ts', 'server/src/cli/worker.ts'];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of static imports, `require(...)` and `import(...)` in TypeScript source. */
function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

const bare = (spec: string) => spec.replace(/^node:/, '').split('/')[0];

describe('security: sources', () => {
  const serverFiles = tsFiles(join(ROOT, 'server', 'src'));

  it('finds the sources', () => {
    assert.ok(serverFiles.length > 10, `only ${serverFiles.length} files under server/src`);
  });

  it('nothing under server/ imports vscode', () => {
    for (const f of serverFiles) {
      const bad = importsOf(readFileSync(f, 'utf8')).filter((s) => s === 'vscode');
      assert.deepEqual(bad, [], `${relative(ROOT, f)} imports vscode`);
    }
  });

  it('server, library and CLI import no network, process or code-loading module (worker_threads only in the lint pool; git:REF starts git; vm only to reach the collector)', () => {
    for (const f of serverFiles) {
      const rel = relative(ROOT, f).split(sep).join('/');
      // `diff --base git:REF` reads a file at a revision with `git show`: the one process the CLI starts.
      const allowed = [
        ...(rel === GIT_READER ? ['child_process'] : []),
        ...(WORKER_MODULES.includes(rel) ? ['worker_threads'] : []),
        ...(rel === MEMORY_TRIMMER ? ['vm'] : []),
      ];
      const bad = importsOf(readFileSync(f, 'utf8')).filter((s) => FORBIDDEN_MODULES.includes(bare(s)) && !allowed.includes(bare(s)));
      assert.deepEqual(bad, [], `${rel} imports ${bad.join(', ')}`);
    }
  });

  it('the lint pool starts only the worker module\'s own file, with no code given as text', () => {
    const starts: string[] = [];
    for (const f of serverFiles) {
      const code = stripComments(readFileSync(f, 'utf8'));
      for (const m of code.matchAll(/new\s+Worker\s*\(([^,)]*)/g)) starts.push(`${relative(ROOT, f).split(sep).join('/')}: ${m[1].trim()}`);
      assert.ok(!/\beval\s*:\s*true/.test(code), `${relative(ROOT, f)} starts a worker from code text`);
    }
    assert.deepEqual(starts, ['server/src/cli/parallel.ts: WORKER_SCRIPT']);
    assert.match(readFileSync(join(ROOT, 'server/src/cli/worker.ts'), 'utf8'), /export const WORKER_SCRIPT = __filename;/);
  });

  it('the memory trimmer evaluates one constant expression, nothing from input', () => {
    const code = stripComments(readFileSync(join(ROOT, MEMORY_TRIMMER), 'utf8'));
    const calls = [...code.matchAll(/\b(runInNewContext|runInContext|runInThisContext|compileFunction|Script|SourceTextModule)\b(\s*\([^)]*\))?/g)]
      .filter((m) => !/^import\b/.test(code.slice(code.lastIndexOf('\n', m.index) + 1)))
      .map((m) => m[0]);
    assert.deepEqual(calls, ["runInNewContext('typeof gc === \"function\" ? gc : undefined')"]);
  });

  it('the git reader runs only git, with an argument array and no shell', () => {
    const code = stripComments(readFileSync(join(ROOT, GIT_READER), 'utf8'));
    const calls = [...code.matchAll(/\b(spawn|spawnSync|exec|execSync|execFile|execFileSync|fork)\s*\(/g)].map((m) => m[1]);
    assert.deepEqual(calls, ['execFileSync']);
    assert.match(code, /execFileSync\('git', \[/);
    assert.match(code, /shell: false/);
  });

  it('the library (server/src/service) uses only its parsers (in hosts/) and the two LSP type packages', () => {
    const allowed = new Set(['vscode-languageserver-types', 'vscode-languageserver-textdocument']);
    const parsers = new Set(['jsonc-parser', 'yaml', 'web-tree-sitter']);
    for (const f of serverFiles.filter((x) => x.includes(`${sep}service${sep}`))) {
      const inHosts = f.includes(`${sep}service${sep}hosts${sep}`);
      const bad = importsOf(readFileSync(f, 'utf8')).filter((s) => !s.startsWith('.') && !allowed.has(s) && !(inHosts && parsers.has(s)));
      assert.deepEqual(bad, [], `${relative(ROOT, f)} imports ${bad.join(', ')}`);
    }
  });

  it('no eval, Function constructor, fetch or vscode-languageserver Files helpers (which spawn npm/yarn)', () => {
    const patterns: [string, RegExp][] = [
      ['eval(', /\beval\s*\(/],
      ['new Function', /\bnew\s+Function\b/],
      ['Function(', /(^|[^\w.])Function\s*\(/],
      ['fetch(', /(^|[^\w.])fetch\s*\(/],
      ['Files.', /\bFiles\s*\.\s*(resolve|resolveGlobalNodePath|resolveGlobalYarnPath|resolveModulePath)\b/],
    ];
    for (const f of serverFiles) {
      const code = stripComments(readFileSync(f, 'utf8'));
      for (const [name, re] of patterns) assert.ok(!re.test(code), `${relative(ROOT, f)} uses ${name}`);
    }
  });

  it('the checks above can fail', () => {
    assert.deepEqual(importsOf("import { x } from 'vscode';\nconst cp = require('node:child_process');"), ['vscode', 'node:child_process']);
    assert.equal(bare('node:child_process'), 'child_process');
    assert.ok(/\beval\s*\(/.test(stripComments('const a = eval ("1");')));
    assert.ok(!/\beval\s*\(/.test(stripComments('// eval(1)\n/* eval(2) */')));
  });
});

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

async function bundle(entry: string): Promise<{ text: string; metafile: Metafile }> {
  // The same settings as esbuild.mjs, in memory and unminified.
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    mainFields: ['module', 'main'],
    outfile: join(ROOT, 'out', 'security-check.js'),
  });
  return { text: r.outputFiles[0].text, metafile: r.metafile as Metafile };
}

/** Which bundled input files import each forbidden Node module. */
function forbiddenImporters(meta: Metafile): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [input, { imports }] of Object.entries(meta.inputs)) {
    for (const imp of imports) {
      const mod = bare(imp.path);
      if (!imp.external || !FORBIDDEN_MODULES.includes(mod)) continue;
      out.set(mod, [...(out.get(mod) ?? []), input.replace(/\\/g, '/')]);
    }
  }
  return out;
}

/** An unminified esbuild bundle split at its `// path/to/module.js` comments. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = '(prelude)';
  let buf: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
    if (m) {
      out.set(name, (out.get(name) ?? '') + buf.join('\n'));
      name = m[1];
      buf = [];
    } else buf.push(line);
  }
  out.set(name, (out.get(name) ?? '') + buf.join('\n'));
  return out;
}


/**
 * The only `eval(` a bundle may hold: web-tree-sitter's dynamic linker, which evaluates the
 * EM_ASM and EM_JS snippets a side module (a grammar) embeds. Ours embed none (checked below), so
 * these calls never run; and the grammars are our own files, never the workspace's.
 */
const TREE_SITTER_EVALS = ['ASM_CONSTS[start] = eval(func)', 'moduleExports[name] = eval(func)'];

function unexpectedEvals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/.{0,40}\beval\s*\(.{0,10}/g)) if (!TREE_SITTER_EVALS.some((e) => m[0].includes(e))) out.push(m[0].trim());
  return out;
}

describe('security: bundles', () => {
  it('server bundle: child_process only in vscode-languageserver files.js (unused), net only in vscode-jsonrpc transports, nothing else', async () => {
    const { text, metafile } = await bundle('server/src/node/main.ts');
    const found = Object.fromEntries(forbiddenImporters(metafile));
    assert.deepEqual(found, {
      // Files.resolve* helpers (npm/yarn global path lookup): exported by vscode-languageserver/node, never called by us (see the source test).
      child_process: ['node_modules/vscode-languageserver/lib/node/files.js'],
      // --socket=<port> / --pipe=<name> transports, used only when the editor starts the server with those flags.
      net: ['node_modules/vscode-jsonrpc/lib/node/main.js'],
      // The idle memory trim's one constant expression (see the source test).
      vm: ['server/src/node/memory.ts'],
    });
    assert.deepEqual(unexpectedEvals(text), [], 'server bundle contains eval(');
    assert.ok(!/\bnew\s+Function\s*\(/.test(text), 'server bundle contains new Function(');
    // The Files helpers (which spawn npm/yarn) are referenced only in files.js itself and where
    // vscode-languageserver/node copies them into its exported `Files` namespace.
    for (const [section, code] of sections(text)) {
      if (section.endsWith('vscode-languageserver/lib/node/files.js')) continue;
      for (const name of ['resolveGlobalNodePath', 'resolveGlobalYarnPath', 'resolveModulePath']) {
        const uses = code.split('\n').filter((l) => l.includes(name) && l.trim() !== `Files2.${name} = fm.${name};`);
        assert.deepEqual(uses, [], `${name} used in ${section}`);
      }
    }
  });

  it('the shipped grammars embed no EM_ASM or EM_JS code, so the tree-sitter linker never evaluates any', () => {
    for (const f of ['tree-sitter-terraform.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-python.wasm']) {
      const bytes = readFileSync(join(ROOT, 'server', 'dist', 'wasm', f)).toString('latin1');
      assert.ok(!bytes.includes('__start_em_asm') && !bytes.includes('__em_js__'), `${f} embeds JavaScript`);
    }
  });

  it('CLI bundle: no network or code-loading module; worker_threads only in the lint pool, child_process only in the git reader', async () => {
    const { text, metafile } = await bundle('server/src/cli/main.ts');
    assert.deepEqual(Object.fromEntries([...forbiddenImporters(metafile)].map(([k, v]) => [k, [...v].sort()])), { worker_threads: WORKER_MODULES, child_process: [GIT_READER] });
    assert.deepEqual(unexpectedEvals(text), [], 'CLI bundle contains eval(');
    assert.ok(!/\bnew\s+Function\s*\(/.test(text), 'CLI bundle contains new Function(');
  });
});

/** A preload that replaces every way to start a process or open a connection with a trap. */
const TRAPS = `
const fs = require('fs');
function trap(what) {
  return function () {
    fs.writeSync(2, 'SECURITY-TRAP ' + what + '\\n');
    throw new Error('blocked by the security test: ' + what);
  };
}
function replace(mod, names) {
  const m = require(mod);
  for (const n of names) if (typeof m[n] === 'function') m[n] = trap(mod + '.' + n);
}
replace('child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
replace('net', ['connect', 'createConnection', 'createServer']);
replace('tls', ['connect', 'createServer']);
replace('http', ['request', 'get', 'createServer']);
replace('https', ['request', 'get', 'createServer']);
replace('http2', ['connect', 'createServer', 'createSecureServer']);
replace('dgram', ['createSocket']);
replace('dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']);
globalThis.fetch = trap('fetch');
globalThis.WebSocket = trap('WebSocket');
`;

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

describe('security: the running server', () => {
  it('a whole LSP session over stdio starts no process and opens no connection', { timeout: 120_000 }, async () => {
    const server = join(ROOT, 'server', 'dist', 'server.js');
    assert.ok(readdirSync(join(ROOT, 'server', 'dist')).includes('server.js'), 'server/dist/server.js is missing: run `npm run build`');
    const dir = mkdtempSync(join(tmpdir(), 'iot-policy-security-'));
    const preload = join(dir, 'traps.cjs');
    writeFileSync(preload, TRAPS);
    writeFileSync(join(dir, 'iot-policy.config.json'), '{"rules": {}, "defaults": {"region": "eu-west-1"}}');
    const child = spawn(process.execPath, ['--require', preload, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const logs: string[] = [];
    connection.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
    connection.onRequest('workspace/configuration', (params: { items?: unknown[] }) => (params?.items ?? []).map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    try {
      const folder = `file://${dir.split(sep).map(encodeURIComponent).join('/')}`;
      await withDeadline(
        connection.sendRequest('initialize', {
          processId: process.pid,
          rootUri: folder,
          workspaceFolders: [{ uri: folder, name: 'ws' }],
          capabilities: { textDocument: { diagnostic: {}, completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } },
          initializationOptions: { diagnosticDelay: 0, settings: { files: ['**/*.json'] } },
        }),
        20_000,
        'initialize',
      );
      await connection.sendNotification('initialized', {});
      const A = 'arn:aws:iot:eu-west-1:493812760155';
      const texts = [
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publsh'], Resource: `${A}:client/\${iot:ClientId}` }] }, null, 2),
        `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"iot:*","Resource":"${A}:topic/${'a*'.repeat(100)}b"},{"Effect":"Deny","Action":"iot:Publish","Resource":"${A}:topic/${'a'.repeat(5000)}"}]}`,
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "http://example.com/${',
        '{"Statement": "\u0000\uD800\u202E${${', // broken on purpose
        '['.repeat(5000),
      ];
      for (const [i, text] of texts.entries()) {
        const uri = `${folder}/p${i}.iot-policy.json`;
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
        await withDeadline(connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }), 20_000, 'diagnostic');
        for (const offset of [0, 10, 40, 80, Math.floor(text.length / 2), text.length]) {
          const line = text.slice(0, offset).split('\n').length - 1;
          const character = offset - (text.lastIndexOf('\n', offset - 1) + 1);
          const position = { line, character };
          await withDeadline(connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }), 20_000, 'hover');
          await withDeadline(connection.sendRequest('textDocument/completion', { textDocument: { uri }, position }), 20_000, 'completion');
        }
        const range = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
        await withDeadline(connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }), 20_000, 'codeAction');
        await withDeadline(connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), 20_000, 'documentSymbol');
        await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      await connection.sendNotification('workspace/didChangeConfiguration', { settings: { iotPolicy: { rules: { 'json-syntax': 'off' } } } });
      await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${folder}/iot-policy.config.json`, type: 2 }] });
      await withDeadline(connection.sendRequest('shutdown'), 10_000, 'shutdown');
      await connection.sendNotification('exit');
      assert.equal(await withDeadline(exited, 10_000, 'exit'), 0, stderr);
    } finally {
      connection.dispose();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    const tripped = [...stderr.split('\n'), ...logs].filter((l) => /SECURITY-TRAP|blocked by the security test/.test(l));
    assert.deepEqual(tripped, []);
  });

  it('the traps work (the test above can fail)', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iot-policy-security-'));
    const preload = join(dir, 'traps.cjs');
    writeFileSync(preload, TRAPS);
    try {
      const child = spawn(process.execPath, ['--require', preload, '-e', "try { require('child_process').spawnSync('true') } catch {} ; try { require('http').get('http://127.0.0.1:9') } catch {}"], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      await withDeadline(new Promise((r) => child.once('exit', r)), 20_000, 'trap check');
      assert.match(stderr, /SECURITY-TRAP child_process\.spawnSync/);
      assert.match(stderr, /SECURITY-TRAP http\.get/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Reference matcher: dynamic programming over (pattern, text), O(|p|·|t|) and obviously right. */
function referenceMatch(pattern: string, text: string): boolean {
  const p = pattern;
  let prev = new Array<boolean>(text.length + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= p.length; i++) {
    const cur = new Array<boolean>(text.length + 1).fill(false);
    const c = p[i - 1];
    if (c === '*') cur[0] = prev[0];
    for (let j = 1; j <= text.length; j++) {
      if (c === '*') cur[j] = cur[j - 1] || prev[j];
      else cur[j] = prev[j - 1] && (c === '?' || c === text[j - 1]);
    }
    prev = cur;
  }
  return prev[text.length];
}

describe('security: the wildcard matcher on adversarial patterns', () => {
  it('answers a*a*…b against long inputs correctly', { timeout: 60_000 }, () => {
    const cases: [string, string][] = [];
    for (const stars of [10, 50, 200]) {
      const pattern = 'a*'.repeat(stars) + 'b';
      for (const len of [100, 5_000, 20_000]) {
        cases.push([pattern, 'a'.repeat(len)]);
        cases.push([pattern, 'a'.repeat(len) + 'b']);
        cases.push([pattern, 'a'.repeat(len) + 'ba']);
        cases.push([pattern, 'b' + 'a'.repeat(len)]);
      }
      cases.push(['*?'.repeat(stars) + 'b', 'a'.repeat(stars - 1) + 'b']);
      cases.push(['*?'.repeat(stars) + 'b', 'a'.repeat(stars) + 'b']);
    }
    for (const [pattern, text] of cases) {
      assert.equal(matchWildcard(pattern, text), referenceMatch(pattern, text), `${pattern.slice(0, 12)}… (${pattern.length}) vs ${text.slice(0, 8)}… (${text.length})`);
    }
  });

  it('agrees with the reference on random short patterns and texts', () => {
    let seed = 20261128;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pick = (s: string, n: number) => Array.from({ length: n }, () => s[Math.floor(rand() * s.length)]).join('');
    for (let k = 0; k < 3000; k++) {
      const pattern = pick('ab*?', Math.floor(rand() * 10));
      const text = pick('ab', Math.floor(rand() * 12));
      assert.equal(matchWildcard(pattern, text), referenceMatch(pattern, text), `${JSON.stringify(pattern)} vs ${JSON.stringify(text)}`);
    }
  });

  it('overlap and containment stay correct on a*a*…b', { timeout: 60_000 }, () => {
    const pattern = 'a*'.repeat(200) + 'b';
    assert.equal(patternsOverlap(pattern, 'a'.repeat(20_000)), false);
    assert.equal(patternsOverlap(pattern, 'a'.repeat(20_000) + 'b'), true);
    assert.equal(patternsOverlap(pattern, '*b'), true);
    assert.equal(patternContains('*', pattern), true);
    assert.equal(patternContains(pattern, '*'), false);
    assert.equal(patternContains('*' + 'a*'.repeat(100), 'a'.repeat(150) + '*'), true);
    assert.equal(patternContains('*' + 'a*'.repeat(100), 'a'.repeat(99) + '*'), false);
    // Variables: `${...}` tokens in the pattern never match concrete text.
    assert.equal(matchWildcard(parsePattern('topic/${iot:ClientId}/' + 'a*'.repeat(50), { variables: true }), 'topic/x/' + 'a'.repeat(5000)), false);
  });
});

describe('security: file globs with many stars (F1)', () => {
  it('answer correctly where a backtracking regular expression took minutes', { timeout: 60_000 }, () => {
    const deep = 'a/'.repeat(40) + 'y.json';
    assert.equal(matchesPolicyGlobs(deep, ['**/'.repeat(8) + 'x.json']), false);
    assert.equal(matchesPolicyGlobs('a/'.repeat(40) + 'x.json', ['**/'.repeat(8) + 'x.json']), true);
    assert.equal(compileGlob('*a'.repeat(12) + 'x')('a'.repeat(40)), false);
    assert.equal(compileGlob('*a'.repeat(12) + 'x')('a'.repeat(40) + 'x'), true);
    assert.equal(compileGlob('*a'.repeat(12) + 'x')('a'.repeat(11) + 'x'), false);
    assert.equal(compileGlob('**/*a*a*a*a*a*a*a*a*a*a*.json')('p/' + 'a'.repeat(200) + 'b.json'), true);
    assert.equal(compileGlob('**/*a*a*a*a*a*a*a*a*a*a*.json')('p/' + 'b'.repeat(200) + 'a.json'), false);
    // The default globs still behave.
    assert.equal(matchesPolicyGlobs('/ws/policies/device.iot-policy.json', ['**/*.iot-policy.json']), true);
    assert.equal(matchesPolicyGlobs('/ws/package.json', ['**/*.iot-policy.json', '**/*.iotpolicy.json']), false);
  });
});
