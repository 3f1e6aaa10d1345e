/**
 * Decides whether a JSON document is an AWS IoT policy: a `Version`/`Statement` document with an
 * action whose prefix is `iot:`, `iotjobsdata:` or `greengrass:`. Cheap: it runs on every JSON file.
 */
import type { PolicyModel } from './model';

const IOT_PREFIX = /^\s*(iot|iotjobsdata|greengrass):/i;

export function looksLikeIotPolicy(model: PolicyModel): boolean {
  if (!model.statementProp) return false;
  for (const st of model.statements) {
    for (const list of [st.action, st.notAction]) {
      for (const item of list?.items ?? []) if (IOT_PREFIX.test(item.value)) return true;
    }
  }
  return false;
}

/** Fast pre-check on raw text before parsing: avoids parsing every package.json. */
export function mayBeIotPolicyText(text: string): boolean {
  return text.includes('Statement') && /"\s*(iot|iotjobsdata|greengrass):/i.test(text);
}

export const POLICY_FILE_GLOBS = ['**/*.iot-policy.json', '**/*.iotpolicy.json'];

/** Minimal glob matcher for `iotPolicy.files` (`**`, `*`, `?`, `{a,b}`), matched against a path with `/`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close > i) {
        re += '(?:' + glob.slice(i + 1, close).split(',').map(escapeRe).join('|') + ')';
        i = close;
      } else re += '\\{';
    } else re += escapeRe(c);
  }
  return new RegExp('(?:^|/)' + re + '$');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function matchesPolicyGlobs(path: string, globs: readonly string[]): boolean {
  const p = path.replace(/\\/g, '/');
  return globs.some((g) => globToRegExp(g).test(p));
}
