/**
 * TEMPORARY while rule families move to `defineRule`: wraps a rule written against the old
 * free-form report (a ready message, no message id) and its fix provider. Removed once every
 * family is converted.
 */
import { PROVIDERS } from '../fixes/providers';
import type { Finding as LegacyFinding, Rule as LegacyRule } from './types';
import { defineRule, type Rule } from './rule';

export function legacyRule(rule: LegacyRule): Rule {
  const provider = Object.prototype.hasOwnProperty.call(PROVIDERS, rule.meta.id) ? PROVIDERS[rule.meta.id] : undefined;
  return defineRule<object, { legacy: (a: { message: string }) => string }>({
    meta: rule.meta,
    messages: { legacy: (a) => a.message },
    check(ctx) {
      rule.check({
        model: ctx.model,
        report: (f: Omit<LegacyFinding, 'ruleId'> & { ruleId?: string }) => {
          ctx.report({ messageId: 'legacy', args: { message: f.message }, span: f.span, data: f.data ?? {}, related: f.related, severity: f.severity, tags: f.tags });
        },
      });
    },
    ...(provider ? { fix: provider } : {}),
  });
}
