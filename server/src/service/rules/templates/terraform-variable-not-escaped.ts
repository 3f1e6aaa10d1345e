/**
 * `terraform-variable-not-escaped`: a policy variable written `${iot:ClientId}` in a Terraform
 * string, heredoc or template. Terraform reads every `${` there as the start of an interpolation,
 * cannot read `iot:ClientId` as an expression, and stops ("Extra characters after interpolation
 * expression"). `$${iot:ClientId}` is Terraform's escape: the policy then receives `${iot:ClientId}`.
 */
import { defineRule } from '../rule';
import { notesOf, variable } from './notes';

interface Data {
  name: string;
}

export const terraformVariableNotEscaped = defineRule<Data, { unescaped: (a: { name: string }) => string }>({
  meta: {
    id: 'terraform-variable-not-escaped',
    defaultSeverity: 'error',
    category: 'templates',
    description: 'A policy variable written `${iot:...}` in a Terraform string, heredoc or template, where it must be `$${iot:...}`.',
  },
  messages: {
    unescaped: (a) => `\`${variable(a.name)}\` is a policy variable, but Terraform reads every \`\${...}\` in a string as an interpolation and cannot read \`${a.name}\` as an expression ("Extra characters after interpolation expression"). Write \`$${variable(a.name)}\`: the policy then receives \`${variable(a.name)}\`.`,
  },
  check(ctx) {
    for (const n of notesOf(ctx.model, 'terraform-variable-not-escaped')) {
      ctx.report({ messageId: 'unescaped', args: { name: n.detail.name }, span: n.span, data: { name: n.detail.name } });
    }
  },
  fix(ctx, f) {
    // The `$` of Terraform's escape goes before the `${` as written.
    const edit = ctx.writer.replaceSpan({ offset: f.span.offset, length: 0 }, '$', true);
    return [{ title: `Escape it: $${variable(f.data?.name ?? '')}`, edits: [edit], preferred: true, safe: true }];
  },
});
