import type { Rule } from './types';

export const actionsRules: Rule[] = [];
