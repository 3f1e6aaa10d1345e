/**
 * How syntax errors bear on the tree: a node with a syntax error inside or right after it is
 * probably a parse artefact, and keys after a structural error may only sit where they are
 * because of error recovery. Rules stay quiet on both.
 */
import { modelMemo, type PolicyModel } from '../policy/model';
import type { PolicyNode } from '../policy/tree';
import { isJsonWhiteSpace, prevSignificant } from '../text/lines';

/** True when a syntax error lies inside `node` or just after it (the node is probably a parse artefact). */
export function isBroken(model: PolicyModel, node: PolicyNode): boolean {
  if (model.syntaxErrors.length === 0) return false;
  let end = node.offset + node.length;
  while (end < model.text.length && isJsonWhiteSpace(model.text[end])) end++;
  return model.syntaxErrors.some((e) => e.offset >= node.offset && e.offset <= end);
}

/**
 * True when a syntax error that damages structure (a misplaced brace, bracket, colon, or a missing
 * value; not a trailing comma, comment or stray character) lies between `from` and `to`: keys after
 * it may only sit where they are because of error recovery.
 */
export function damagedBetween(model: PolicyModel, from: number, to: number): boolean {
  if (model.syntaxErrors.length === 0) return false;
  const offsets = damagingErrorOffsets(model);
  // First damaging error at or after `from` (binary search), then: is it before `to`?
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo] < to;
}

const DAMAGING = {};

/** Sorted offsets of the syntax errors that damage structure (see damagedBetween), once per model. */
function damagingErrorOffsets(model: PolicyModel): number[] {
  return modelMemo(model, DAMAGING, (): number[] => {
    const text = model.text;
    const out = model.syntaxErrors.filter((e) => {
      switch (e.code) {
        case 'PropertyNameExpected':
        case 'ValueExpected': {
          const c = text[e.offset];
          return !(text[prevSignificant(text, e.offset)] === ',' && (c === '}' || c === ']'));
        }
        case 'ColonExpected':
        case 'CloseBraceExpected':
        case 'CloseBracketExpected':
          return true;
        case 'CommaExpected':
          return text[e.offset] === ':';
        default:
          return false;
      }
    }).map((e) => e.offset).sort((a, b) => a - b);
    return out;
  });
}
