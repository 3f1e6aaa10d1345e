/**
 * `aws_iot_policy` resources offered by the server at the top level of a Terraform file (where
 * no editor snippet reaches): only at the start of a top-level line, never inside a block, a
 * string, a heredoc or a comment; accepted, the snippet gives a resource the host reads clean.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, openPolicyDocument, resourceCompletions } from '../../server/src/service';
import { loadGrammars } from '../util/grammars';
import { withMarkers } from '../util/markers';
import { expandSnippet } from '../util/snippets';

const at = (source: string, path = '/infra/main.tf'): string[] | undefined => {
  const { text, offsets } = withMarkers(source);
  return resourceCompletions(text, offsets[0], path, { snippetSupport: true })?.items.map((i) => i.label);
};

describe('Terraform resource snippets from the server', () => {
  before(() => loadGrammars('hcl'));

  it('offered on a new top-level line, or on a word typed there', () => {
    assert.ok(at('|')?.includes('aws_iot_policy: device on its own topics'));
    assert.ok(at('provider "aws" {\n  region = "eu-west-1"\n}\n\nres|')?.length);
    assert.ok(at('# a comment with { in it\nlocals { a = "}" }\n|'));
  });

  it('not inside a block, a string, a heredoc or a comment, nor after other text, nor elsewhere', () => {
    for (const source of [
      'resource "aws_s3_bucket" "b" {\n  |\n}\n',
      'locals {\n  x = "|"\n}\n',
      'x = <<EOF\n{\n|\nEOF\n',
      '/* a block\n| */\n',
      '# |\n',
      'foo = |',
    ]) assert.equal(at(source), undefined, JSON.stringify(source));
    assert.equal(at('|', '/infra/main.tf.json'), undefined);
    assert.equal(at('|', '/infra/stack.ts'), undefined);
    const { text, offsets } = withMarkers('|');
    assert.equal(resourceCompletions(text, offsets[0], '/infra/main.tf', { snippetSupport: false }), undefined);
  });

  it('accepting one writes a resource the Terraform host reads with no error or warning', () => {
    const { text, offsets } = withMarkers('provider "aws" {}\n\naws_iot|');
    const items = resourceCompletions(text, offsets[0], '/infra/main.tf', { snippetSupport: true })!.items;
    const item = items.find((i) => i.label === 'aws_iot_policy: device on its own topics')!;
    const edit = item.textEdit as { range: Parameters<typeof TextDocument.applyEdits>[1][0]['range']; newText: string };
    const out = TextDocument.applyEdits(TextDocument.create('file:///infra/main.tf', 'plaintext', 1, text), [{ range: edit.range, newText: expandSnippet(edit.newText) }]);
    assert.match(out, /^provider "aws" \{\}\n\nresource "aws_iot_policy" "device" \{\n/);
    const doc = openPolicyDocument(out, { path: '/infra/main.tf', policyGlobs: [], detectByContent: false });
    assert.ok(doc && doc.policies.length === 1);
    assert.deepEqual(analyzeDocument(doc).filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.ruleId), []);
  });
});
