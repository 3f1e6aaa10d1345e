/**
 * Whole policy resources offered at the top level of a file, where the file holds no policy yet or
 * the cursor is outside every policy: `aws_iot_policy` resources in a Terraform file. Editors get
 * them as snippets (VS Code's `terraform` language has its own snippet file; a plain-text `.tf`
 * file and other editors have only the server).
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList } from 'vscode-languageserver-types';
import { isTerraformPath } from '../../hosts/terraform';
import { spanToLspRange } from '../../text/lines';
import { TERRAFORM_RESOURCE_SNIPPETS } from './resourceSnippets';

/**
 * True when `offset` is outside every block, string, heredoc and comment of an HCL text: where a
 * new block may start. A linear scan of the text before the cursor.
 */
function atHclTopLevel(text: string, offset: number): boolean {
  let depth = 0;
  let i = 0;
  while (i < offset) {
    const c = text[i];
    if (c === '"') {
      // A quoted string (its `${ }` may hold quotes of their own: skipped by depth).
      i++;
      let inner = 0;
      while (i < text.length && !(text[i] === '"' && inner === 0)) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') inner++;
        else if (text[i] === '}' && inner > 0) inner--;
        else if (text[i] === '\n') break;
        i++;
      }
      if (i >= offset) return false;
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      if (nl === -1 || nl >= offset) return false;
      i = nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1 || end + 2 > offset) return false;
      i = end + 2;
    } else if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i, i + 80));
      if (!m) {
        i += 2;
        continue;
      }
      const close = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm');
      const rest = text.slice(i + m[0].length);
      const found = close.exec(rest);
      if (!found) return false;
      const end = i + m[0].length + found.index + found[0].length;
      if (end > offset) return false;
      i = end;
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return depth === 0;
}

/** Resource snippets at `offset` of a file, when it is a place for them; undefined otherwise. */
export function resourceCompletions(text: string, offset: number, path: string, options: { snippetSupport: boolean }): CompletionList | undefined {
  if (!options.snippetSupport || !isTerraformPath(path) || /\.json$/i.test(path)) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const typed = text.slice(lineStart, offset);
  // A new line, or a word being typed at its start (`res`, `aws_iot`, `tf-iot`).
  if (!/^\s*[A-Za-z_-]*$/.test(typed) || !atHclTopLevel(text, lineStart)) return undefined;
  const word = typed.trimStart();
  const start = offset - word.length;
  const items: CompletionItem[] = TERRAFORM_RESOURCE_SNIPPETS.map((s, i) => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: 'IoT policy resource (snippet)',
    documentation: { kind: MarkupKind.Markdown, value: `${s.description}\n\n\`\`\`hcl\n${s.body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{?\d+\}?/g, '').replace(/\\\$/g, '$')}\n\`\`\`` },
    filterText: `${s.prefix} resource aws_iot_policy`,
    sortText: `~${String(i).padStart(2, '0')}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { newText: s.body, range: spanToLspRange(text, { offset: start, length: offset - start }) },
  }));
  return { isIncomplete: false, items };
}
