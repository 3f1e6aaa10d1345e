/**
 * `analysis-limit`: what the analysis left out of a document beyond its bounds, said where the user
 * looks instead of failing or going silent. Reported by `analyzeDocument` and the hosts, never run
 * as a rule. The bounds are in `limits.ts`.
 */
import { defineRule } from './rule';

interface Args {
  /** Over LARGE_DOCUMENT_CHARS: only syntax and structure were checked. */
  large: { size: string; limit: string };
  /** Over MAX_DOCUMENT_CHARS: nothing was parsed. */
  tooLarge: { size: string; limit: string };
  /** Statements beyond MAX_STATEMENTS were not analysed. */
  statements: { count: number; limit: number };
  /** Findings beyond MAX_FINDINGS were not shown. */
  findings: { count: number; limit: number };
}

const n = (x: number): string => x.toLocaleString('en-US');

export const analysisLimit = defineRule<object, { [K in keyof Args]: (a: Args[K]) => string }>({
  meta: {
    id: 'analysis-limit',
    defaultSeverity: 'info',
    category: 'limits',
    description: 'The document is beyond what is analysed in full (its size, its statements, its findings): what was left out.',
  },
  messages: {
    large: (a) => `This document is ${a.size}: above ${a.limit}, only its syntax and structure are checked. (An IoT policy holds at most 2,048 characters, and a template at most 1 MB.)`,
    tooLarge: (a) => `This document is ${a.size}: above ${a.limit} it is not analysed at all. (An IoT policy holds at most 2,048 characters, and a template at most 1 MB.)`,
    statements: (a) => `This policy has ${n(a.count)} statements: only the first ${n(a.limit)} are analysed. (An IoT policy holds at most 2,048 characters.)`,
    findings: (a) => `${n(a.count)} more problems are not shown: at most ${n(a.limit)} are shown per document. Fix these first, or lint the file from the command line.`,
  },
  check() {
    // Reported by analyzeDocument and the hosts.
  },
});
