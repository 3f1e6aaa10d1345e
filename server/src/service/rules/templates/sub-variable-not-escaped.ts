/**
 * `sub-variable-not-escaped`: a policy variable written `${iot:ClientId}` inside a `Fn::Sub`
 * string. CloudFormation reads every `${...}` of a Sub string as a reference, finds none by that
 * name, and the stack fails. The escape `${!iot:ClientId}` renders as `${iot:ClientId}`.
 */
import { defineRule } from '../rule';
import { notesOf, variable } from './notes';

interface Data {
  name: string;
}

export const subVariableNotEscaped = defineRule<Data, { unescaped: (a: { name: string }) => string }>({
  meta: {
    id: 'sub-variable-not-escaped',
    defaultSeverity: 'error',
    category: 'templates',
    description: 'A policy variable written `${iot:...}` inside a CloudFormation `Fn::Sub` string, where it must be `${!iot:...}`.',
  },
  messages: {
    unescaped: (a) => `\`${variable(a.name)}\` is inside a \`Fn::Sub\` string, where CloudFormation reads every \`\${...}\` as a reference to a parameter or resource; \`${a.name}\` is neither, so the stack fails. Write \`\${!${a.name}}\`: the policy then receives \`${variable(a.name)}\`.`,
  },
  check(ctx) {
    for (const n of notesOf(ctx.model, 'sub-variable-not-escaped')) {
      ctx.report({ messageId: 'unescaped', args: { name: n.detail.name }, span: n.span, data: { name: n.detail.name } });
    }
  },
  fix(ctx, f) {
    // `${` stays where it is; the `!` goes right after it.
    const edit = ctx.writer.replaceSpan({ offset: f.span.offset + 2, length: 0 }, '!', true);
    return [{ title: `Escape it: \${!${f.data?.name ?? ''}}`, edits: [edit], preferred: true, safe: true }];
  },
});
