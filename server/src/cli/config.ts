/**
 * The configuration `iot-policy lint` runs with: `--config FILE`, else the nearest
 * `iot-policy.config.json` found by walking up from the current directory, stopping at the
 * repository root (a directory containing `.git`) or the filesystem root. `--rule id=level` flags
 * win over the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME, RULE_IDS, mergeConfigs, readConfig, type PolicyConfig } from '../service';
import { fileErrorReason } from '../node/files';
import type { LintOptions } from './args/lint';
import type { CliIo } from './io';

/**
 * The nearest `iot-policy.config.json` at or above `startDir`. The search stops at the repository
 * root (the first directory that contains `.git`) or at the filesystem root.
 */
export function findConfigFile(startDir: string, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (exists(candidate)) return candidate;
    if (exists(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates a configuration file. Problems are full sentences that name the file. */
function loadConfigFile(file: string, display: string, io: Pick<CliIo, 'readFile'>): { config?: PolicyConfig; problems: string[] } {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    return { problems: [`cannot read configuration file ${display}: ${fileErrorReason(err)}`] };
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const doc = TextDocument.create('config', 'json', 0, text);
    return {
      problems: errors.map((e) => {
        const p = doc.positionAt(e.offset);
        return `${display}:${p.line + 1}:${p.character + 1}: not valid JSON (${printParseErrorCode(e.error)})`;
      }),
    };
  }
  const { config, problems } = readConfig(raw, RULE_IDS);
  return { config, problems: problems.map((p) => `${display}: ${p.message}`) };
}

/** The configuration file the options name or imply (if any), with the `--rule` flags over it. */
export function resolveConfig(
  options: Pick<LintOptions, 'configFile' | 'noConfig' | 'rules'>, io: Pick<CliIo, 'readFile' | 'cwd'>,
): { config: PolicyConfig } | { problems: string[] } {
  let fileConfig: PolicyConfig | undefined;
  const configPath = options.configFile !== undefined ? path.resolve(io.cwd, options.configFile)
    : options.noConfig ? undefined : findConfigFile(io.cwd);
  if (configPath) {
    const display = options.configFile ?? path.relative(io.cwd, configPath);
    const loaded = loadConfigFile(configPath, display, io);
    if (loaded.problems.length) return { problems: loaded.problems };
    fileConfig = loaded.config;
  }
  return { config: mergeConfigs(fileConfig, { rules: options.rules }) };
}
