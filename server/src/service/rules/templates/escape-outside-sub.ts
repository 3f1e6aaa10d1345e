/**
 * `escape-outside-sub`: `${!iot:ClientId}` in a string that no `Fn::Sub` processes (a plain
 * string, a `Fn::Join` piece, a string in CDK code, which the CDK joins with `Fn::Join`). The `!`
 * stays in the policy, and AWS IoT rejects it: `Unsupported iot variables [...!iot:ClientId]`.
 */
import { defineRule } from '../rule';
import { notesOf, variable } from './notes';

interface Data {
  name: string;
}

type Messages = {
  literal: (a: { name: string }) => string;
  cdk: (a: { name: string }) => string;
};

export const escapeOutsideSub = defineRule<Data, Messages>({
  meta: {
    id: 'escape-outside-sub',
    defaultSeverity: 'error',
    category: 'templates',
    description: '`${!...}` (the `Fn::Sub` escape) in a string no `Fn::Sub` processes: the `!` stays, and AWS IoT rejects the policy.',
  },
  messages: {
    literal: (a) => `\`\${!${a.name}}\` is the \`Fn::Sub\` escape, but no \`Fn::Sub\` processes this string: the policy keeps the \`!\`, and AWS IoT rejects it ("Unsupported iot variables"). Write \`${variable(a.name)}\`.`,
    cdk: (a) => `\`\${!${a.name}}\` is the \`Fn::Sub\` escape, but the CDK joins strings with \`Fn::Join\`, not \`Fn::Sub\`: the policy keeps the \`!\`, and AWS IoT rejects it ("Unsupported iot variables"). Write \`${variable(a.name)}\`.`,
  },
  check(ctx) {
    const cdk = ctx.model.host.id === 'cdk';
    for (const n of notesOf(ctx.model, 'escape-outside-sub')) {
      ctx.report({ messageId: cdk ? 'cdk' : 'literal', args: { name: n.detail.name }, span: n.span, data: { name: n.detail.name } });
    }
  },
  fix(ctx, f) {
    // The `!` right after `${`, as written in the file.
    const note = notesOf(ctx.model, 'escape-outside-sub').find((n) => n.span.offset === f.span.offset);
    const bang = note?.str && note.range ? note.str.spanOf(note.range[0] + 2, note.range[0] + 3) : { offset: f.span.offset + 2, length: 1 };
    return [{ title: `Remove the '!': ${variable(f.data?.name ?? '')}`, edits: [ctx.writer.replaceSpan(bang, '', true)], preferred: true, safe: true }];
  },
});
