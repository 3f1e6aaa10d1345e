/**
 * A strict reader of the LSP base protocol (`Content-Length` framing) on a byte stream.
 *
 * vscode-jsonrpc's own stream reader stays alive but deaf after one malformed header, logs
 * nothing, and rescans its whole buffer on every chunk (quadratic in a header that never ends).
 * This one scans each byte once, bounds headers, and tells apart the two kinds of bad input:
 * - the framing is lost (no header terminator within {@link MAX_HEADER_BYTES}, a header line that
 *   is not `Name: value`, a missing or non-numeric `Content-Length`, a body that is not JSON):
 *   the stream cannot be resynchronised, so it reports a {@link FramingError} through `onError`
 *   and stops reading. The server logs it and exits, and the client restarts it.
 * - one message is unusable but its length is known (a charset other than UTF-8, a body over
 *   {@link MAX_BODY_BYTES}): its bytes are skipped, it is reported through `onSkipped`, and
 *   reading goes on.
 */
import type { Readable, Writable } from 'node:stream';
import { AbstractMessageReader, AbstractMessageWriter, Emitter, type DataCallback, type Disposable, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { jsonFrame } from './jsonFrame';

/** Real headers are under 100 bytes; this leaves room for any extension header. */
export const MAX_HEADER_BYTES = 8 * 1024;
/**
 * The longest message read. A V8 string holds at most about 512 M UTF-16 units; a document this
 * large is never analysed (see service/limits.ts) but its `didOpen` must not kill the server.
 */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The input can no longer be read as LSP messages. */
class FramingError extends Error {
  override name = 'FramingError';
}

const HEADER_NAME = /^[A-Za-z0-9-]+$/;

export class FramedMessageReader extends AbstractMessageReader {
  private readonly skippedEmitter = new Emitter<string>();
  /** Received bytes not yet consumed, oldest first. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** How far the current header has been scanned for its terminator (so each byte is scanned once). */
  private scanned = 0;
  /** Bytes of the current message body still expected; undefined while reading a header. */
  private bodyLength: number | undefined;
  /** Whether the current body is skipped rather than parsed. */
  private skipBody = false;
  private failed = false;
  private callback: DataCallback | undefined;

  constructor(private readonly input: Readable) {
    super();
  }

  /** A well-framed message that was not read (its bytes are skipped); the text says why. */
  get onSkipped(): (listener: (reason: string) => void) => Disposable {
    return this.skippedEmitter.event;
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer | string) => this.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    const onError = (err: Error) => this.fireError(err);
    const onClose = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('end', onClose);
    this.input.on('close', onClose);
    return {
      dispose: () => {
        this.callback = undefined;
        this.input.off('data', onData);
        this.input.off('error', onError);
        this.input.off('end', onClose);
        this.input.off('close', onClose);
      },
    };
  }

  override dispose(): void {
    super.dispose();
    this.skippedEmitter.dispose();
  }

  private push(data: Buffer): void {
    if (this.failed || data.length === 0) return;
    this.chunks.push(data);
    this.buffered += data.length;
    try {
      while (!this.failed && this.step()) {
        // each step consumes one header or one body
      }
    } catch (err) {
      // A listener threw: not a framing problem, but the message is lost; say so.
      this.fireError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Consumes one header or one body when enough bytes are buffered; false when more are needed. */
  private step(): boolean {
    if (this.buffered === 0) return false;
    if (this.bodyLength === undefined) {
      const end = this.findHeaderEnd();
      if (end < 0) {
        if (this.buffered > MAX_HEADER_BYTES) {
          this.fail(`no end of header (CRLF CRLF) within ${MAX_HEADER_BYTES} bytes; line ends must be CRLF`);
        }
        return false;
      }
      const header = this.take(end + 4).toString('latin1', 0, end);
      this.scanned = 0;
      this.readHeader(header);
      return !this.failed;
    }
    if (this.buffered < this.bodyLength) {
      if (this.skipBody) this.discard(this.buffered);
      return false;
    }
    const body = this.skipBody ? this.discard(this.bodyLength) : this.take(this.bodyLength);
    this.bodyLength = undefined;
    if (!this.skipBody && body) this.deliver(body);
    this.skipBody = false;
    return true;
  }

  private readHeader(header: string): void {
    let length: number | undefined;
    let charset: string | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (!HEADER_NAME.test(name)) {
        this.fail(`malformed header line ${JSON.stringify(line.slice(0, 40))}`);
        return;
      }
      const value = line.slice(colon + 1).trim();
      const key = name.toLowerCase();
      if (key === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) {
          this.fail(`Content-Length is not a number: ${JSON.stringify(value.slice(0, 40))}`);
          return;
        }
        length = Number(value);
      } else if (key === 'content-type') {
        const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(value);
        if (m) charset = m[1].toLowerCase();
      }
    }
    if (length === undefined) {
      this.fail('a header without Content-Length');
      return;
    }
    this.bodyLength = length;
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      this.skipBody = true;
      this.skippedEmitter.fire(`a message in charset ${charset} (only utf-8 is supported)`);
    } else if (length > MAX_BODY_BYTES) {
      this.skipBody = true;
      this.skippedEmitter.fire(`a message of ${length} bytes (at most ${MAX_BODY_BYTES} are read)`);
    }
  }

  private deliver(body: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      // With a correct Content-Length the body would be JSON: the framing is off (a truncated body
      // followed by the next message, or a wrong length).
      this.fail(`a message body that is not JSON (${body.length} bytes)`);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.skippedEmitter.fire('a message that is not a JSON object');
      return;
    }
    this.callback?.(message as Message);
  }

  /** The offset of `\r\n\r\n` in the buffered bytes, or -1; resumes where the last scan stopped. */
  private findHeaderEnd(): number {
    const limit = MAX_HEADER_BYTES + 4;
    if (this.chunks.length > 1 && this.chunks[0].length < limit) {
      // Join the head (at most `limit` bytes' worth of chunks) so the search is one native scan.
      let n = 0;
      let k = 0;
      while (k < this.chunks.length && n < limit) n += this.chunks[k++].length;
      this.chunks.splice(0, k, Buffer.concat(this.chunks.slice(0, k), n));
    }
    const head = this.chunks[0];
    const end = Math.min(head.length, limit);
    const at = head.subarray(0, end).indexOf('\r\n\r\n', Math.max(0, this.scanned - 3));
    if (at >= 0) return at;
    this.scanned = end;
    return -1;
  }

  /** Removes and returns the first `n` buffered bytes, copying only when they span chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
    } else {
      let have = 0;
      let k = 0;
      while (have < n) have += this.chunks[k++].length;
      out = Buffer.concat(this.chunks.slice(0, k), have).subarray(0, n);
    }
    this.discard(n);
    return out;
  }

  /** Drops the first `n` buffered bytes (from the body length still expected, when skipping). */
  private discard(n: number): undefined {
    let left = n;
    while (left > 0 && this.chunks.length) {
      const first = this.chunks[0];
      if (first.length <= left) {
        left -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    if (this.skipBody && this.bodyLength !== undefined && n < this.bodyLength) this.bodyLength -= n;
    return undefined;
  }

  private fail(reason: string): void {
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
    this.fireError(new FramingError(`The protocol stream cannot be read: ${reason}.`));
  }
}

/**
 * The writer of the same protocol: each message goes out in one write, header and body together.
 *
 * vscode-jsonrpc's stream writer writes the header, waits for its callback, then writes the body:
 * two system calls per message, and the client is woken for a header it cannot use yet. On a
 * busy machine that was a sixth of the server's time per diagnostics pull (`writeAsciiString`).
 * The frame is written by `jsonFrame`, without building the JSON text as a string.
 */
export class FramedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly output: Writable) {
    super();
    output.on('error', (err: Error) => this.fireError(err));
    output.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let frame: Buffer;
    try {
      frame = jsonFrame(msg);
    } catch (err) {
      this.fireError(err, msg, ++this.errors);
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.output.write(frame, (err) => {
        if (!err) return resolve();
        this.fireError(err, msg, ++this.errors);
        reject(err);
      });
    });
  }

  end(): void {
    this.output.end();
  }
}
