import type { Rule } from './types';

export const variablesRules: Rule[] = [];
