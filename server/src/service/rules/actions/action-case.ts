/** `action-case`: an action written in a case other than AWS documents. It works (action names ignore case). */
import { always, suggestionFixes } from '../../fixes/suggestions';
import { defineRule, familyCheck } from '../rule';
import { actionReports, type ActionCaseArgs, type ActionCaseData } from './classify';

type Messages = { [K in keyof ActionCaseArgs]: (a: ActionCaseArgs[K]) => string };

export const actionCase = defineRule<ActionCaseData, Messages>({
  meta: {
    id: 'action-case', scope: 'statement',
    defaultSeverity: 'hint',
    category: 'actions',
    description: 'An action written in a case other than AWS documents (it works, since action names ignore case).',
  },
  messages: {
    caseOnly: (a) => `\`${a.name}\` works because action names ignore case, but AWS documents it as \`${a.canonical}\`; use that spelling for consistency with AWS examples and tools.`,
  },
  check: familyCheck(actionReports, 'action-case'),
  fix: (ctx, f) => suggestionFixes(ctx, f, { safe: always, preferred: always }),
});
