/**
 * `template-syntax-error`: a YAML or JSON syntax error in a template, reported once and only
 * where it stops the analysis (inside a policy resource, or when no policy could be read). The
 * editor's own YAML and JSON support reports the others.
 */
import { defineRule } from '../rule';

export interface TemplateSyntaxArgs {
  language: string;
  detail: string;
  inPolicy: boolean;
}

export const templateSyntaxError = defineRule<object, { syntax: (a: TemplateSyntaxArgs) => string }>({
  meta: {
    id: 'template-syntax-error',
    defaultSeverity: 'error',
    category: 'templates',
    description: 'A YAML or JSON syntax error that stops the analysis of a template\'s policies.',
  },
  messages: {
    syntax: (a) => `${a.language} syntax error: ${a.detail}. ${a.inPolicy ? 'The policy around it' : 'The template'} cannot be analysed until it is fixed.`,
  },
  check() {
    // Reported by the host for the file, not per policy (see document.ts).
  },
});
