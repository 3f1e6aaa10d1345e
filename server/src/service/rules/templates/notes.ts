/** The host notes of one kind, for the template rules (each note is one finding). */
import type { HostNote, HostNoteKind, PolicyModel } from '../../policy/model';

export function notesOf(model: PolicyModel, kind: HostNoteKind): HostNote[] {
  return model.notes().filter((n) => n.kind === kind);
}

/** `${name}` as written in the policy. */
export function variable(name: string): string {
  return `\${${name}}`;
}
