import * as z from "zod/mini";
import {
  emergencyKeys,
  emergencyPlanSchema,
  type EmergencyErrors,
  type EmergencyPlan,
  type EmergencyRun,
  type EmergencyTarget,
  RUN_ID_PATTERN,
} from "../../../contracts/emergency-patch.js";
import type { FleetCatalog } from "../../../contracts/fleet-catalog.js";
import { installOverrideListText } from "../../../contracts/install-override-list.js";
import { describeIssues } from "../../../contracts/zod-issues.js";
import type { Log } from "../../shared/logger.js";
import type { ObjectReader } from "../../shared/map-run.js";
import { planProblems } from "./plan-checks.js";

export const startInput = z.object({
  action: z.literal("start"),
  /** The execution's name: the run's id. */
  runId: z.string(),
  startedAt: z.string(),
  /** The state machine's input, checked here so that a bad one fails as InvalidEmergencyPlan. */
  plan: z.unknown(),
});
export type StartInput = z.output<typeof startInput>;

/** The plan is not what `npm run patch-now` makes, or asks for what the environment does not have: nothing was sent. */
export class InvalidEmergencyPlan extends Error {
  override readonly name: (typeof EmergencyErrors)["invalidPlan"] = "InvalidEmergencyPlan";
}

export interface RunDeps {
  readonly catalog: () => Promise<FleetCatalog>;
  /** The emergency bucket and its region (the install list's URL names both). */
  readonly bucket: string;
  readonly bucketRegion: string;
  readonly put: (key: string, body: string, contentType: string) => Promise<void>;
  readonly read: ObjectReader;
  readonly log: Log;
}

/** The messages name this many accounts of a wave at most. */
const NAMED_ACCOUNTS = 10;

/** Problems listed in the error, at most: a plan that is wrong everywhere does not need all of them. */
const LISTED_PROBLEMS = 20;

function refuse(problems: readonly string[]): never {
  const listed = problems.slice(0, LISTED_PROBLEMS).join("; ");
  throw new InvalidEmergencyPlan(
    `the plan is refused, nothing was sent: ${listed}${problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : ""}`,
  );
}

function validPlan(input: StartInput, catalog: FleetCatalog): EmergencyPlan {
  if (!RUN_ID_PATTERN.test(input.runId)) refuse([`the execution name ${JSON.stringify(input.runId)} is no run id (letters, digits, - and _, up to 80)`]);
  const parsed = emergencyPlanSchema.safeParse(input.plan);
  if (!parsed.success) refuse([describeIssues(parsed.error.issues)]);
  const plan = parsed.data;
  const environment = catalog.environments.find((e) => e.name === plan.environment);
  if (!environment)
    refuse([`environment ${JSON.stringify(plan.environment)} is not in the fleet catalog (${catalog.environments.map((e) => e.name).join(", ")})`]);
  const problems = planProblems(plan, environment);
  if (problems.length > 0) refuse(problems);
  return plan;
}

/**
 * The first step of a run: checks the plan, writes the named patches' InstallOverrideList (when
 * patches are named) where the instances can read it, writes each wave's account-regions for its
 * Distributed Map, and returns the run the later steps and messages use. Writing again (a retry)
 * writes the same objects.
 */
export async function startRun(input: StartInput, deps: RunDeps): Promise<EmergencyRun> {
  const catalog = await deps.catalog();
  const plan = validPlan(input, catalog);
  const environment = catalog.environments.find((e) => e.name === plan.environment)!;
  const accountNames = new Map(environment.accounts.map((a) => [a.id, a.name]));

  let commands = plan.commands;
  let installOverrideList: string | undefined;
  if (plan.patches.length > 0) {
    const key = emergencyKeys.installList(plan.environment, input.runId);
    const text = installOverrideListText(
      [`patchline: emergency run ${input.runId} of ${plan.environment}, started ${input.startedAt} by ${plan.requestedBy}`, `reason: ${plan.reason}`],
      plan.patches.map((id) => ({ id })),
    );
    await deps.put(key, text, "application/yaml");
    // the same form as a promoted environment's list (Naming.installOverrideListUrl)
    installOverrideList = `https://s3.${deps.bucketRegion}.amazonaws.com/${deps.bucket}/${key}`;
    commands = commands.map((c) => ({ ...c, parameters: { ...c.parameters, InstallOverrideList: [installOverrideList!] } }));
  }

  const waves = [];
  for (const [i, wave] of plan.waves.entries()) {
    const number = i + 1;
    const targets: EmergencyTarget[] = wave.flatMap((entry) =>
      entry.regions.map((region) => ({ accountId: entry.accountId, accountName: accountNames.get(entry.accountId)!, region })),
    );
    const key = emergencyKeys.wave(input.runId, number);
    await deps.put(key, JSON.stringify(targets), "application/json");
    waves.push({
      number,
      key,
      accounts: wave.length,
      targets: targets.length,
      firstAccounts: wave.slice(0, NAMED_ACCOUNTS).map((entry) => accountNames.get(entry.accountId)!),
    });
  }
  deps.log.info("emergency run started", {
    runId: input.runId,
    environment: plan.environment,
    waves: waves.map((w) => w.targets),
    patches: plan.patches.length,
    requestedBy: plan.requestedBy,
  });
  return {
    runId: input.runId,
    environment: plan.environment,
    reason: plan.reason,
    requestedBy: plan.requestedBy,
    startedAt: input.startedAt,
    maxFailureRatePercent: plan.maxFailureRatePercent,
    patches: plan.patches,
    withoutHooks: plan.withoutHooks,
    ...(installOverrideList !== undefined && { installOverrideList }),
    waves,
    patching: {
      runId: input.runId,
      startedAt: input.startedAt,
      environment: plan.environment,
      patchGroupTagKey: catalog.patchGroupTagKey,
      timeoutMinutes: plan.timeoutMinutes,
      commands,
    },
  };
}
