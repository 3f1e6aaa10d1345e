/**
 * `--format github`: GitHub Actions workflow commands, one annotation per finding, which GitHub
 * shows on the lines of the pull request's diff and in the job summary:
 *
 *   ::error file=policies/device.json,line=7,col=34,endLine=7,endColumn=51,title=unknown-action::message
 *
 * Errors are `error`, warnings `warning`, infos and hints `notice`. A file that could not be read
 * is an `error` annotation on that file. The summary line closes the output as in the text format.
 */
import type { Severity } from '../../service';
import type { Sink } from '../output';
import type { Reporter } from './reporter';
import { summaryLines } from './text';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** The escaping GitHub's runner undoes in a command's message. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The escaping GitHub's runner undoes in a command's properties (`:` and `,` separate them). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, properties: [string, string | number][], message: string): string {
  const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name} ${props}::${escapeData(message)}\n`;
}

export function githubReporter(out: Sink): Reporter {
  return {
    file(f) {
      let text = '';
      for (const x of f.findings) {
        const { start, end } = x.range;
        text += command(COMMAND[x.severity], [
          ['file', f.file], ['line', start.line + 1], ['col', start.character + 1], ['endLine', end.line + 1], ['endColumn', end.character + 1], ['title', x.ruleId],
        ], x.message);
      }
      out.write(text);
    },
    unreadable(u) {
      out.write(command('error', [['file', u.file], ['title', 'iot-policy']], `cannot read ${u.file}: ${u.reason}`));
    },
    end(t) {
      out.write(summaryLines(t).join('\n') + '\n');
    },
  };
}
