/**
 * Test helpers: `|` cursor markers and quick access to the analysis.
 * Write `|` where the cursor is; use `||` for a literal `|` in the text.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, parsePolicy, type AnalyzedFinding, type PolicyConfig } from '../../server/src/service';

export function withMarkers(source: string): { text: string; offsets: number[] } {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '|') {
      if (source[i + 1] === '|') {
        text += '|';
        i++;
      } else offsets.push(text.length);
    } else text += source[i];
  }
  return { text, offsets };
}

export function doc(text: string, uri = 'file:///test/policy.iot-policy.json'): TextDocument {
  return TextDocument.create(uri, 'json', 1, text);
}

export function lint(text: string, config?: PolicyConfig): AnalyzedFinding[] {
  return analyze(parsePolicy(text), config);
}

/** Findings of one rule, with the text each one points at. */
export function findings(text: string, ruleId: string, config?: PolicyConfig): (AnalyzedFinding & { text: string })[] {
  return lint(text, config)
    .filter((f) => f.ruleId === ruleId)
    .map((f) => ({ ...f, text: text.substr(f.span.offset, f.span.length) }));
}

/** A policy document around the given statements. */
export function policy(statements: unknown[], version: string | undefined = '2012-10-17'): string {
  const o: Record<string, unknown> = {};
  if (version !== undefined) o.Version = version;
  o.Statement = statements;
  return JSON.stringify(o, null, 2);
}

export const ARN = 'arn:aws:iot:eu-west-1:493812760155';
