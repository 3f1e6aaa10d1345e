/**
 * `iot-policy diff BASE NEW` (or `--base ... --new ...`, `--base git:REF FILE`): what the new
 * policies grant that the base ones do not, and what they take away, per action, with a witness
 * request for each item (`service/review`). Exit codes: 0 no difference, 1 a difference (or one
 * that may exist), 2 usage error or unreadable input.
 */
import { diffPolicies, type DiffResult } from '../service/review';
import { diffUsage, parseDiffArgs, type DiffOptions, type ReviewFormat } from './args/review';
import { toDeployInputs } from './args/inputs';
import { usageError } from './args/options';
import { InputError } from './evalInput';
import { formatItemsJson, formatItemsMarkdown, formatItemsText, type ReviewContext } from './format/review';
import { loadReviewPolicies, type ReviewIo, type ReviewPolicy } from './reviewInput';

/** Both sides read; unknown values named on stderr (they make items "may", not errors). */
export async function loadSides(command: string, options: DiffOptions, io: ReviewIo): Promise<{ base: ReviewPolicy[]; next: ReviewPolicy[] }> {
  const inputs = toDeployInputs(options.inputs);
  const base = await loadReviewPolicies(options.base, io, inputs, true);
  const next = await loadReviewPolicies(options.next, io, inputs, true);
  for (const p of [...base, ...next]) {
    for (const u of p.unknown) io.stderr(`iot-policy ${command}: ${p.name}: ${u.label} is unknown before deploy, compared as "anything" (${u.hint})\n`);
  }
  return { base, next };
}

export function reviewContext(title: string, sides: { label: string; policies: readonly ReviewPolicy[] }[]): ReviewContext {
  const texts = new Map<string, string>();
  for (const s of sides) for (const p of s.policies) texts.set(p.name, p.model.text);
  return { title, texts, sides: sides.map((s) => ({ label: s.label, names: s.policies.map((p) => p.name) })) };
}

function formatDiff(result: DiffResult, ctx: ReviewContext, format: ReviewFormat, empty: string): string {
  const notes = result.notes;
  if (format === 'json') return formatItemsJson(result.items, ctx, { exact: result.exact, unknowns: result.unknowns, notes });
  if (format === 'markdown') return formatItemsMarkdown(result.items, ctx, { notes, empty });
  return formatItemsText(result.items, ctx, { notes, empty });
}

export async function runDiff(argv: readonly string[], io: ReviewIo): Promise<number> {
  const parsed = parseDiffArgs(argv);
  if (parsed.kind === 'error') return usageError(io, 'diff', parsed.message);
  if (parsed.kind === 'help') {
    io.stdout(diffUsage());
    return 0;
  }
  try {
    const { base, next } = await loadSides('diff', parsed.options, io);
    const result = diffPolicies(base, next);
    const ctx = reviewContext('IoT policy access changes', [{ label: 'base', policies: base }, { label: 'new', policies: next }]);
    const empty = result.exact ? 'No difference in access.' : 'No difference found, but the comparison is not exact (see the notes).';
    io.stdout(formatDiff(result, ctx, parsed.options.format, empty));
    return result.items.length || !result.exact ? 1 : 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`iot-policy diff: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
