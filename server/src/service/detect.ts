/**
 * Decides whether a JSON document is an AWS IoT policy: a `Version`/`Statement` document with an
 * action whose prefix is `iot:`, `iotjobsdata:` or `greengrass:`. Cheap: it runs on every JSON file.
 */
import type { PolicyModel } from './policy/model';
import { memoizeString } from './text/memo';

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

/** Most alternatives a glob's `{a,b}` groups may expand to. */
const MAX_BRACE_EXPANSIONS = 64;

/** Expands `{a,b}` groups (not nested) into plain globs. */
function expandBraces(glob: string): string[] {
  let out = [''];
  let i = 0;
  while (i < glob.length) {
    const open = glob.indexOf('{', i);
    const close = open === -1 ? -1 : glob.indexOf('}', open);
    if (open === -1 || close === -1) {
      out = out.map((o) => o + glob.slice(i));
      break;
    }
    const head = glob.slice(i, open);
    const alts = glob.slice(open + 1, close).split(',');
    const next: string[] = [];
    for (const o of out) for (const a of alts) if (next.length < MAX_BRACE_EXPANSIONS) next.push(o + head + a);
    out = next;
    i = close + 1;
  }
  return out;
}

/** `*` (any run) and `?` (one character) within one path segment; greedy with one backtrack point: linear-ish, never exponential. */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Segment lists where `any` (`**`) matches any number of segments and every other pattern
 * segment one path segment (`matches`). Dynamic programming over (pattern, path) segment pairs:
 * linear in their product, whatever the stars (the glob form here, ignore files in ignore.ts).
 */
export function matchSegments<S>(pattern: readonly S[], path: readonly string[], any: (s: S) => boolean, matches: (s: S, segment: string) => boolean): boolean {
  // reach[j]: the pattern prefix so far matches the path prefix of length j.
  let reach = new Array<boolean>(path.length + 1).fill(false);
  reach[0] = true;
  for (const seg of pattern) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (any(seg)) {
      let seen = false;
      for (let j = 0; j <= path.length; j++) {
        seen = seen || reach[j];
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < path.length; j++) if (reach[j] && matches(seg, path[j])) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[path.length];
}

function segmentsMatch(glob: string[], path: string[]): boolean {
  return matchSegments(glob, path, (g) => g === '**', segmentMatches);
}

/**
 * Compiles a glob (`**`, `*`, `?`, `{a,b}`) into a matcher for `/`-separated paths. Unanchored, the
 * glob may match any trailing part of the path (as `**` + `/` + glob would); anchored, the whole
 * path. No regular expression is built from the glob, so a hostile glob cannot backtrack.
 */
export function compileGlob(glob: string, options?: { anchored?: boolean }): (path: string) => boolean {
  const variants = expandBraces(glob.replace(/\\/g, '/')).map((g) => {
    const segs = g.split('/').filter((x, i, a) => x !== '' || i === a.length - 1);
    // Collapse runs of `**`: they match the same as one.
    const collapsed = segs.filter((x, i) => !(x === '**' && segs[i - 1] === '**'));
    return options?.anchored || collapsed[0] === '**' ? collapsed : ['**', ...collapsed];
  });
  return (path: string) => {
    const parts = path.replace(/\\/g, '/').split('/').filter((x) => x !== '');
    return variants.some((v) => segmentsMatch(v, parts));
  };
}

/** Compiled policy globs: the same few settings are asked about on every keystroke. */
const policyGlob = memoizeString((g) => compileGlob(g), 200);

export function matchesPolicyGlobs(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => policyGlob(g)(path));
}
