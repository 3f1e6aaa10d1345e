/**
 * SARIF 2.1.0 output for code scanning. The rule descriptors come from the rule registry: every
 * configurable rule, then any other registered rule (`internal-error`) that has a result.
 */
import { pathToFileURL } from 'url';
import { ALL_RULES, RULES_BY_ID, ruleDocsUrl, type RuleMeta, type Severity } from '../../service';
import type { PolicyRef } from '../../service/findings';
import type { UnreadableFile } from '../discover';
import { relativeInside, toPosix } from '../paths';
import type { FileReport, Range } from '../lintFile';
import type { Sink } from '../output';
import type { Reporter } from './reporter';

const TOOL_NAME = 'iot-policy';
const TOOL_INFORMATION_URI = 'https://github.com/iot-policy-tools/iot-policy-language';
const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note';
const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function ruleDescriptor(meta: RuleMeta): Record<string, unknown> {
  const helpUri = ruleDocsUrl(meta.id);
  const tags = new Set(['iot-policy', meta.category]);
  if (meta.deviceDefender) tags.add('security');
  // SARIF requires unique tags.
  const properties: Record<string, unknown> = { tags: [...tags], category: meta.category };
  if (meta.deviceDefender) properties.deviceDefender = { check: meta.deviceDefender.check, reason: meta.deviceDefender.reason };
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.description },
    helpUri,
    help: {
      text: `${meta.description} See ${helpUri}`,
      markdown: `${meta.description}\n\nSee [${meta.id}](${helpUri}) for a bad and a good example.`,
    },
    defaultConfiguration: { level: SARIF_LEVEL[meta.defaultSeverity] },
    properties,
  };
}

/**
 * The descriptor of a rule id no registered rule has. No finding carries one today; a log that
 * pointed a result at no descriptor would be invalid, so a plain one stands in.
 */
function unregisteredRule(id: string): RuleMeta {
  return { id, defaultSeverity: 'warning', category: 'syntax', description: `Findings of ${id}.` };
}

/** The artifact location of `abs`: relative to `cwd` under %SRCROOT% when inside it, else a file URI. */
function artifactLocation(abs: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = relativeInside(abs, cwd);
  if (rel !== undefined) return { uri: toPosix(rel).split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(abs).href };
}

function region(r: Range): Record<string, number> {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** The policy resource a result is in (a template's logical id, a Terraform address, a construct). */
function logicalLocation(p: PolicyRef): Record<string, string> {
  const name = p.name ?? p.key;
  return { name, fullyQualifiedName: p.constructPath ?? name, kind: 'resource' };
}

export function toSarif(
  files: readonly FileReport[], unreadable: readonly UnreadableFile[], cwd: string, version: string, skipped: readonly UnreadableFile[] = [],
): Record<string, unknown> {
  const metas: RuleMeta[] = ALL_RULES.map((r) => r.meta);
  const index = new Map<string, number>(metas.map((m, i) => [m.id, i]));
  const ruleIndex = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = metas.length;
      metas.push(RULES_BY_ID.get(id)?.meta ?? unregisteredRule(id));
      index.set(id, i);
    }
    return i;
  };

  const results: Record<string, unknown>[] = [];
  for (const f of files) {
    const artifact = artifactLocation(f.abs, cwd);
    for (const x of f.findings) {
      const result: Record<string, unknown> = {
        ruleId: x.ruleId,
        ruleIndex: ruleIndex(x.ruleId),
        level: SARIF_LEVEL[x.severity],
        message: { text: x.message },
        locations: [{
          physicalLocation: { artifactLocation: artifact, region: region(x.range) },
          ...(x.policy ? { logicalLocations: [logicalLocation(x.policy)] } : {}),
        }],
      };
      if (x.related?.length) {
        result.relatedLocations = x.related.map((r, i) => ({
          id: i + 1,
          message: { text: r.message },
          physicalLocation: { artifactLocation: artifact, region: region(r.range) },
        }));
      }
      if (x.severity === 'hint' || x.severity === 'info') result.properties = { severity: x.severity };
      results.push(result);
    }
  }

  const invocation: Record<string, unknown> = { executionSuccessful: unreadable.length === 0 };
  const notifications = [
    ...unreadable.map((u) => ({ level: 'error', text: `Cannot read ${u.file}: ${u.reason}`, abs: u.abs })),
    ...skipped.map((u) => ({ level: 'note', text: `Skipped ${u.file}: ${u.reason}`, abs: u.abs })),
  ];
  if (notifications.length) {
    invocation.toolExecutionNotifications = notifications.map((n) => ({
      level: n.level,
      message: { text: n.text },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.abs, cwd) } }],
    }));
  }

  const srcroot = pathToFileURL(cwd).href;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(version) ? version : undefined,
            informationUri: TOOL_INFORMATION_URI,
            rules: metas.map(ruleDescriptor),
          },
        },
        invocations: [invocation],
        originalUriBaseIds: { '%SRCROOT%': { uri: srcroot.endsWith('/') ? srcroot : `${srcroot}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** SARIF is one JSON object: the (compact) reports are gathered and the log written at the end. */
export function sarifReporter(out: Sink, cwd: string, version: string): Reporter {
  const files: FileReport[] = [];
  return {
    file(f) {
      if (f.findings.length) files.push({ file: f.file, abs: f.abs, findings: f.findings, fixable: 0 });
    },
    unreadable() {
      // Listed from the totals, as tool execution notifications.
    },
    end(t) {
      out.write(JSON.stringify(toSarif(files, t.unreadable, cwd, version, t.skipped), null, 2) + '\n');
    },
  };
}
