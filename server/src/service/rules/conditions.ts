import type { Rule } from './types';

export const conditionsRules: Rule[] = [];
