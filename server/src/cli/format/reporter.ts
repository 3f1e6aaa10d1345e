/** What every lint output format implements: files in order as they are linted, then the totals. */
import type { Severity } from '../../service';
import type { UnreadableFile } from '../discover';
import type { FileReport, FixMode } from '../lintFile';

export interface RunTotals {
  /** Files linted. */
  files: number;
  /** Findings reported, by severity. */
  counts: Record<Severity, number>;
  unreadable: readonly UnreadableFile[];
  /** Files left out on purpose (symbolic links leaving the folder). */
  skipped: readonly UnreadableFile[];
  fix: FixMode;
  /** Problems `--fix` would fix (when not fixing). */
  fixable: number;
  /** Problems fixed (or, with `--fix-dry-run`, that would be) and in how many files. */
  fixed: { problems: number; files: number };
}

export interface Reporter {
  /** A linted file, in order. */
  file(report: FileReport): void;
  /** A file that could not be read (or written), in order with the files. */
  unreadable(file: UnreadableFile): void;
  /** After the last file. */
  end(totals: RunTotals): void;
}
