import { percent, type EmergencyRun, type EmergencyWave } from "../../../contracts/emergency-patch.js";
import type { WaveSummary } from "../../../contracts/emergency-results.js";
import type { NoticeDocument, NoticeLine } from "../../shared/chat/document.js";
import { errorText } from "../shared/error-text.js";

/** What the channels are told, and when: at the start, after each wave that passed, and at the end (done, halted or broken). */
export type RunMessage =
  | { readonly kind: "started" }
  | { readonly kind: "wavePassed" }
  | { readonly kind: "finished" }
  | { readonly kind: "halted" }
  | { readonly kind: "broken"; readonly error: { readonly Error: string; readonly Cause?: string } };

export interface MessageContext {
  readonly run: EmergencyRun;
  /** Every wave summed so far, in order. */
  readonly results: readonly WaveSummary[];
  /** The execution's ARN: the message links to it in the console. */
  readonly executionArn: string;
}

/** The Step Functions console page of an execution. */
export function executionConsoleUrl(executionArn: string): string {
  // arn:aws:states:<region>:<account>:execution:<machine>:<name>; a guessed region would link to a page that does not exist
  const region = executionArn.split(":")[3];
  if (!region || !executionArn.startsWith("arn:")) throw new Error(`${JSON.stringify(executionArn)} is not an execution ARN`);
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const waveLine = (wave: EmergencyWave) =>
  `wave ${wave.number}: ${plural(wave.accounts, "account")} (${wave.firstAccounts.join(", ")}${wave.accounts > wave.firstAccounts.length ? ", …" : ""}), ${plural(wave.targets, "account-region")}`;

const resultLine = (summary: WaveSummary) =>
  `wave ${summary.number}: ${summary.invocations.succeeded} of ${plural(summary.invocations.targeted, "instance")} patched, ${percent(summary.failureRatePercent)} failed; ${summary.completed} of ${plural(summary.targets, "account-region")} completed`;

function failedLines(summary: WaveSummary): NoticeLine[] {
  const section = `Not patched in wave ${summary.number}`;
  return [
    ...summary.unfinished.map((t) => ({ section, text: `${t.accountName} (${t.accountId}) ${t.region}: ${t.status}${t.error ? `: ${t.error}` : ""}` })),
    ...(summary.unfinishedCount > summary.unfinished.length
      ? [{ section, text: `and ${summary.unfinishedCount - summary.unfinished.length} more account-regions` }]
      : []),
    ...summary.failedInstances.map((i) => ({ section, text: `${i.instanceId} in ${i.accountId} ${i.region} (window ${i.window}): ${i.status}` })),
    ...(summary.invocations.failed > summary.failedInstances.length
      ? [
          {
            section,
            text: `${summary.invocations.failed - summary.failedInstances.length} more failed instances: see the execution and the run-command output`,
          },
        ]
      : []),
  ];
}

/** What the run patches with: one line per window command, the named patches, the hooks left out. */
function patchingLines(run: EmergencyRun): NoticeLine[] {
  const section = "Patching";
  return [
    ...run.patching.commands.map((c) => ({
      section,
      text: `${c.window}: patch groups ${c.patchGroups.join(", ")} with ${c.document}, ${c.parameters.RebootOption?.[0] ?? "RebootIfNeeded"}, ${c.maxConcurrency} at a time, error threshold ${c.maxErrors}`,
    })),
    ...(run.patches.length > 0 ? [{ section, text: `only the named patches (InstallOverrideList): ${run.patches.join(", ")}` }] : []),
    ...(run.withoutHooks ? [{ section, text: "without the windows' lifecycle hooks (named patches need AWS-RunPatchBaseline)" }] : []),
  ];
}

/** The message of one moment of the run, as content; each channel renders it (functions/shared/chat). */
export function runMessage(message: RunMessage, context: MessageContext): NoticeDocument {
  const { run, results } = context;
  const total = run.waves.length;
  const last = results.at(-1);
  const link = { label: "the run's execution", url: executionConsoleUrl(context.executionArn) };
  const why = [`Reason: ${run.reason}`, `Started by ${run.requestedBy} at ${run.startedAt}`];
  const history = results.map((r) => ({ section: "Waves", text: resultLine(r) }));
  switch (message.kind) {
    case "started":
      return {
        title: `Emergency patch run started in ${run.environment}: ${plural(total, "wave")}`,
        summary: [
          ...why,
          `Instances tagged patch-policy=patch-on-schedule in the windows' patch groups are patched wave by wave; a wave with more than ${percent(run.maxFailureRatePercent)} failed instances stops the run.`,
        ],
        link,
        lines: [...patchingLines(run), ...run.waves.map((w) => ({ section: "Waves", text: waveLine(w) }))],
      };
    case "wavePassed": {
      const next = run.waves[results.length];
      return {
        title: `Emergency patch run in ${run.environment}: wave ${last?.number} of ${total} passed${next ? `, wave ${next.number} starts` : ""}`,
        summary: [
          `${percent(last?.failureRatePercent ?? 0)} failed, at most ${percent(run.maxFailureRatePercent)} allowed.`,
          ...(next ? [`Next: ${waveLine(next)}.`] : []),
        ],
        link,
        lines: [...history, ...(last ? failedLines(last) : [])],
      };
    }
    case "finished": {
      const patched = results.reduce((n, r) => n + r.invocations.succeeded, 0);
      const targeted = results.reduce((n, r) => n + r.invocations.targeted, 0);
      return {
        title: `Emergency patch run in ${run.environment} finished: ${patched} of ${plural(targeted, "instance")} patched`,
        summary: [...why, `Every wave passed (at most ${percent(run.maxFailureRatePercent)} failed each).`],
        link,
        lines: [...history, ...results.flatMap(failedLines)],
      };
    }
    case "halted": {
      const notStarted = run.waves.slice(results.length);
      return {
        title: `Emergency patch run in ${run.environment} halted after wave ${last?.number} of ${total}`,
        summary: [
          last?.haltReason ?? "halted",
          notStarted.length > 0
            ? `Not started: ${notStarted.map((w) => `wave ${w.number} (${plural(w.accounts, "account")})`).join(", ")}. Their instances are not patched.`
            : "It was the last wave.",
          "Commands already sent run to their end. Look at the failed instances before starting another run.",
        ],
        link,
        lines: [...history, ...(last ? failedLines(last) : [])],
      };
    }
    case "broken": {
      const at = results.length < total ? `in wave ${results.length + 1} of ${total}` : "after its last wave";
      return {
        title: `Emergency patch run in ${run.environment} failed ${at}: ${message.error.Error}`,
        summary: [
          `The run itself failed (${errorText(message.error.Error, message.error.Cause)}); no further wave starts.`,
          "Commands already sent run to their end; the execution's history shows where it stopped.",
        ],
        link,
        lines: history,
      };
    }
  }
}
