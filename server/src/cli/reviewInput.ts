/**
 * Reading the policies of `diff`, `check` and `explain`: files or template resources through
 * `loadPolicy` (the hosts, the deploy inputs), from the working tree or, for `git:REF:FILE`, as
 * the file is at that revision (`git.ts`). Values a template leaves unknown are kept and named,
 * so the engine compares what is known.
 */
import * as path from 'path';
import type { DeployInputs } from '../service';
import type { EvalPolicy } from '../service/eval/evaluate';
import type { PolicySpec } from './args/review';
import { InputError, loadPolicy, splitPolicySpec, type UnknownValue } from './evalInput';
import { GitMissingFile, gitShow, type GitReader } from './git';
import type { CliIo } from './io';
import { toPosix } from './paths';

/** The CLI's I/O, with the git reader tests may replace. */
export type ReviewIo = CliIo & { git?: GitReader };

/** A policy read for review: its name in the output, its file for SARIF locations, what is unknown. */
export interface ReviewPolicy extends EvalPolicy {
  /** The file the statements are in, relative to the working directory when inside it (undefined for a git revision). */
  file?: string;
  ref?: string;
  unknown: UnknownValue[];
}

/** Reads every spec; throws InputError naming the first that cannot be used. */
export async function loadReviewPolicies(specs: readonly PolicySpec[], io: ReviewIo, inputs: DeployInputs, keepUnknown: boolean): Promise<ReviewPolicy[]> {
  const out: ReviewPolicy[] = [];
  for (const s of specs) {
    const { file } = splitPolicySpec(s.spec);
    const abs = path.resolve(io.cwd, file);
    const display = s.ref === undefined ? file : `${file}@${s.ref}`;
    const ref = s.ref;
    const git = io.git ?? gitShow;
    let own: string | undefined;
    if (ref !== undefined && s.paired) {
      // `--base git:REF FILE`: a file added since REF had no policy there.
      try {
        own = git(ref, abs);
      } catch (err) {
        if (!(err instanceof GitMissingFile)) throw new InputError(`cannot read policy ${display}: ${err instanceof Error ? err.message : String(err)}`);
        io.stderr(`iot-policy: ${file} is not in ${ref}: compared with no policy (all it allows is new)\n`);
        continue;
      }
    }
    // At a revision, every file the policy names (a Terraform `file()`) is read at it too.
    const reader = ref === undefined ? io : { ...io, readFile: (f: string) => (f === abs && own !== undefined ? own : git(ref, f)) };
    const policy = await loadPolicy(s.spec, abs, display, reader, inputs, { keepUnknown });
    // Statements are numbered and lined in the file they are written in (a linked file's own name).
    const written = policy.name.replace(/#[^#]*$/, '').replace(/@[^@]*$/, '');
    out.push({ ...policy, ...(ref === undefined ? { file: toPosix(written) } : { ref }), unknown: policy.unknown });
  }
  return out;
}
