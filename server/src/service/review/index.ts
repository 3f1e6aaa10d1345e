/**
 * The review engine: what a change of policies grants and takes away (`diffPolicies`), what a set
 * of policies allows (`explainPolicies`), and the two access checks. Built on the evaluator and the
 * wildcard engine; see diff.ts and region.ts for how it stays exact.
 */
export { diffPolicies, checkNoNewAccess, type DiffResult, type ReviewOptions } from './diff';
export { explainPolicies, checkAccessNotGranted, accessCheckResource, accessCheckMatches, type ExplainResult, type ExplainWarning, type AccessCheck } from './explain';
export { itemCovers, type AccessItem, type ItemPart, type Witness, type Change } from './items';
export { reviewActions, type StatementRef, type Side } from './statements';
export { sharedPrefix, shortResource, statementLabel } from './describe';
