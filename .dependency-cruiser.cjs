/**
 * The layers of ARCHITECTURE.md, enforced by `npm run lint` (dependency-cruiser): no import
 * cycles anywhere, and each layer imports only the layers below it.
 */
const SERVICE = '^server/src/service';

/** A rule: files matching `from` may not import files matching `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle ties modules together so that neither can change alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    forbid('text-imports-nothing', 'text/ is the bottom layer.', `${SERVICE}/text/`, `${SERVICE}/(?!text/)`),
    forbid('catalog-below-policy', 'The vocabulary knows no policy tree.', `${SERVICE}/catalog/`, `${SERVICE}/(?!catalog/|text/)`),
    forbid('policy-reads-no-parser', 'The neutral tree and model depend on no host, rule or feature.', `${SERVICE}/policy/`, `${SERVICE}/(?!policy/|text/)`),
    forbid('match-is-pure', 'The wildcard engine knows only text.', `${SERVICE}/match/`, `${SERVICE}/(?!match/|text/)`),
    forbid('analysis-below-rules', 'Shared analysis is used by rules and features, never the reverse.', `${SERVICE}/analysis/`, `${SERVICE}/(rules|features|hosts|eval|fixes)/`),
    forbid('rules-below-features', 'Rules know no feature, host or evaluator.', `${SERVICE}/rules/`, `${SERVICE}/(features|hosts|eval)/`),
    forbid('hosts-below-rules', 'Hosts find policies; they import no rule and no feature but the completion contract.', `${SERVICE}/hosts/`, `${SERVICE}/(rules|eval)/|${SERVICE}/features/(?!completion/(place|text)\\.ts)`),
    forbid('eval-below-features', 'The evaluator reads the model only.', `${SERVICE}/eval/`, `${SERVICE}/(rules|features|hosts|fixes|review)/`),
    forbid('review-below-features', 'The review engine reads the model through the evaluator and the wildcard engine; it knows no host, rule or feature.', `${SERVICE}/review/`, `${SERVICE}/(rules|features|hosts|fixes)/`),
    forbid('nothing-below-reads-review', 'Only the library entry and the adapters use the review engine.', `${SERVICE}/(text|catalog|policy|match|analysis|fixes|rules|hosts|eval)/`, `${SERVICE}/review/`),
    {
      name: 'only-hosts-parse',
      comment: 'Only hosts import a parser: the model, rules, features and evaluator read the neutral tree.',
      severity: 'error',
      from: { path: `${SERVICE}/`, pathNot: `${SERVICE}/hosts/` },
      to: { path: 'node_modules/(jsonc-parser|yaml|web-tree-sitter|typescript)/' },
    },
    forbid('library-has-no-transport', 'The library has no transport: no LSP server, no Node file access.', `${SERVICE}/`, 'node_modules/vscode-languageserver/|^server/src/(node|cli|utils)/|^server/src/[^/]+\\.ts$'),
    forbid('server-no-vscode', 'Nothing under server/ imports vscode.', '^server/', 'vscode$|node_modules/@types/vscode'),
    forbid('client-talks-through-the-contract', 'The client imports nothing of the server.', '^client/', '^server/'),
    forbid('contract-imports-no-code', 'shared/ holds names and types only.', '^shared/', '^(server|client)/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
