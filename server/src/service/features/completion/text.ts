/**
 * Completion texts: literal policy text, text in the host's own syntax, and tab stops, rendered as
 * a snippet or as plain text. Literal text goes through the place's encoder (JSON escapes inside a
 * JSON string, `${!...}` inside a CloudFormation `Fn::Sub`), so the completers write policy text
 * and the host decides how it is spelled in the file.
 */
export type Part =
  /** Policy text (decoded): encoded for the place. */
  | string
  /** Text in the host's syntax (quotes, brackets, a pseudo parameter): written as it is. */
  | { raw: string }
  | { stop: number; placeholder: string; plain: string }
  | { choice: number; options: string[] }
  /** One text for snippets, another without (a skeleton with tab stops, or its compact form). */
  | { either: [Text, Text] };

export type Text = Part[];

export function lit(s: string): Text {
  return s ? [s] : [];
}

export function raw(s: string): Text {
  return s ? [{ raw: s }] : [];
}

/** A tab stop with a placeholder (`${1:name}`), or a bare one (`$1`); `plain` is written without snippets. */
export function stop(n: number, placeholder: string, plain = placeholder): Text {
  return [{ stop: n, placeholder, plain }];
}

export function choice(n: number, options: string[]): Text {
  return [{ choice: n, options }];
}

export function cat(...parts: Text[]): Text {
  // A loop, not `parts.flat()`: V8's `flat` is slow on small arrays, and completion joins texts for
  // every action, key and variable it offers.
  const out: Part[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    for (let j = 0; j < p.length; j++) out.push(p[j]);
  }
  return out;
}

/** Escapes literal text for a snippet. */
function snippetEscape(s: string): string {
  if (s.indexOf('\\') === -1 && s.indexOf('$') === -1 && s.indexOf('}') === -1) return s;
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function choiceEscape(s: string): string {
  return s.replace(/[,|\\$}]/g, (c) => '\\' + c);
}

function hasTabStops(t: Text): boolean {
  return t.some((p) => typeof p === 'object' && !('raw' in p) && (!('either' in p) || hasTabStops(p.either[0])));
}

/** The text as a snippet (when `snippets` and it has tab stops) or as plain text. */
export function render(t: Text, snippets: boolean, encode: (s: string) => string): { text: string; snippet: boolean } {
  const snippet = snippets && hasTabStops(t);
  return { text: renderAs(t, snippet, encode), snippet };
}

function renderAs(t: Text, snippet: boolean, encode: (s: string) => string): string {
  let out = '';
  for (const p of t) {
    if (typeof p === 'string') out += snippet ? snippetEscape(encode(p)) : encode(p);
    else if ('either' in p) out += renderAs(p.either[snippet ? 0 : 1], snippet, encode);
    else if ('raw' in p) out += snippet ? snippetEscape(p.raw) : p.raw;
    else if ('stop' in p) {
      if (!snippet) out += encode(p.plain);
      else out += p.placeholder ? `\${${p.stop}:${snippetEscape(encode(p.placeholder))}}` : `$${p.stop}`;
    } else out += snippet ? `\${${p.choice}|${p.options.map((o) => choiceEscape(encode(o))).join(',')}|}` : encode(p.options[0]);
  }
  return out;
}

/** A value to write where a key's value goes: a string, a list or an object, each host writes its own way. */
export type ValueShape =
  | { kind: 'string'; text: Text }
  | { kind: 'list'; items: ValueShape[]; compact?: boolean; plain?: string }
  | { kind: 'object'; entries: { key: Text; value: ValueShape }[]; plain?: string };

export const str = (text: Text): ValueShape => ({ kind: 'string', text });
