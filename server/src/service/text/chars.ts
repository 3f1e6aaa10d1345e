/**
 * Characters and numbers in messages: names of invisible and look-alike characters, and number
 * formatting without Intl (which is slow to start).
 */

const CHAR_NAMES: Record<number, string> = {
  0x00a0: 'no-break space',
  0x00ad: 'soft hyphen',
  0x034f: 'combining grapheme joiner',
  0x061c: 'Arabic letter mark',
  0x1680: 'Ogham space mark',
  0x180e: 'Mongolian vowel separator',
  0x2000: 'en quad', 0x2001: 'em quad', 0x2002: 'en space', 0x2003: 'em space', 0x2004: 'three-per-em space',
  0x2005: 'four-per-em space', 0x2006: 'six-per-em space', 0x2007: 'figure space', 0x2008: 'punctuation space',
  0x2009: 'thin space', 0x200a: 'hair space',
  0x200b: 'zero width space', 0x200c: 'zero width non-joiner', 0x200d: 'zero width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark',
  0x2028: 'line separator', 0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override',
  0x202f: 'narrow no-break space', 0x205f: 'medium mathematical space',
  0x2060: 'word joiner', 0x2061: 'function application', 0x2062: 'invisible times', 0x2063: 'invisible separator', 0x2064: 'invisible plus',
  0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate',
  0x3000: 'ideographic space',
  0xfeff: 'byte order mark',
  0x2018: 'left single quotation mark', 0x2019: 'right single quotation mark',
  0x201c: 'left double quotation mark', 0x201d: 'right double quotation mark',
  0x00ab: 'left-pointing double angle quotation mark', 0x00bb: 'right-pointing double angle quotation mark',
  0x2032: 'prime', 0x2033: 'double prime',
  0xff02: 'fullwidth quotation mark', 0xff1a: 'fullwidth colon', 0xff0c: 'fullwidth comma',
  0x0009: 'tab', 0x000a: 'line feed', 0x000d: 'carriage return', 0x000b: 'vertical tab', 0x000c: 'form feed', 0x0000: 'null',
};

/** `U+200B` */
export function codePointLabel(ch: string): string {
  return 'U+' + (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/** `U+200B (zero width space)` */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const name = CHAR_NAMES[cp] ?? (cp < 0x20 || cp === 0x7f ? 'control character' : undefined);
  return name ? `${codePointLabel(ch)} (${name})` : codePointLabel(ch);
}

/**
 * Characters that are invisible or look like white space, which nobody means to put in an action
 * name, ARN or key (control characters, Unicode spaces, zero-width and bidi format characters).
 */
export function isInvisibleCharacter(code: number): boolean {
  return code < 0x20 || code === 0x7f || code === 0xa0 || code === 0xad || code === 0x34f || code === 0x61c || code === 0x1680 || code === 0x180e
    || (code >= 0x2000 && code <= 0x200f) || (code >= 0x2028 && code <= 0x202f) || (code >= 0x205f && code <= 0x2064)
    || (code >= 0x2066 && code <= 0x2069) || code === 0x3000 || code === 0xfeff;
}

/** ` It contains the invisible character U+00A0 (no-break space).` when `s` has one, else ''. */
export function invisibleNote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (isInvisibleCharacter(s.charCodeAt(i))) return ` It contains the invisible character ${describeCharacter(s[i])}.`;
  }
  return '';
}

/** 2048 → `2,048` (without Intl, which is slow to start). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
