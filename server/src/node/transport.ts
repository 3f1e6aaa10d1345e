/**
 * The server's transport from its command line, as editors start it: `--stdio` (the default),
 * `--node-ipc`, `--socket=<port>` or `--pipe=<name>`. Standard input and output, what editors
 * use, are read by the strict {@link FramedMessageReader} and written by
 * {@link FramedMessageWriter} (one write per message); sockets and pipes by vscode-jsonrpc's transports
 * (which keep the only `net` import of the server in that library, see docs/security.md). Every
 * transport then goes through the lifecycle guard (utils/lifecycle.ts).
 */
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { FramedMessageReader, FramedMessageWriter } from './framing';

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  /** Set for standard input: messages skipped without losing the framing. */
  framed?: FramedMessageReader;
}

/** The value of `--name=value` or `--name value` in `argv`. */
function option(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(name + '=')) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

export function openTransport(argv: readonly string[]): Transport {
  if (argv.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  const port = option(argv, '--socket');
  if (port !== undefined) {
    const [reader, writer] = createServerSocketTransport(Number(port));
    return { reader, writer };
  }
  const pipe = option(argv, '--pipe');
  if (pipe !== undefined) {
    const [reader, writer] = createServerPipeTransport(pipe);
    return { reader, writer };
  }
  const framed = new FramedMessageReader(process.stdin);
  return { reader: framed, writer: new FramedMessageWriter(process.stdout), framed };
}
