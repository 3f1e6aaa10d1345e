/** Loads the tree-sitter grammars from node_modules, as the Node server and CLI do, for tests. */
import { ensureGrammar, type GrammarName } from '../../server/src/service/hosts/grammars';
import { useNodeWasm } from '../../server/src/node/wasm';

export async function loadGrammars(...names: GrammarName[]): Promise<void> {
  useNodeWasm();
  for (const n of names) {
    const g = await ensureGrammar(n);
    if (!g) throw new Error(`the ${n} grammar did not load`);
  }
}
