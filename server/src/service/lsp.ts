/** Conversions between the library's spans/findings and LSP types. */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedFinding } from './analyze';
import type { Span } from './policy/model';
import type { Severity } from './findings';
import { ruleDocsUrl } from './rules/rule';

export const DIAGNOSTIC_SOURCE = 'iot-policy';

export function spanToRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.offset), end: doc.positionAt(span.offset + span.length) };
}

export const SEVERITY_TO_LSP: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(doc: TextDocument, f: AnalyzedFinding): Diagnostic {
  const d: Diagnostic = {
    range: spanToRange(doc, f.span),
    severity: SEVERITY_TO_LSP[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocsUrl(f.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: f.policy?.constructPath ? `${f.message} (${f.policy.constructPath})` : f.message,
  };
  if (f.data) d.data = { ruleId: f.ruleId, ...f.data };
  else d.data = { ruleId: f.ruleId };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: doc.uri, range: spanToRange(doc, r.span) }, message: r.message }));
  }
  if (f.tags?.length) d.tags = f.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  return d;
}

export function toDiagnostics(doc: TextDocument, findings: readonly AnalyzedFinding[]): Diagnostic[] {
  return findings.map((f) => toDiagnostic(doc, f));
}
