/** `path.basename` for the suites' browser bundle (messages name fixtures by file name). Test code only. */
export function basename(p: string, ext?: string): string {
  const base = p.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}
