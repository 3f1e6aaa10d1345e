/**
 * `template-syntax`: what template tools leave in a file, CloudFormation intrinsic functions (the
 * host's `template-construct` notes) and Terraform/CDK/Serverless/shell `${...}` substitutions (the
 * variable classifier). One finding per tool per policy, on the first occurrence; the others are
 * related information. The fix fills a region or account from the configured defaults.
 */
import { parseResource } from '../../catalog';
import type { OffsetEdit } from '../../text/edits';
import type { Span } from '../../text/span';
import { defineRule } from '../rule';
import { templateCandidates } from './classify';
import { variableAt } from './fix';

interface Args {
  /** `CloudFormation`, `Terraform`, `the Serverless Framework`, ..., or `template` (no tool recognised). */
  tool: string;
  /** What the first occurrence is, a sentence without its final period. */
  note: string;
  /** How many other occurrences of this tool's syntax the policy has. */
  more: number;
}

interface TemplateSyntaxData {
  /** Every occurrence, the first included. */
  occurrences: Span[];
}

type Messages = { looksLikeTemplate: (a: Args) => string };

function templateOf(tool: string): string {
  if (tool === 'template') return 'a template';
  return /^[A-Z]/.test(tool) && !tool.startsWith('JavaScript') ? `a ${tool} template` : `a template for ${tool}`;
}

const LINT_THE_RENDERED_POLICY = 'AWS IoT receives the rendered policy; lint that (e.g. the output of `cdk synth`, `terraform plan` or the deployed policy). The rest of this file is still checked as written.';

const messages: Messages = {
  looksLikeTemplate: (a) => {
    const others = a.more ? ` (${a.more} more template expression${a.more > 1 ? 's' : ''} of this kind in the file)` : '';
    return `This file looks like ${templateOf(a.tool)}, not a policy document. ${a.note}${others}. ${LINT_THE_RENDERED_POLICY}`;
  },
};

export const templateSyntax = defineRule<TemplateSyntaxData, Messages>({
  meta: {
    id: 'template-syntax',
    defaultSeverity: 'warning',
    category: 'variables',
    description: 'Template syntax (CloudFormation intrinsic functions, Terraform/CDK/Serverless `${...}`) in the document: lint the rendered policy.',
  },
  messages,
  check(ctx) {
    // A template or code host understands its own syntax and reports its mistakes with its own rules.
    if (ctx.model.host.id !== 'json') return;
    const byTool = new Map<string, { span: Span; what: string; note: string }[]>();
    const add = (tool: string, span: Span, what: string, note: string): void => {
      const list = byTool.get(tool) ?? [];
      list.push({ span, what, note });
      byTool.set(tool, list);
    };
    for (const n of ctx.model.notes()) {
      if (n.kind === 'template-construct') add(n.detail.tool, n.span, n.detail.construct, n.detail.note);
    }
    for (const r of templateCandidates(ctx.model)) {
      if (r.ruleId === 'template-syntax') add(r.tool, r.span, ctx.model.text.substr(r.span.offset, r.span.length), r.note);
    }
    for (const [tool, list] of byTool) {
      list.sort((a, b) => a.span.offset - b.span.offset);
      const [first, ...rest] = list;
      const kind = tool === 'template' ? 'template syntax' : tool;
      ctx.report({
        messageId: 'looksLikeTemplate',
        args: { tool, note: first.note, more: rest.length },
        span: first.span,
        data: { occurrences: list.map((x) => x.span) },
        related: rest.map((x) => ({ span: x.span, message: `Also ${kind}: \`${x.what}\`` })),
      });
    }
  },
  /** Occurrences that stand for a whole region or account of an ARN (`${region}`, `${AWS::AccountId}`), filled from the defaults. */
  fix(ctx, f) {
    const defaults = ctx.config?.defaults ?? {};
    if (!defaults.region && !defaults.accountId) return [];
    const edits: OffsetEdit[] = [];
    for (const span of f.data?.occurrences ?? [f.span]) {
      const at = variableAt(ctx, span);
      if (!at || at.ref.form !== 'braces') continue;
      const p = parseResource(at.sv.value);
      for (const [part, value] of [[p.region, defaults.region], [p.account, defaults.accountId]] as const) {
        if (part && value && part.start === at.ref.start && part.end === at.ref.end) edits.push(ctx.writer.replaceInString(at.sv, at.ref.start, at.ref.end, value));
      }
    }
    if (!edits.length) return [];
    return [{ title: `Fill the region and account from iotPolicy.defaults (${edits.length} place${edits.length > 1 ? 's' : ''})`, edits, preferred: true }];
  },
});
