import type { Rule } from './types';

export const resourcesRules: Rule[] = [];
