/**
 * Warms the analysis up after start-up, in idle time, so that the first edits of a session are
 * answered at the speed of the later ones.
 *
 * V8 runs a function in its interpreter until the function has run often enough to be compiled,
 * and the analysis is some 40 rules of small functions, each run once per keystroke. On a fresh
 * server the first 65 edit-and-pull round trips on a 10 KB policy took about four times the CPU
 * of later ones (10 ms against 2.5 ms each, measured over LSP). The warm-up runs the whole
 * keystroke path (the host, every rule, the LSP conversion, hover and completion) on a sample
 * device policy that trips most rules, a few dozen times, one round per turn of the event loop:
 * a real request waits for at most one round (a few milliseconds), and the warm-up stops at
 * `shutdown`. It sends nothing and stores nothing.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, doComplete, doHover, openPolicyDocument, toDiagnostics, type PolicyDocument } from '../service';

/**
 * Enough rounds for the hot functions to be compiled: with 200, the first 65 edits of a 10 KB
 * policy took 2.8 ms of CPU each instead of 6.9 ms (and 2 KB: 2.1 instead of 3.5). The warm-up
 * itself takes about 0.7 s of CPU, spread over two seconds after start-up.
 */
const WARM_UP_ROUNDS = 150;

const THING = '${iot:Connection.Thing.ThingName}';

/**
 * A device policy as people write them, with the mistakes the rules exist for: a misspelt action,
 * a lower-case Effect, a placeholder left in an ARN, `#` in a Publish topic, an IAM-only variable.
 * Every round varies a topic of one statement, as a keystroke does (so the incremental read of the
 * JSON host and statement reuse are warmed too); every other round also varies the account, so
 * that every rule runs on every statement.
 */
export function warmUpPolicy(round: number): string {
  const account = String(100_000_000_000 + (round - (round % 2)));
  const arn = `arn:aws:iot:us-east-1:${account}`;
  const statements = [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${arn}:topic/devices/${THING}/telemetry`, `${arn}:topic/devices/${THING}/r${round}/*`] },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${arn}:topicfilter/devices/${THING}/commands/+`, `${arn}:topicfilter/$aws/things/${THING}/jobs/notify-next`] },
    { Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: `${arn}:thing/${THING}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${arn}:topic/$aws/things/${THING}/shadow/*` },
    { Effect: 'Allow', Action: ['iotjobsdata:DescribeJobExecution', 'iotjobsdata:UpdateJobExecution'], Resource: `${arn}:thing/${THING}` },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: `${arn}:topic/devices/admin/*`, Condition: { StringNotEquals: { 'iot:Connection.Thing.ThingTypeName': 'gateway' } } },
    { Effect: 'Allow', Action: 'iot:Publsh', Resource: `arn:aws:iot:REGION:${account}:topic/alerts/#` },
    { Effect: 'allow', Action: 'iot:Connect', Resource: `${arn}:client/\${aws:username}`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Sid: 'Provisioning', Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe'], Resource: [`${arn}:topic/$aws/certificates/create/json`, `${arn}:topicfilter/$aws/provisioning-templates/*/provision/json/*`] },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2) + '\n';
}

/** Offsets to hover and complete at: an action, a resource, a variable, a condition key. */
function probes(text: string): number[] {
  return ['iot:Publish', 'topic/devices', 'Thing.ThingName', 'IsAttached'].map((s) => text.indexOf(s) + 3).filter((o) => o > 2);
}

/**
 * One round of the keystroke path on the sample: the document read from `previous` (the last
 * round's, as the model cache hands a document's last version over), analysed, converted, hovered
 * and completed. Returns the number of diagnostics and the document, for the next round.
 */
export function warmUpRound(round: number, previous?: PolicyDocument): { diagnostics: number; document: PolicyDocument | undefined } {
  const text = warmUpPolicy(round);
  const uri = 'untitled:warm-up.iot-policy.json';
  const doc = TextDocument.create(uri, 'json', round, text);
  const pdoc = openPolicyDocument(text, { path: '/warm-up.iot-policy.json', languageId: 'json', policyGlobs: ['**/*.iot-policy.json'], detectByContent: true }, previous);
  if (!pdoc?.policies.length) return { diagnostics: 0, document: undefined };
  const diagnostics = toDiagnostics(doc, analyzeDocument(pdoc));
  const model = pdoc.policies[0].model;
  for (const offset of probes(text)) {
    const position = doc.positionAt(offset);
    doHover(doc, model, position);
    doComplete(doc, pdoc, position, { snippetSupport: true });
  }
  return { diagnostics: diagnostics.length, document: pdoc };
}

export interface WarmUp {
  /** Resolves with the rounds run when the warm-up ends (all rounds, or stopped). */
  readonly done: Promise<number>;
  /** Rounds run so far. */
  readonly rounds: number;
  stop(): void;
}

/** The first round waits this long, so that the documents open at start-up are answered first. */
const START_DELAY_MS = 250;

/** Runs `rounds` rounds, one per macrotask, so that messages are handled between them. */
export function startWarmUp(rounds = WARM_UP_ROUNDS, onError: (err: unknown) => void = () => undefined, startDelayMs = START_DELAY_MS): WarmUp {
  let stopped = false;
  let round = 0;
  let last: PolicyDocument | undefined;
  const done = new Promise<number>((resolve) => {
    const next = () => {
      if (stopped || round >= rounds) return resolve(round);
      try {
        last = warmUpRound(round++, last).document;
      } catch (err) {
        // A failure here is a bug in the analysis that a real document would hit as well; it is
        // logged, and the warm-up ends.
        onError(err);
        return resolve(round);
      }
      setTimeout(next, 0);
    };
    setTimeout(next, startDelayMs);
  });
  return {
    done,
    get rounds() {
      return round;
    },
    stop() {
      stopped = true;
    },
  };
}
