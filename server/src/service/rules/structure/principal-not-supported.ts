/**
 * `principal-not-supported`: `Principal` or `NotPrincipal` in an IoT policy, which applies to the
 * principal it is attached to. The fix removes the property.
 */
import { keyContentSpan } from '../../analysis/spans';
import { defineRule } from '../rule';
import { PRINCIPALS, type NoArgs } from './shared';

type Messages = { principal: (a: { key: string }) => string };

export const principalNotSupported = defineRule<NoArgs, Messages>({
  meta: { id: 'principal-not-supported', defaultSeverity: 'error', category: 'structure', description: '`Principal` or `NotPrincipal` in an IoT policy.' },
  messages: {
    principal: (a) => `\`${a.key}\` has no place in an AWS IoT policy: IoT policies apply to the certificate, Cognito identity or thing group they are attached to, so there is no principal to name. Remove it and attach the policy to the principal instead (\`AttachPolicy\`).`,
  },
  /** On the key's content. */
  check(ctx) {
    const m = ctx.model;
    // In document order, as the keys are read; no list of every property is built.
    const report = (p: (typeof m.topProps)[number]): void => {
      if (PRINCIPALS.has(p.key)) ctx.report({ messageId: 'principal', args: { key: p.key }, span: keyContentSpan(p), data: {} });
    };
    for (const p of m.topProps) report(p);
    for (const st of m.statements) for (const p of st.props) report(p);
  },
  fix(ctx, f) {
    const m = ctx.model;
    const inKey = (p: { keySpan: { offset: number; length: number } }): boolean =>
      p.keySpan.offset <= f.span.offset && f.span.offset + f.span.length <= p.keySpan.offset + p.keySpan.length;
    const prop = [...m.topProps, ...m.statements.flatMap((st) => st.props)].find(inKey);
    const edits = prop ? ctx.writer.removeProperty(prop) : [];
    return edits.length ? [{ title: `Remove '${prop!.key}'`, edits, preferred: true }] : [];
  },
});
