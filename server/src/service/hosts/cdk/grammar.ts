/**
 * How a language's syntax tree spells what the CDK readers look for (reader.ts): tree-sitter node
 * types and field names, how the CDK's method names are written, and the shapes in which a call,
 * a class or a construct is given its arguments.
 */
import type { Node } from 'web-tree-sitter';
import type { ContainerStyle } from './tree';

/** How a language's syntax tree spells what the readers look for (tree-sitter node types and fields). */
export interface Grammar {
  dialect: 'ts' | 'py';
  /** Strips what does not change a value: parentheses, TypeScript's type assertions. */
  unwrap(n: Node): Node;
  /** The characters of a name, as the body of a regular expression class. */
  nameChars: string;
  /** Node types a name of the construct is (`CfnPolicy` alone and after a dot). */
  names: readonly string[];
  /** Node types a chain of names (`a.b.c`) may start with (`this` in TypeScript). */
  chainStart: readonly string[];
  /** `a.b`: its node type and the field of `b` (`a` is the `object` field in both languages). */
  member: { type: string; name: string };
  /** `f(...)`: its node type (`function` and `arguments` are its fields in both languages). */
  call: string;
  /** How a class is instantiated (`new C(...)`, `C(...)`): the node type and the field of `C`. */
  construct: { type: string; callee: string };
  /** A binding of a name (`const a = ...`, `a = ...`): its node type and its fields. */
  binding: { type: string; name: string; value: string; search(name: string): RegExp };
  /** Node types a binding is visible in. */
  scopes: ReadonlySet<string>;
  object: string;
  lists: readonly string[];
  /** `...xs` inside a list. */
  listSpread: string;
  numbers: readonly string[];
  nullType: string;
  strings: readonly string[];
  binary: string;
  /** The call that parses JSON text (`JSON.parse`, `json.loads`). */
  jsonParse: readonly [string, string];
  /** How a CDK method named in camel case is spelled (Python's bindings use snake case). */
  method(camel: string): string;
  /** Whether a node is the stack in its own methods (`this`, `self`). */
  isSelf(n: Node): boolean;
}

/** The arguments of a call: positional, by keyword (Python), and the node that holds them. */
export interface CallArguments {
  args: Node[];
  kwargs: Map<string, Node>;
  list: Node | null;
}

/** A property given to a CDK class: `actions: [...]` in an object literal, `actions=[...]` as a keyword argument. */
export interface ClassProp {
  key: string | undefined;
  keyNode: Node | null;
  value: Node | null;
  node: Node;
}

/** The properties given to a CDK class, and the object literal or argument list they are written in. */
export interface ClassProps {
  holder: Node;
  props: ClassProp[];
  /** What separates a key from its value (`:`, `=`). */
  separator: string;
  style: ContainerStyle;
  /** The property `key` (of several, the one the language's own rules pick). */
  get(key: string): ClassProp | undefined;
}

/** What the construct is given: its id, `policyName` and `policyDocument`. */
export interface ConstructArguments {
  id?: Node;
  name?: Node;
  document?: Node;
}
