/** Text: spans, lines, characters, edits and edit distance. No policy knowledge. */
export * from './span';
export * from './lines';
export * from './chars';
export * from './edits';
export * from './distance';
