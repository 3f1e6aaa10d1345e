/**
 * `iot-policy explain POLICY...`: the effective permissions of the policies attached together,
 * per action (`service/review`): allowed resources, conditions, Deny statements carved out, an
 * example request, and warnings for what matches nothing. Exit codes: 0 explained, 2 usage error
 * or unreadable input.
 */
import { explainPolicies } from '../service/review';
import { explainUsage, parseExplainArgs } from './args/review';
import { toDeployInputs } from './args/inputs';
import { usageError } from './args/options';
import { reviewContext } from './diff';
import { InputError } from './evalInput';
import { formatItemsJson, formatItemsMarkdown, formatItemsText } from './format/review';
import { loadReviewPolicies, type ReviewIo } from './reviewInput';

export async function runExplain(argv: readonly string[], io: ReviewIo): Promise<number> {
  const parsed = parseExplainArgs(argv);
  if (parsed.kind === 'error') return usageError(io, 'explain', parsed.message);
  if (parsed.kind === 'help') {
    io.stdout(explainUsage());
    return 0;
  }
  try {
    const policies = await loadReviewPolicies(parsed.options.policies, io, toDeployInputs(parsed.options.inputs), true);
    for (const p of policies) for (const u of p.unknown) io.stderr(`iot-policy explain: ${p.name}: ${u.label} is unknown before deploy, read as "anything" (${u.hint})\n`);
    const result = explainPolicies(policies);
    const items = result.actions.flatMap((a) => a.items);
    const ctx = reviewContext('Effective permissions', [{ label: 'policy', policies }]);
    const empty = 'Nothing is allowed: no request of any action IoT Core authorises matches an Allow that no Deny takes back.';
    const format = parsed.options.format;
    if (format === 'json') io.stdout(formatItemsJson(items, ctx, { exact: result.exact, warnings: result.warnings.map((w) => ({ kind: w.kind, message: w.message, statement: w.statement.index + 1, policy: w.statement.policy })) }));
    else if (format === 'markdown') io.stdout(formatItemsMarkdown(items, ctx, { warnings: result.warnings, empty }));
    else io.stdout(formatItemsText(items, ctx, { warnings: result.warnings, empty }));
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`iot-policy explain: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
