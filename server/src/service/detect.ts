/**
 * Decides whether a JSON document is an AWS IoT policy: a `Version`/`Statement` document with an
 * action whose prefix is `iot:`, `iotjobsdata:` or `greengrass:`. Cheap: it runs on every JSON file.
 */
import type { PolicyModel } from './model';

const IOT_PREFIX = /^\s*(iot|iotjobsdata|greengrass):/i;
const IOT_ARN = /^arn:[^:]*:iot:/;

/**
 * True for a `Statement` document with an `iot:`, `iotjobsdata:` or `greengrass:` action, or with
 * a bare `*` action on AWS IoT ARNs (a policy that grants everything on IoT resources).
 */
export function looksLikeIotPolicy(model: PolicyModel): boolean {
  if (!model.statementProp) return false;
  for (const st of model.statements) {
    let starAction = false;
    for (const list of [st.action, st.notAction]) {
      for (const item of list?.items ?? []) {
        if (IOT_PREFIX.test(item.value)) return true;
        if (item.value === '*') starAction = true;
      }
    }
    if (starAction && (st.resource?.items ?? st.notResource?.items ?? []).some((r) => IOT_ARN.test(r.value))) return true;
  }
  return false;
}

/** Fast pre-check on raw text before parsing: avoids parsing every package.json. */
export function mayBeIotPolicyText(text: string): boolean {
  return text.includes('Statement') && /"\s*(iot|iotjobsdata|greengrass):|"arn:[^:"]*:iot:/i.test(text);
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
