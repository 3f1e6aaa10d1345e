/**
 * `legacy-job-action`: the older `iot:` spelling of a job action; current AWS docs use
 * `iotjobsdata:`. One finding per statement, on its first legacy action; the fix renames them all.
 */
import { always, suggestionFixes } from '../../fixes/suggestions';
import { defineRule, familyCheck } from '../rule';
import { actionReports, type LegacyJobActionArgs, type LegacyJobActionData } from './classify';

type Messages = { [K in keyof LegacyJobActionArgs]: (a: LegacyJobActionArgs[K]) => string };

const messages: Messages = {
  one: (a) => `\`${a.name}\` is the older name; current AWS docs authorise the HTTPS jobs API with \`${a.preferred}\`. Use that (keep both during a migration if unsure).`,
  several: (a) => {
    const names = a.names.map((n) => `\`${n}\``);
    return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are older names; current AWS docs authorise the HTTPS jobs API with the same actions under the \`iotjobsdata:\` prefix (e.g. \`${a.example}\`). Use those (keep both during a migration if unsure).`;
  },
};

export const legacyJobAction = defineRule<LegacyJobActionData, Messages>({
  meta: {
    id: 'legacy-job-action', scope: 'statement',
    defaultSeverity: 'info',
    category: 'actions',
    description: 'The older `iot:` spelling of a job action; current AWS docs use `iotjobsdata:`.',
  },
  messages,
  check: familyCheck(actionReports, 'legacy-job-action'),
  fix(ctx, f) {
    const reps = f.data?.replacements ?? [];
    if (reps.length > 1) {
      return [{
        title: `Rename the ${reps.length} legacy job actions to iotjobsdata:`,
        edits: reps.map((r) => ctx.writer.replaceSpan(r.span, r.text)),
        preferred: true,
        safe: true,
      }];
    }
    return suggestionFixes(ctx, f, { safe: always, preferred: always });
  },
});
