/** VS Code's snippet syntax, for tests: parse, and expand with every default accepted. */
import assert from 'node:assert/strict';

type Node = { kind: 'text'; text: string } | { kind: 'tabstop'; index: number; children?: Node[] } | { kind: 'choice'; index: number; options: string[] } | { kind: 'variable'; name: string; children?: Node[] };

/** A parser for VS Code's snippet grammar (tab stops, placeholders, choices, variables, escapes). */
export function parseSnippet(src: string): Node[] {
  let i = 0;
  function parseUntil(stop: string | undefined): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    while (i < src.length) {
      const c = src[i];
      if (c === '\\' && i + 1 < src.length && '$}\\'.includes(src[i + 1])) {
        text += src[i + 1];
        i += 2;
        continue;
      }
      if (stop && c === stop) {
        flush();
        return nodes;
      }
      if (c === '$') {
        const rest = src.slice(i + 1);
        let m: RegExpExecArray | null;
        if ((m = /^\d+/.exec(rest))) {
          flush();
          nodes.push({ kind: 'tabstop', index: Number(m[0]) });
          i += 1 + m[0].length;
          continue;
        }
        if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
          flush();
          nodes.push({ kind: 'variable', name: m[0] });
          i += 1 + m[0].length;
          continue;
        }
        if ((m = /^\{(\d+)\}/.exec(rest))) {
          flush();
          nodes.push({ kind: 'tabstop', index: Number(m[1]) });
          i += 1 + m[0].length;
          continue;
        }
        if ((m = /^\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(rest))) {
          flush();
          nodes.push({ kind: 'choice', index: Number(m[1]), options: m[2].split(',') });
          i += 1 + m[0].length;
          continue;
        }
        if ((m = /^\{(\d+):/.exec(rest))) {
          flush();
          i += 1 + m[0].length;
          const children = parseUntil('}');
          assert.equal(src[i], '}', `unterminated placeholder \${${m[1]}: in ${src}`);
          i++;
          nodes.push({ kind: 'tabstop', index: Number(m[1]), children });
          continue;
        }
        if ((m = /^\{([A-Za-z_][A-Za-z0-9_]*)(:?)/.exec(rest))) {
          flush();
          i += 1 + m[0].length;
          const children = m[2] ? parseUntil('}') : [];
          assert.equal(src[i], '}', `unterminated variable \${${m[1]} in ${src}`);
          i++;
          nodes.push({ kind: 'variable', name: m[1], children });
          continue;
        }
      }
      text += c;
      i++;
    }
    flush();
    return nodes;
  }
  const nodes = parseUntil(undefined);
  return nodes;
}

/** Expands with every default accepted. Known VS Code variables are not used by our snippets. */
export function expandSnippet(src: string, overrides: Record<number, string> = {}): string {
  const nodes = parseSnippet(src);
  const defaults = new Map<number, Node[]>();
  const collect = (ns: Node[]) => {
    for (const n of ns) {
      if (n.kind === 'tabstop' && n.children && !defaults.has(n.index)) defaults.set(n.index, n.children);
      if ((n.kind === 'tabstop' || n.kind === 'variable') && n.children) collect(n.children);
    }
  };
  collect(nodes);
  const render = (ns: Node[]): string =>
    ns
      .map((n) => {
        switch (n.kind) {
          case 'text':
            return n.text;
          case 'tabstop': {
            if (n.index in overrides) return overrides[n.index];
            const d = n.children ?? defaults.get(n.index);
            return d ? render(d) : '';
          }
          case 'choice':
            return overrides[n.index] ?? n.options[0];
          case 'variable':
            return n.children ? render(n.children) : '';
        }
        return '';
      })
      .join('');
  return render(nodes);
}

