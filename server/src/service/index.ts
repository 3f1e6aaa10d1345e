/**
 * The IoT policy language service: a transport-free library used by the language server,
 * the CLI and the tests. Nothing here imports `vscode` or an LSP connection.
 */
export * from './policy/model';
export { parsePolicy, jsonDocument } from './hosts/json';
export { parseJsonData } from './hosts/json/data';
export * from './document';
export { fileFamilyOf, hostOptions, openPolicyDocument, openPolicyDocumentLoaded, prepareFor, grammarsFor, readingKey, syntaxOf, type FileFamily, type OpenOptions } from './hosts';
export { onGrammarLoaded } from './hosts/grammars';
export { unknownValues, type DeployInputs } from './inputs';
export * from './config';
export { PathPatterns, ignoreFileLines } from './ignore';
export * from './analyze';
export * from './detect';
export * from './discovery';
export * from './lsp';
export { ALL_RULES, RULES_BY_ID, RULE_IDS } from './rules';
export type { AnalyzedFinding, Finding, Rule, RuleMeta, Severity } from './rules/rule';
export { ruleDocsUrl } from './rules/rule';
export { doHover } from './features/hover';
export { doComplete, type CompletionOptions } from './features/completion';
export { resourceCompletions } from './features/completion/resources';
export { getCodeActions, isFixAllData, resolveFixAll, type CodeActionOptions } from './features/codeActions';
export { getDocumentSymbols, getPolicyDocumentSymbols } from './features/symbols';
export { getCodeLenses, policySizeInfo, formatPolicySize, type PolicySizeInfo } from './features/codeLens';
export * as catalog from './catalog';
export { evaluate } from './eval/evaluate';
export * from './review';
export { reviewDocument, type ReviewDocumentOptions, type ReviewDocumentResult, type ReviewSide } from './reviewDocument';
export * from './testFile';
export { matchWildcard, patternsOverlap, patternContains } from './match/wildcard';
export * as conditions from './catalog/conditions';
