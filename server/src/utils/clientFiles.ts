/**
 * Files read by the client for the server (`iotPolicy/readFile`, `iotPolicy/findFiles`,
 * `iotPolicy/wasmFile` of shared/src/protocol.ts). The browser server has no file system of its
 * own: the client's `vscode.workspace.fs` is the only one, and it also reaches virtual
 * workspaces (github.dev). Every call is bounded in time and never throws: a client that does
 * not answer, answers an error or answers garbage gives "not readable".
 */
import type { Connection } from 'vscode-languageserver';
import { FindFilesRequest, ReadFileRequest, WasmFileRequest, type FindFilesParams } from '../../../shared/src/protocol';

/** How long a read through the client may take before the server gives up on it. */
const READ_TIMEOUT_MS = 5000;
/** Listing a large workspace takes longer than reading one file. */
const FIND_TIMEOUT_MS = 20000;
/** The largest grammar (TypeScript) is 1.4 MB, sent as base64. */
const WASM_TIMEOUT_MS = 30000;

export interface ClientFiles {
  /** `followLinks: false` refuses a symbolic link (workspace diagnostics). */
  readFile(uri: string, options?: { followLinks?: boolean }): Promise<string | undefined>;
  findFiles(params: FindFilesParams): Promise<string[]>;
  /** The bytes of one of the extension's wasm files; rejects with the reason. */
  wasmFile(file: string): Promise<Uint8Array>;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from the client within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Decodes base64 without Node's Buffer (the browser server has none). */
function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function clientFiles(connection: Connection): ClientFiles {
  return {
    async readFile(uri, options) {
      try {
        const params = options?.followLinks === false ? { uri, followLinks: false } : { uri };
        const r: unknown = await within(connection.sendRequest(ReadFileRequest.type, params), READ_TIMEOUT_MS, `reading ${uri}`);
        const text = (r as { text?: unknown } | null)?.text;
        return typeof text === 'string' ? text : undefined;
      } catch {
        return undefined;
      }
    },
    async findFiles(params) {
      try {
        const r: unknown = await within(connection.sendRequest(FindFilesRequest.type, params), FIND_TIMEOUT_MS, `listing ${params.folder}`);
        return Array.isArray(r) ? r.filter((u): u is string => typeof u === 'string').slice(0, params.maxResults) : [];
      } catch {
        return [];
      }
    },
    async wasmFile(file) {
      const r: unknown = await within(connection.sendRequest(WasmFileRequest.type, { file }), WASM_TIMEOUT_MS, `loading ${file}`);
      const base64 = (r as { base64?: unknown } | null)?.base64;
      if (typeof base64 !== 'string' || !base64) throw new Error(`${file}: the client sent no bytes`);
      return fromBase64(base64);
    },
  };
}
