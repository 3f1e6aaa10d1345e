/**
 * `unknown-action`: an action, or a wildcard pattern, that matches no action IoT policies know,
 * invisible characters and stray white space included. The statement grants nothing for it.
 */
import { suggestionFixes, single } from '../../fixes/suggestions';
import { describeCharacter, codePointLabel } from '../../text/chars';
import { defineRule, familyCheck } from '../rule';
import { actionReports, type UnknownActionArgs, type UnknownActionData } from './classify';

type Messages = { [K in keyof UnknownActionArgs]: (a: UnknownActionArgs[K]) => string } & {
  nonAscii: (a: { inner: { messageId: keyof UnknownActionArgs; args: unknown }; foreign: string }) => string;
};

const suggest = (s: string | undefined, otherwise: string): string => (s ? ` Did you mean \`${s}\`?` : otherwise);

const messages: Messages = {
  joined: (a) => `\`${a.name}\` puts ${a.parts.length} actions in one string, which AWS reads as a single action name that matches nothing. List them as separate strings: \`[${a.parts.map((p) => `"${p}"`).join(', ')}]\`.`,
  patternWithoutPrefix: (a) => `\`${a.name}\` matches no action an IoT policy knows: actions are written \`service:Action\`, e.g. \`iot:Publish\`, so this pattern grants nothing.`,
  withoutPrefix: (a) => `\`${a.name}\` has no service prefix: actions are written \`service:Action\`, so as written it matches no action and grants nothing.${suggest(a.suggestion, ' Write it as e.g. `iot:Publish`.')}`,
  misnomer: (a) => `\`${a.name}\` is not an IoT policy action: ${a.why}.${a.suggestion ? ` Use \`${a.suggestion}\`.` : ' Remove it.'}`,
  patternMatchesNothing: (a) => `\`${a.name}\` matches no action an IoT policy knows, so it grants nothing. Check the spelling; IoT policy actions are \`iot:\` data-plane actions (\`iot:Connect\`, \`iot:Publish\`, ...), \`iotjobsdata:\` job actions and \`greengrass:\` actions.`,
  greengrassTypo: (a) => `\`${a.name}\` is not a Greengrass action an IoT policy knows, so it grants nothing. Did you mean \`${a.suggestion}\`?`,
  unknown: (a) => {
    const prefixNote = a.prefix ? ` (\`${a.prefix}:\` is not a prefix IoT policies use; they use \`iot:\`, \`iotjobsdata:\` and \`greengrass:\`)` : '';
    return `\`${a.name}\` is not an IoT policy action${prefixNote}, so it grants nothing.${suggest(a.suggestion, ' Check the spelling against the AWS IoT policy actions.')}`;
  },
  invisible: (a) => {
    const them = a.count > 1;
    const what = them ? `${a.count} invisible characters, such as ${describeCharacter(a.character)}, sit` : `An invisible character ${describeCharacter(a.character)} sits`;
    const after = a.where === 'inside' ? ` (after \`${a.before ?? ''}\`)` : '';
    const also = a.alsoWrong ? ` Even without ${them ? 'them' : 'it'}: ${render(a.alsoWrong as { messageId: keyof UnknownActionArgs; args: unknown })}` : '';
    return `${what} ${a.where} \`${a.shown}\`${after}: AWS compares action names character by character, so this action matches nothing. Delete ${them ? 'them' : 'the character'}.${also}`;
  },
  whitespace: (a) => `White space ${a.side} \`${a.name}\`: AWS compares action names exactly, so this action matches nothing. Remove the space.`,
  nonAscii: (a) => `${render(a.inner)} Note: it contains the non-ASCII character \`${a.foreign}\` ${codePointLabel(a.foreign)}, which may look like an ASCII letter.`,
};

function render(r: { messageId: keyof UnknownActionArgs; args: unknown }): string {
  return (messages[r.messageId] as (a: unknown) => string)(r.args);
}

export const unknownAction = defineRule<UnknownActionData, Messages>({
  meta: {
    id: 'unknown-action', scope: 'statement',
    defaultSeverity: 'error',
    category: 'actions',
    description: 'An action, or a wildcard action pattern, that matches no action IoT policies know (invisible characters included).',
  },
  messages,
  check: familyCheck(actionReports, 'unknown-action'),
  fix(ctx, f) {
    const d = f.data;
    // Invisible characters: delete every one of them, wherever they sit in the string.
    if (d?.kind === 'invisible' && d.characters?.length) {
      const spans = d.characters;
      return [{
        title: spans.length > 1 ? `Remove the ${spans.length} invisible characters` : `Remove the invisible character ${d.codePoint ?? ''}`,
        edits: spans.map((x) => ctx.writer.replaceSpan(x, '')),
        preferred: true,
        safe: true,
      }];
    }
    return suggestionFixes(ctx, f, { safe: single, preferred: single });
  },
});
