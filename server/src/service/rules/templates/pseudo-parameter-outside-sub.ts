/**
 * `pseudo-parameter-outside-sub`: `${AWS::Region}`, `${AWS::AccountId}` or `${SomeParameter}` in
 * a string that no `Fn::Sub` processes. It stays as text, so the ARN never matches a request.
 */
import { defineRule } from '../rule';
import { notesOf, variable } from './notes';

interface Data {
  name: string;
}

export const pseudoParameterOutsideSub = defineRule<Data, { literal: (a: { name: string; pseudo: boolean }) => string }>({
  meta: {
    id: 'pseudo-parameter-outside-sub',
    defaultSeverity: 'error',
    category: 'templates',
    description: '`${AWS::Region}` or `${Parameter}` in a template string no `Fn::Sub` processes: it stays as text, so the ARN never matches.',
  },
  messages: {
    literal: (a) => `\`${variable(a.name)}\` is ${a.pseudo ? 'a CloudFormation pseudo parameter' : 'CloudFormation substitution syntax'}, but no \`Fn::Sub\` processes this string: the policy keeps it as text, so this never matches a request. Wrap the value in \`!Sub\` (\`{"Fn::Sub": ...}\` in JSON).`,
  },
  check(ctx) {
    for (const n of notesOf(ctx.model, 'pseudo-parameter-outside-sub')) {
      ctx.report({ messageId: 'literal', args: { name: n.detail.name, pseudo: n.detail.name.startsWith('AWS::') }, span: n.span, data: { name: n.detail.name } });
    }
  },
  fix(ctx, f) {
    const note = notesOf(ctx.model, 'pseudo-parameter-outside-sub').find((n) => n.span.offset === f.span.offset);
    const edits = note?.str && ctx.writer.wrapInSub ? ctx.writer.wrapInSub(note.str) : [];
    return edits.length ? [{ title: 'Wrap the value in Fn::Sub', edits, preferred: true, safe: true }] : [];
  },
});
