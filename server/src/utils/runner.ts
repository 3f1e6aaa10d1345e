/**
 * Error and cancellation containment for request handlers: a handler that throws is logged and
 * answers a neutral value, so one bad document never takes the server down.
 */
import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export interface Logger {
  error(message: string): void;
}

function formatError(message: string, err: unknown): string {
  if (err instanceof Error) return `${message}: ${err.message}\n${err.stack ?? ''}`;
  if (typeof err === 'string') return `${message}: ${err}`;
  return `${message}: ${String(err)}`;
}

/**
 * The next turn of the event loop, after the messages already queued: `setImmediate` in Node, a
 * zero timeout in a browser worker (which has no setImmediate).
 */
const nextTurn: (run: () => void) => void =
  // eslint-disable-next-line no-restricted-globals -- guarded: used only where it exists
  typeof setImmediate === 'function' ? (run) => void setImmediate(run) : (run) => void setTimeout(run, 0);

/** Resolves on the next turn of the event loop: long work awaits it so that queued messages are handled meanwhile. */
export function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
}

function cancelled(): ResponseError<void> {
  return new ResponseError<void>(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/**
 * Runs `fn` on the next turn (so that a queued `$/cancelRequest` can arrive first), checks the
 * token before and after, and turns an exception into `errorVal`.
 */
export function runSafe<T>(
  logger: Logger,
  fn: () => T,
  errorVal: T,
  message: string,
  token: CancellationToken | undefined,
): Promise<T | ResponseError<void>> {
  // An exception thrown by `fn` becomes a rejection, which runSafeAsync logs and answers with `errorVal`.
  return runSafeAsync(logger, async () => fn(), errorVal, message, token);
}

/** Like `runSafe` for async work. */
export function runSafeAsync<T>(
  logger: Logger,
  fn: () => Promise<T>,
  errorVal: T,
  message: string,
  token: CancellationToken | undefined,
): Promise<T | ResponseError<void>> {
  return new Promise((resolve) => {
    nextTurn(() => {
      if (token?.isCancellationRequested) {
        resolve(cancelled());
        return;
      }
      fn().then(
        (result) => resolve(token?.isCancellationRequested ? cancelled() : result),
        (err: unknown) => {
          logger.error(formatError(message, err));
          resolve(errorVal);
        },
      );
    });
  });
}
