/**
 * JSON (with comments and trailing commas) read as plain data for configuration: the project's
 * `iot-policy.config.json` in the CLI and the server. Two traps of the usual readers are closed:
 * - nesting is capped before parsing (MAX_NESTING): jsonc-parser recurses, so a 200,000-deep
 *   value overflowed the stack and ended the CLI in "internal error";
 * - a `"__proto__"` key is kept as an own property, as JSON.parse keeps it: jsonc-parser's
 *   `parse` assigns it, which replaced the object's prototype, so `{"__proto__": {"rules": ...}}`
 *   was read as if `rules` were written.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { MAX_NESTING, nestingDepth } from './parse';

export interface JsonDataError {
  offset: number;
  message: string;
}

function toValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (!key || typeof key.value !== 'string') continue;
        // defineProperty makes an own property even of "__proto__"; a later duplicate wins.
        Object.defineProperty(out, key.value, { value: value ? toValue(value) : undefined, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

/** The value of `text`, and its syntax errors (the value is what could be read despite them). */
export function parseJsonData(text: string): { value: unknown; errors: JsonDataError[] } {
  const deep = nestingDepth(text, MAX_NESTING);
  if (deep.offset !== -1) return { value: undefined, errors: [{ offset: deep.offset, message: `nested deeper than ${MAX_NESTING} levels` }] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return {
    value: root ? toValue(root) : undefined,
    errors: errors.map((e) => ({ offset: e.offset, message: `not valid JSON (${printParseErrorCode(e.error)})` })),
  };
}
