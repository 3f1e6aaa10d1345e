/**
 * `fstring-variable-not-escaped`: a policy variable written `${iot:ClientId}` inside a Python
 * f-string (or a string `.format(...)` fills in). Python reads `{iot:ClientId}` as a replacement
 * field: the name `iot` with the format spec `ClientId`, so the stack fails with a `NameError`, or
 * the policy gets whatever `iot` holds. Doubled braces write the variable: `${{iot:ClientId}}`.
 */
import { defineRule } from '../rule';
import { notesOf, variable } from './notes';

interface Data {
  name: string;
}

type Messages = {
  fstring: (a: { name: string }) => string;
};

export const fstringVariableNotEscaped = defineRule<Data, Messages>({
  meta: {
    id: 'fstring-variable-not-escaped',
    defaultSeverity: 'error',
    category: 'templates',
    description: 'A policy variable written `${iot:...}` inside a Python f-string, where it must be `${{iot:...}}`.',
  },
  messages: {
    fstring: (a) => `\`${variable(a.name)}\` is inside a Python f-string (or a string \`.format()\` fills in), where \`{${a.name}}\` is a replacement field: Python looks up \`${a.name.split(':')[0]}\` instead of writing the policy variable. Write \`\${{${a.name}}}\`: the policy then receives \`${variable(a.name)}\`.`,
  },
  check(ctx) {
    for (const n of notesOf(ctx.model, 'fstring-variable-not-escaped')) {
      ctx.report({ messageId: 'fstring', args: { name: n.detail.name }, span: n.span, data: { name: n.detail.name } });
    }
  },
  fix(ctx, f) {
    // The decoded `${iot:...}` written back through the f-string's own escape doubles its braces.
    const note = notesOf(ctx.model, 'fstring-variable-not-escaped').find((n) => n.span.offset === f.span.offset);
    if (!note?.str || !note.range) return [];
    const [start, end] = note.range;
    const edit = ctx.writer.replaceInString(note.str, start, end, note.str.value.slice(start, end));
    return [{ title: `Double the braces: \${{${f.data?.name ?? ''}}}`, edits: [edit], preferred: true, safe: true }];
  },
});
