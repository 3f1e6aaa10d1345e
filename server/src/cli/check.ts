/**
 * `iot-policy check no-new-access` and `iot-policy check access-not-granted`: Access Analyzer's
 * two custom policy checks, locally and with IoT semantics (`service/review`). Each prints the
 * items that make it fail with a witness request, as text, JSON, markdown or SARIF. Exit codes:
 * 0 the check passes, 1 it fails (or may fail: the engine says "may" rather than pass when it
 * cannot decide), 2 usage error or unreadable input.
 */
import { accessCheckResource, checkAccessNotGranted, checkNoNewAccess, type AccessItem } from '../service/review';
import { checkUsage, parseAccessNotGrantedArgs, parseDiffArgs, type ReviewFormat } from './args/review';
import { toDeployInputs } from './args/inputs';
import { usageError } from './args/options';
import { loadSides, reviewContext } from './diff';
import { InputError } from './evalInput';
import { formatItemsJson, formatItemsMarkdown, formatItemsText, type ReviewContext } from './format/review';
import { formatCheckSarif, type CheckId, type SarifSource } from './format/reviewSarif';
import { loadReviewPolicies, type ReviewIo, type ReviewPolicy } from './reviewInput';
import { cliVersion } from './version';

const CHECKS = ['no-new-access', 'access-not-granted'];

function sources(policies: readonly ReviewPolicy[]): Map<string, SarifSource> {
  const out = new Map<string, SarifSource>();
  for (const p of policies) if (p.file !== undefined) out.set(p.name, { file: p.file, text: p.model.text });
  return out;
}

function output(check: CheckId, items: readonly AccessItem[], ctx: ReviewContext, format: ReviewFormat, policies: readonly ReviewPolicy[], io: ReviewIo, extra: { exact: boolean; empty: string; notes?: string[] }): void {
  if (format === 'sarif') io.stdout(formatCheckSarif(check, items, ctx, sources(policies), io.cwd, cliVersion()));
  else if (format === 'json') io.stdout(formatItemsJson(items, ctx, { check, passed: !items.length && extra.exact, exact: extra.exact, ...(extra.notes ? { notes: extra.notes } : {}) }));
  else if (format === 'markdown') io.stdout(formatItemsMarkdown(items, ctx, { empty: extra.empty, notes: extra.notes }));
  else io.stdout(formatItemsText(items, ctx, { empty: extra.empty, notes: extra.notes }));
}

async function noNewAccess(argv: readonly string[], io: ReviewIo): Promise<number> {
  const parsed = parseDiffArgs(argv, ['text', 'json', 'markdown', 'sarif']);
  if (parsed.kind === 'error') return usageError(io, 'check no-new-access', parsed.message);
  if (parsed.kind === 'help') {
    io.stdout(checkUsage());
    return 0;
  }
  const { base, next } = await loadSides('check', parsed.options, io);
  const result = checkNoNewAccess(base, next);
  const ctx = reviewContext('IoT policy check no-new-access', [{ label: 'base', policies: base }, { label: 'new', policies: next }]);
  const passed = !result.items.length && result.exact;
  const empty = passed ? 'Passed: the new policies allow nothing the base policies do not.' : 'Not passed: the comparison is not exact (see the notes).';
  output('no-new-access', result.items, ctx, parsed.options.format, next, io, { exact: result.exact, empty, notes: result.notes });
  return passed ? 0 : 1;
}

async function accessNotGranted(argv: readonly string[], io: ReviewIo): Promise<number> {
  const parsed = parseAccessNotGrantedArgs(argv);
  if (parsed.kind === 'error') return usageError(io, 'check access-not-granted', parsed.message);
  if (parsed.kind === 'help') {
    io.stdout(checkUsage());
    return 0;
  }
  const o = parsed.options;
  const policies = await loadReviewPolicies(o.policies, io, toDeployInputs(o.inputs), true);
  for (const p of policies) for (const u of p.unknown) io.stderr(`iot-policy check: ${p.name}: ${u.label} is unknown before deploy, read as "anything" (${u.hint})\n`);
  const result = checkAccessNotGranted(policies, { action: o.action, ...(o.resource !== undefined ? { resource: o.resource } : {}) });
  if (!result.actions.length) return usageError(io, 'check access-not-granted', `--action ${o.action} names no action AWS IoT Core authorises`);
  const what = `${o.action}${o.resource !== undefined ? ` on ${accessCheckResource(o.resource)}` : ''}`;
  const ctx = reviewContext(`IoT policy check access-not-granted (${what})`, [{ label: 'policy', policies }]);
  const passed = !result.items.length;
  output('access-not-granted', result.items, ctx, o.format, policies, io, { exact: result.exact, empty: `Passed: no request of ${what} is allowed, under any context.` });
  return passed ? 0 : 1;
}

export async function runCheck(argv: readonly string[], io: ReviewIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    if (name === undefined) return usageError(io, 'check', `name a check: ${CHECKS.join(' or ')}`);
    io.stdout(checkUsage());
    return 0;
  }
  try {
    if (name === 'no-new-access') return await noNewAccess(rest, io);
    if (name === 'access-not-granted') return await accessNotGranted(rest, io);
    return usageError(io, 'check', `unknown check "${name}" (use ${CHECKS.join(' or ')})`);
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`iot-policy check ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
