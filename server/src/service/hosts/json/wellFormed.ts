/**
 * The fast path of the JSON host's parse, for the common case: a well-formed JSON text (as AWS
 * reads policies: no comments, no trailing commas). One pass builds the tree jsonc-parser's
 * `parseTree` builds, node for node (the same types, offsets, lengths, values, `colonOffset`s and
 * parents), and counts on the way what the host needs besides: the white space `policySize`
 * counts, and whether a key could start a CloudFormation intrinsic function.
 *
 * It gives up at the first thing it does not accept (any syntax error, a comment, a character
 * jsonc-parser reads differently, nesting deeper than the limit), and the caller then parses with
 * jsonc-parser, which reports the errors and builds its fault-tolerant tree. Giving up is always
 * correct; `test/unit/well-formed.test.ts` checks that every tree it builds is jsonc-parser's.
 *
 * jsonc-parser spends most of a parse on its token layer (each run of white space becomes a
 * string); here white space is only skipped, which makes a pretty-printed policy parse in about
 * half the time.
 */
import type { PolicyNode } from '../../policy/tree';
import { keepLayout } from '../../text/memo';

export interface WellFormedParse {
  root: PolicyNode;
  /** White space characters (spaces inside strings included), as `policySize` counts them. */
  blanks: number;
  /** Some key is `Ref`, `Fn::...` or `Condition` with a string value (an intrinsic function may be present). */
  intrinsicKeys: boolean;
}

/** Thrown to give up; caught in `parseWellFormed`. */
const GIVE_UP = new Error('not a well-formed JSON text');

/** Mutable nodes while they are built (the tree's readonly view is PolicyNode). */
interface Building {
  type: PolicyNode['type'];
  offset: number;
  length: number;
  parent: Building | undefined;
  children?: Building[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON leaf value
  value?: any;
  colonOffset?: number;
}

class Parser {
  pos = 0;
  blanks = 0;
  intrinsicKeys = false;
  /** The items of the objects and arrays being read, innermost last (see `close`). */
  private readonly items: Building[] = [];
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  /** Skips white space (jsonc-parser's: space, tab, line feed, carriage return); a comment gives up. */
  skip(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.blanks += pos - this.pos;
    this.pos = pos;
  }

  value(parent: Building | undefined, depth: number): Building {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b /* { */) return this.object(parent, depth + 1);
    if (c === 0x5b /* [ */) return this.array(parent, depth + 1);
    if (c === 0x22 /* " */) {
      const offset = this.pos;
      const value = this.string();
      return { type: 'string', offset, length: this.pos - offset, parent, value };
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.number(parent);
    if (c === 0x74 /* t */) return this.keyword(parent, 'true', true);
    if (c === 0x66 /* f */) return this.keyword(parent, 'false', false);
    if (c === 0x6e /* n */) return this.keyword(parent, 'null', null);
    throw GIVE_UP;
  }

  object(parent: Building | undefined, depth: number): Building {
    const node = this.open('object', parent, depth);
    if (this.closesAt(node, 0x7d /* } */)) return node;
    const text = this.text;
    const items = this.items;
    const mark = items.length;
    for (;;) {
      if (text.charCodeAt(this.pos) !== 0x22) throw GIVE_UP;
      const keyOffset = this.pos;
      const name = this.string();
      const keyLength = this.pos - keyOffset;
      this.skip();
      if (text.charCodeAt(this.pos) !== 0x3a /* : */) throw GIVE_UP;
      const prop: Building = { type: 'property', offset: keyOffset, length: -1, parent: node, children: undefined, colonOffset: this.pos };
      const key: Building = { type: 'string', offset: keyOffset, length: keyLength, parent: prop, value: name };
      this.pos++;
      this.skip();
      const v = this.value(prop, depth);
      prop.children = [key, v];
      prop.length = v.offset + v.length - keyOffset;
      items.push(prop);
      if (name === 'Ref' || name.startsWith('Fn::') || (name === 'Condition' && v.type === 'string')) this.intrinsicKeys = true;
      if (this.ends(node, 0x7d)) return this.close(node, mark);
    }
  }

  array(parent: Building | undefined, depth: number): Building {
    const node = this.open('array', parent, depth);
    if (this.closesAt(node, 0x5d /* ] */)) return node;
    const items = this.items;
    const mark = items.length;
    for (;;) {
      items.push(this.value(node, depth));
      if (this.ends(node, 0x5d)) return this.close(node, mark);
    }
  }

  /**
   * Gives `node` the items pushed since `mark`, in an array of their number: items are gathered
   * on one stack for the whole parse, because an array grown by `push` from empty holds room for
   * sixteen, and most objects and arrays of a policy have two or three.
   */
  close(node: Building, mark: number): Building {
    node.children = this.items.slice(mark);
    this.items.length = mark;
    return node;
  }

  /** The object or array whose `{` or `[` is at `pos`; `pos` moves past it and the white space after. */
  open(type: 'object' | 'array', parent: Building | undefined, depth: number): Building {
    if (depth > this.maxDepth) throw GIVE_UP;
    const node: Building = { type, offset: this.pos, length: -1, parent, children: [] };
    this.pos++;
    this.skip();
    return node;
  }

  /** Ends `node` at `close` when that is the character at `pos`. */
  closesAt(node: Building, close: number): boolean {
    if (this.text.charCodeAt(this.pos) !== close) return false;
    this.pos++;
    node.length = this.pos - node.offset;
    return true;
  }

  /** After an item: `,` (another item follows) or `close` (`node` ends); anything else gives up. */
  ends(node: Building, close: number): boolean {
    this.skip();
    if (this.text.charCodeAt(this.pos) === 0x2c /* , */) {
      this.pos++;
      this.skip();
      return false;
    }
    if (this.closesAt(node, close)) return true;
    throw GIVE_UP;
  }

  /** A string literal at `pos` (its opening quote): its value; `pos` ends past the closing quote. */
  string(): string {
    const text = this.text;
    const start = this.pos + 1;
    let pos = start;
    let escaped = false;
    let spaces = 0;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c === 0x5c /* \ */) {
        escaped = true;
        const e = text.charCodeAt(pos + 1);
        if (e === 0x75 /* u */) {
          for (let k = pos + 2; k < pos + 6; k++) if (!isHex(text.charCodeAt(k))) throw GIVE_UP;
          pos += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw GIVE_UP;
        pos += 2;
        continue;
      }
      // A control character (jsonc-parser reports it; a line break ends the string for it), or the end.
      if (c < 0x20 || Number.isNaN(c)) throw GIVE_UP;
      if (c === 0x20) spaces++;
      pos++;
    }
    this.blanks += spaces;
    this.pos = pos + 1;
    // With escapes, JSON.parse decodes exactly as jsonc-parser does (each `\uXXXX` one code unit).
    return escaped ? (JSON.parse(text.slice(start - 1, pos + 1)) as string) : text.slice(start, pos);
  }

  number(parent: Building | undefined): Building {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 0x2d) pos++;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (isDigit(text.charCodeAt(pos))) while (isDigit(text.charCodeAt(pos))) pos++;
    else throw GIVE_UP;
    if (text.charCodeAt(pos) === 0x2e /* . */) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x45 || e === 0x65) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!isDigit(text.charCodeAt(pos))) throw GIVE_UP;
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    this.follows(pos);
    this.pos = pos;
    return { type: 'number', offset: start, length: pos - start, parent, value: Number(text.slice(start, pos)) };
  }

  keyword(parent: Building | undefined, word: string, value: boolean | null): Building {
    const start = this.pos;
    if (!this.text.startsWith(word, start)) throw GIVE_UP;
    const end = start + word.length;
    this.follows(end);
    this.pos = end;
    return { type: value === null ? 'null' : 'boolean', offset: start, length: word.length, parent, value };
  }

  /**
   * What may follow a number or keyword: white space, a separator, a closing bracket or the end
   * (jsonc-parser reads `truex` or `1a` as one unknown token).
   */
  follows(pos: number): void {
    const c = this.text.charCodeAt(pos);
    if (Number.isNaN(c) || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x7d || c === 0x5d) return;
    throw GIVE_UP;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

// Made afresh by every parse (see `keepLayout`).
keepLayout(new Parser('', 0));

/**
 * The tree of a well-formed JSON text whose nesting is at most `maxDepth`, as jsonc-parser's
 * `parseTree` builds it; undefined for any other text (the caller parses it with jsonc-parser).
 */
export function parseWellFormed(text: string, maxDepth: number): WellFormedParse | undefined {
  const p = new Parser(text, maxDepth);
  try {
    p.skip();
    if (p.pos >= text.length) return undefined;
    const root = p.value(undefined, 0);
    p.skip();
    if (p.pos !== text.length) return undefined;
    return { root: root as PolicyNode, blanks: p.blanks, intrinsicKeys: p.intrinsicKeys };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/**
 * The tree of the well-formed JSON value that starts at `start` of `text` and ends at `end` (its
 * last character just before), nested `depth` levels below the root and given `parent`, as
 * `parseWellFormed` would build it inside the whole text; undefined when it is not one such value.
 * `blanks` counts its white space as `parseWellFormed` does.
 */
export function parseWellFormedValue(
  text: string, start: number, end: number, parent: PolicyNode, depth: number, maxDepth: number,
): WellFormedParse | undefined {
  const p = new Parser(text, maxDepth);
  p.pos = start;
  try {
    const root = p.value(parent as Building, depth);
    if (p.pos !== end) return undefined;
    return { root: root as PolicyNode, blanks: p.blanks, intrinsicKeys: p.intrinsicKeys };
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}
