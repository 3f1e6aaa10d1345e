/**
 * `internal-error`: a rule failed on this document. It is reported by `analyze` in place of the
 * failing rule's findings, so that a bug in one rule never takes the analysis down silently.
 */
import { defineRule } from './rule';

export const internalError = defineRule<{ rule: string }, { failed: (a: { rule: string; error: string }) => string }>({
  meta: {
    id: 'internal-error',
    defaultSeverity: 'warning',
    category: 'syntax',
    description: 'A rule failed on this document; the other rules still ran. Please report it.',
  },
  messages: {
    failed: (a) => `Rule ${a.rule} failed on this document (${a.error}). Please report this.`,
  },
  check() {
    // Reported by analyze() when another rule throws.
  },
});
