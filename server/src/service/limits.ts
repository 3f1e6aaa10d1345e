/**
 * How much of a document the analysis takes on. No IoT policy holds more than 2,048 characters,
 * and no CloudFormation template more than 1 MB: beyond these bounds a document is degraded, with
 * an `analysis-limit` notice, so that the server never dies of memory and never goes silent.
 */

/** Above this, only syntax and structure rules run. */
export const LARGE_DOCUMENT_CHARS = 1_000_000;

/** Above this, a document is not parsed at all (the CLI reads at most 10 MB from a file). */
export const MAX_DOCUMENT_CHARS = 4_000_000;

/** Statements of one policy beyond this are not modelled (the model's own bound). */
export { MAX_STATEMENTS } from './policy/model';

/** Findings of one document beyond this are not reported (the rest are counted in a notice). */
export const MAX_FINDINGS = 1_000;

/**
 * Outline symbols of one policy with their children, as VS Code's JSON support stops at 5,000
 * (`json.maxItemsComputed`). Past it, each further statement is listed without children, so the
 * outline still reaches every statement.
 */
export const MAX_SYMBOLS = 5_000;

/** `54.0 MB`, `900 KB`: a size for a message. */
export function formatSize(chars: number): string {
  return chars >= 1_000_000 ? `${(chars / 1_000_000).toFixed(1)} MB` : `${Math.round(chars / 1000)} KB`;
}
