import type { Rule } from './types';

export const structureRules: Rule[] = [
  {
    meta: { id: 'json-syntax', defaultSeverity: 'error', category: 'syntax', description: 'The document is not strict JSON, so AWS rejects it.' },
    check(ctx) {
      for (const e of ctx.model.syntaxErrors) {
        ctx.report({ span: { offset: e.offset, length: Math.max(1, e.length) }, message: `Not valid JSON: ${e.name}. AWS IoT rejects policies that are not strict JSON.` });
      }
    },
  },
];
