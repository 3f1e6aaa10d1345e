/**
 * Where lint's report goes: standard output, or `--output-file`. Results are written as they come,
 * in pieces gathered up to a few kilobytes, so that ten thousand files cost a few hundred writes
 * and nothing holds the whole report. `flush` empties the buffer before a line goes to stderr, so a
 * terminal shows both in order.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Sink {
  write(text: string): void;
  /** Writes what is buffered. */
  flush(): void;
  /** Flushes and releases the destination. */
  close(): void;
}

const CHUNK = 64 * 1024;

/** Gathers writes into chunks for `out`. */
export function bufferedSink(out: (text: string) => void, close?: () => void): Sink {
  let parts: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (!size) return;
    out(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(text) {
      if (!text) return;
      parts.push(text);
      size += text.length;
      if (size >= CHUNK) flush();
    },
    flush,
    close() {
      flush();
      close?.();
    },
  };
}

/** A sink that writes `file` (its folder is created); throws when it cannot be opened. */
export function fileSink(file: string): Sink {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  return bufferedSink((text) => void fs.writeSync(fd, text), () => fs.closeSync(fd));
}
