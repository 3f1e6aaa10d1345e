/**
 * SARIF 2.1.0 for the access checks (`check no-new-access`, `check access-not-granted`), for code
 * scanning: one result per item, at the statement that grants the access, with the witness
 * request in the message and in the result's properties.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { AccessItem } from '../../service/review';
import { lineColumn } from '../../service/text/lines';
import { relativeInside, toPosix } from '../paths';
import { itemJson, type ReviewContext } from './review';

const TOOL_INFORMATION_URI = 'https://github.com/iot-policy-tools/iot-policy-language';
const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type CheckId = 'no-new-access' | 'access-not-granted';

const CHECKS: Record<CheckId, string> = {
  'no-new-access': 'The new policies allow no request that the base policies do not allow.',
  'access-not-granted': 'The policies allow no request of the given action (and resource) under any context.',
};

/** Where a policy's statements are: its file (relative to cwd when inside it) and its text. */
export interface SarifSource {
  file: string;
  text: string;
}

function artifact(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = relativeInside(abs, cwd);
  if (rel !== undefined) return { uri: toPosix(rel).split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(abs).href };
}

function resultOf(check: CheckId, item: AccessItem, ctx: ReviewContext, sources: ReadonlyMap<string, SarifSource>, cwd: string): Record<string, unknown> {
  const w = item.witness;
  const witness = w ? ` Witness: ${w.request.action} on ${w.request.resource} with context ${JSON.stringify(w.request.context ?? {})}.` : '';
  const may = item.certainty === 'may' ? ` (may: ${item.reason})` : '';
  const result: Record<string, unknown> = {
    ruleId: check,
    ruleIndex: 0,
    level: item.certainty === 'may' ? 'warning' : 'error',
    message: { text: `${item.summary}.${may}${witness}` },
    properties: { item: itemJson(item, ctx) },
  };
  const source = sources.get(item.statement.policy);
  if (source) {
    const s = lineColumn(source.text, item.statement.span.offset);
    const e = lineColumn(source.text, item.statement.span.offset + item.statement.span.length);
    result.locations = [{
      physicalLocation: {
        artifactLocation: artifact(source.file, cwd),
        region: { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column },
      },
    }];
  }
  return result;
}

export function formatCheckSarif(check: CheckId, items: readonly AccessItem[], ctx: ReviewContext, sources: ReadonlyMap<string, SarifSource>, cwd: string, version: string): string {
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'iot-policy',
          version,
          informationUri: TOOL_INFORMATION_URI,
          rules: [{
            id: check,
            name: check.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
            shortDescription: { text: CHECKS[check] },
            helpUri: `${TOOL_INFORMATION_URI}/blob/main/docs/cli.md#iot-policy-check`,
            defaultConfiguration: { level: 'error' },
          }],
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
      results: items.map((i) => resultOf(check, i, ctx, sources, cwd)),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
