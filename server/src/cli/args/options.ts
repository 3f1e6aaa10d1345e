/** What the subcommands' argument parsers share: option splitting, value taking, usage errors. */
import type { CliIo } from '../io';

/** A parse that ends in options to run with, a request for help, or a usage error. */
export type Parsed<Options> = { kind: 'options'; options: Options } | { kind: 'help' } | { kind: 'error'; message: string };

/** An option as written: `--name=value` carries its value inline, anything else does not. */
export interface OptionArg {
  name: string;
  inline?: string;
}

export function splitOption(arg: string): OptionArg {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
  return eq === -1 ? { name: arg } : { name: arg.slice(0, eq), inline: arg.slice(eq + 1) };
}

/** The arguments left to read, front to back. */
export class ArgList {
  private at = 0;

  constructor(private readonly argv: readonly string[]) {}

  /** The next argument, or undefined when all are read. */
  next(): string | undefined {
    return this.at < this.argv.length ? this.argv[this.at++] : undefined;
  }

  /** All the arguments not read yet (they are read now). */
  rest(): string[] {
    const rest = this.argv.slice(this.at);
    this.at = this.argv.length;
    return rest;
  }

  /** An option's value: inline after `=`, else the next argument (whatever it looks like); undefined at the end. */
  value(option: OptionArg): string | undefined {
    return option.inline ?? this.next();
  }
}

/** Reports a usage error of `iot-policy <command>` on stderr and returns exit code 2. */
export function usageError(io: Pick<CliIo, 'stderr'>, command: string, message: string): number {
  io.stderr(`iot-policy ${command}: ${message}\nRun "iot-policy ${command} --help" for usage.\n`);
  return 2;
}
