/**
 * The configuration `iot-policy lint` runs with: `--config FILE`, else the nearest
 * `iot-policy.config.json` found by walking up from the current directory, stopping at the
 * repository root (a directory containing `.git`) or the filesystem root. Its `overrides` and
 * `ignore` patterns are relative to its own folder. `.iot-policyignore` is found the same way,
 * its patterns relative to its folder; a file named with `--ignore-path` has patterns relative to
 * the current directory. `--rule id=level` flags win
 * over the file and its overrides; `--no-ignore` turns both ignore sources off.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CONFIG_FILE_NAME,
  IGNORE_FILE_NAME,
  RULE_IDS,
  configResolver,
  ignoreFileLines,
  parseJsonData,
  readConfig,
  type Level,
  type PolicyConfig,
} from '../service';
import { lineColumn } from '../service/text/lines';
import { fileErrorReason } from '../node/files';
import type { LintOptions } from './args/lint';
import type { CliIo } from './io';
import { toPosix } from './paths';

/**
 * The nearest file called `name` (default `iot-policy.config.json`) at or above `startDir`. The
 * search stops at the repository root (the first directory that contains `.git`) or at the
 * filesystem root.
 */
export function findConfigFile(startDir: string, exists: (p: string) => boolean = fs.existsSync, name = CONFIG_FILE_NAME): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, name);
    if (exists(candidate)) return candidate;
    if (exists(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates a configuration file. Problems are one line each and name the file and the key. */
function loadConfigFile(file: string, display: string, io: Pick<CliIo, 'readFile'>): { config?: PolicyConfig; problems: string[] } {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    return { problems: [`cannot read configuration file ${display}: ${fileErrorReason(err)}`] };
  }
  const { value: raw, errors } = parseJsonData(text);
  if (errors.length) {
    return {
      problems: errors.map((e) => {
        const p = lineColumn(text, e.offset);
        return `${display}:${p.line}:${p.column}: ${e.message}`;
      }),
    };
  }
  const { config, problems } = readConfig(raw, RULE_IDS);
  return { config, problems: problems.map((p) => `${display}: ${p.message}`) };
}

/** A path relative to `base`, `/`-separated; what the patterns of a file in `base` are matched against. */
function relativeTo(base: string, abs: string): string {
  return toPosix(path.relative(base, abs));
}

/** What a lint run's configuration is made of: plain data, handed to worker threads as it is. */
export interface LintConfigData {
  file?: PolicyConfig;
  /** The `--rule` flags. */
  flags: Record<string, Level>;
  /** The folder the configuration file's patterns are relative to. */
  configBase: string;
  ignoreLines: string[];
  /** The folder the ignore file's patterns are relative to. */
  ignoreBase: string;
}

/** What lint runs with: which rules apply to which file, and which files are left out. */
export interface LintConfig {
  data: LintConfigData;
  /** True when some pattern ignores files. */
  ignoring: boolean;
  /** True when `abs` is left out (an ignore pattern of the configuration file or the ignore file). */
  isIgnored(abs: string, isDir: boolean): boolean;
  /** The rule levels in force for `abs`. */
  configFor(abs: string): PolicyConfig;
}

export function buildLintConfig(data: LintConfigData): LintConfig {
  const flags = { rules: data.flags };
  const same = data.ignoreBase === data.configBase;
  const resolver = configResolver(data.file, flags, same ? data.ignoreLines : []);
  const ignoreFile = same ? undefined : configResolver(undefined, undefined, data.ignoreLines);
  return {
    data,
    ignoring: resolver.ignoring || !!ignoreFile?.ignoring,
    isIgnored(abs, isDir) {
      if (resolver.ignores(relativeTo(data.configBase, abs), isDir)) return true;
      return !!ignoreFile?.ignores(relativeTo(data.ignoreBase, abs), isDir);
    },
    configFor: (abs) => resolver.forFile(relativeTo(data.configBase, abs)),
  };
}

/** The configuration file and ignore file the options name or imply (if any), with the `--rule` flags over them. */
export function resolveConfig(
  options: Pick<LintOptions, 'configFile' | 'noConfig' | 'rules' | 'ignorePath' | 'noIgnore'>, io: Pick<CliIo, 'readFile' | 'cwd'>,
): LintConfig | { problems: string[] } {
  let file: PolicyConfig | undefined;
  const configPath = options.configFile !== undefined ? path.resolve(io.cwd, options.configFile)
    : options.noConfig ? undefined : findConfigFile(io.cwd);
  if (configPath) {
    const display = options.configFile ?? path.relative(io.cwd, configPath);
    const loaded = loadConfigFile(configPath, display, io);
    if (loaded.problems.length) return { problems: loaded.problems };
    file = loaded.config;
  }
  if (file && options.noIgnore) file = { ...file, ignore: undefined };
  const configBase = configPath ? path.dirname(configPath) : io.cwd;

  let ignoreLines: string[] = [];
  let ignoreBase = configBase;
  const ignorePath = options.noIgnore ? undefined
    : options.ignorePath !== undefined ? path.resolve(io.cwd, options.ignorePath) : findConfigFile(io.cwd, fs.existsSync, IGNORE_FILE_NAME);
  if (ignorePath) {
    try {
      ignoreLines = ignoreFileLines(io.readFile(ignorePath));
    } catch (err) {
      return { problems: [`cannot read ignore file ${options.ignorePath ?? path.relative(io.cwd, ignorePath)}: ${fileErrorReason(err)}`] };
    }
    // Found beside the project: relative to its folder (as .gitignore); named: to the current directory.
    ignoreBase = options.ignorePath !== undefined ? io.cwd : path.dirname(ignorePath);
  }
  return buildLintConfig({ file, flags: options.rules, configBase, ignoreLines, ignoreBase });
}
