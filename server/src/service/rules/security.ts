import type { Rule } from './types';

export const securityRules: Rule[] = [];
