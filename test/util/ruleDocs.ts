/** The Bad and Good examples of the rule pages (`docs/rules/<id>.md`), as the files they are read as. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const RULE_DOCS = path.join(__dirname, '..', '..', '..', 'docs', 'rules');

/** The file an example is read as, by its fence's language. */
const FILES: Readonly<Record<string, string>> = {
  json: 'example.iot-policy.json',
  jsonc: 'example.iot-policy.json',
  yaml: 'template.yaml',
  'json template': 'template.json',
  hcl: 'main.tf',
  terraform: 'main.tf',
  ts: 'stack.ts',
  typescript: 'stack.ts',
  python: 'app.py',
  py: 'app.py',
};

/** The rule page of `id`. */
export function ruleDoc(id: string): string {
  return fs.readFileSync(path.join(RULE_DOCS, `${id}.md`), 'utf8');
}

/** The first fenced example under `## Bad` or `## Good`, with the file name its language reads as. */
export function ruleExample(md: string, heading: 'Bad' | 'Good'): { file: string; text: string } | undefined {
  const at = md.search(new RegExp(`^## ${heading}\\b`, 'm'));
  if (at === -1) return undefined;
  const m = /```([a-z ]+)\n([\s\S]*?)\n```/.exec(md.slice(at));
  const file = m && FILES[m[1]];
  return file ? { file, text: m![2] } : undefined;
}
