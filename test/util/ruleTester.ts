/**
 * Table tests for one rule, in the style of eslint's RuleTester:
 *
 *   ruleTester('unknown-action', {
 *     valid: [policyText, ...],
 *     invalid: [{ code: '...[[iot:Pubish]]...', errors: [{ messageId: 'unknown' }], output: '...iot:Publish...' }],
 *   });
 *
 * In `code`, `[[` and `]]` mark each finding's range (in order), so a table states the smallest
 * range at fault as text. `output` is the document after the rule's preferred quick fix of the
 * first finding (verified by the same code path as the editor); `null` says the finding has no
 * fix. Each case is analysed as a standalone JSON policy unless `host` parses it otherwise.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  analyze, getCodeActions, jsonDocument, parsePolicy, toDiagnostics, type AnalyzedFinding, type PolicyConfig, type PolicyDocument,
} from '../../server/src/service';

export interface InvalidCase {
  /** The document, with `[[...]]` around each expected range. */
  code: string;
  /** The expected findings of the rule, in document order. */
  errors: { messageId: string; data?: Record<string, unknown>; message?: RegExp }[];
  /** The document after the preferred quick fix of the first finding; `null`: no quick fix. Omitted: not checked. */
  output?: string | null;
  config?: PolicyConfig;
  name?: string;
}

export interface RuleTable {
  valid: (string | { code: string; config?: PolicyConfig; name?: string })[];
  invalid: InvalidCase[];
  /** How a case's text is parsed (default: a standalone JSON policy). */
  host?: (text: string) => PolicyDocument;
}

/** Removes `[[`/`]]` markers; returns the text and the marked spans. */
export function markedRanges(code: string): { text: string; spans: { offset: number; length: number }[] } {
  let text = '';
  const spans: { offset: number; length: number }[] = [];
  const open: number[] = [];
  for (let i = 0; i < code.length; i++) {
    if (code.startsWith('[[', i)) {
      open.push(text.length);
      i++;
    } else if (code.startsWith(']]', i) && open.length) {
      const start = open.pop()!;
      spans.push({ offset: start, length: text.length - start });
      i++;
    } else text += code[i];
  }
  spans.sort((a, b) => a.offset - b.offset);
  return { text, spans };
}

function findingsOf(doc: PolicyDocument, ruleId: string, config?: PolicyConfig): AnalyzedFinding[] {
  return doc.policies.flatMap((p) => analyze(p.model, config)).filter((f) => f.ruleId === ruleId);
}

export function ruleTester(ruleId: string, table: RuleTable): void {
  const parse = table.host ?? ((text: string) => jsonDocument(parsePolicy(text)));
  describe(`${ruleId} (table)`, () => {
    table.valid.forEach((v, i) => {
      const c = typeof v === 'string' ? { code: v } : v;
      it(c.name ?? `valid #${i + 1}`, () => {
        const found = findingsOf(parse(c.code), ruleId, c.config);
        assert.deepEqual(found.map((f) => [c.code.substr(f.span.offset, f.span.length), f.message]), []);
      });
    });
    table.invalid.forEach((c, i) => {
      it(c.name ?? `invalid #${i + 1}: ${c.errors.map((e) => e.messageId).join(', ')}`, () => {
        const { text, spans } = markedRanges(c.code);
        const doc = parse(text);
        const found = findingsOf(doc, ruleId, c.config);
        assert.deepEqual(
          found.map((f) => ({ messageId: f.messageId, text: text.substr(f.span.offset, f.span.length) })),
          c.errors.map((e, k) => ({ messageId: e.messageId, text: spans[k] ? text.substr(spans[k].offset, spans[k].length) : '(no range marked)' })),
        );
        c.errors.forEach((e, k) => {
          if (e.data) for (const [key, value] of Object.entries(e.data)) assert.deepEqual((found[k].data as Record<string, unknown>)[key], value, `data.${key}`);
          if (e.message) assert.match(found[k].message, e.message);
        });
        if (c.output === undefined) return;
        const td = TextDocument.create('file:///table/policy.iot-policy.json', 'json', 1, text);
        const diagnostics = toDiagnostics(td, found.slice(0, 1));
        const actions = getCodeActions(td, doc, diagnostics[0].range, diagnostics, { config: c.config, only: ['quickfix'] });
        const preferred = actions.find((a) => a.isPreferred) ?? actions[0];
        if (c.output === null) {
          assert.equal(preferred, undefined, `expected no quick fix, got "${preferred?.title}"`);
          return;
        }
        assert.ok(preferred, 'expected a quick fix');
        const edits = preferred.edit?.changes?.[td.uri] ?? [];
        assert.equal(TextDocument.applyEdits(td, edits), c.output, preferred.title);
      });
    });
  });
}
