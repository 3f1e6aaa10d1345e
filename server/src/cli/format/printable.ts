/**
 * Text for a terminal or a CI log from names the CLI did not write: file names (a repository can
 * hold `a\nb.json`, or a name with ESC sequences that would drive the terminal) and policy names.
 * Control characters (C0, DEL, C1) and the bidirectional overrides that reorder what a reader sees
 * are written as escapes: `\n`, `\x1b`, `\u202e`. JSON, SARIF and GitHub outputs escape in
 * their own syntax and take names as they are.
 */

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** A name on one line, every control character escaped. */
export function printable(name: string): string {
  return name.replace(UNPRINTABLE, escape);
}

/** Lines of human text: line breaks and tabs kept, every other control character escaped (our own messages carry no ESC). */
export function printableLines(text: string): string {
  return text.replace(UNPRINTABLE_BUT_NEWLINE, escape);
}
