import { GetAutomationExecutionCommand, StartAutomationExecutionCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { RestoreParameters } from "../../contracts/install-runbook.js";
import type { OrgConfigInput } from "../../environments/schema/index.js";
import { safetyNets } from "../../environments/schema/safety-nets.js";
import { Naming } from "../../stacks/naming.js";
import { parseCommandLine, type CommandIo } from "../lib/cli.js";
import { configOrReport } from "../lib/config.js";
import type { AssumeRestoreRole } from "./aws.js";
import { chooseBackup, describeBackup, findBackups } from "./backups.js";

const usage = `usage: npm run restore -- --account <id> --region <region> --instance <i-…> [--backup <ami-…|snap-…>] [--dry-run] [--detach]
Puts an instance back on its pre-patch backup: assumes the restore operator role in the account
(org.restoreOperatorRoleArns may), finds the instance's backups (AMIs and snapshots tagged with its
id), and starts patchline's restore runbook with the newest usable one (or --backup), which
replaces the instance's root volume with the backup's and reboots it. Data volumes are not
touched. --dry-run shows the backup and starts nothing; --detach does not wait for the restore.
Exits 0 when the restore succeeded (or would start), 1 when it failed or there is no backup, 2 on bad input.`;

export interface RestoreCommandDeps {
  readonly io: CommandIo;
  readonly input: OrgConfigInput;
  readonly assume: AssumeRestoreRole;
  /** Waits between checks of the execution (tests pass one that does not wait). */
  readonly sleep: (ms: number) => Promise<void>;
}

const POLL_MS = 15_000;
/** The runbook's own bound is an hour per restore; a little longer here. */
const FOLLOW_MS = 75 * 60_000;
const ACCOUNT = /^\d{12}$/;
const INSTANCE = /^i-[0-9a-f]{8,17}$/;
const BACKUP = /^(ami|snap)-[0-9a-f]{8,17}$/;
const done = new Set(["Success", "Failed", "TimedOut", "Cancelled", "CompletedWithFailure", "Rejected"]);

/** The restore's target in the organization: its environment and account, or what is wrong with the flags. */
function locate(input: OrgConfigInput, io: CommandIo, values: { account: string; region: string }) {
  const config = configOrReport(input, io);
  if (!config) return undefined;
  const fail = (message: string) => {
    io.error(message);
    return undefined;
  };
  const environment = config.environments.find((e) => e.accounts.some((a) => a.id === values.account));
  const account = environment?.accounts.find((a) => a.id === values.account);
  if (!environment || !account) return fail(`--account: ${values.account} is an account of no environment`);
  const regions = account.regions ?? environment.regions;
  if (!regions.includes(values.region))
    return fail(`--region: ${values.region} is not a region of ${environment.name}/${account.name} (its regions: ${regions.join(", ")})`);
  if (!safetyNets(config.org, environment).backups)
    return fail(`${environment.name} backs nothing up (no maintenanceWindows[].install.backup), so its accounts have no restore runbook`);
  if (config.org.restoreOperatorRoleArns.length === 0)
    return fail("org.restoreOperatorRoleArns is empty: no restore operator role exists in the member accounts to restore with");
  return { config, environment, account, naming: new Naming(config.org) };
}

/** Follows the execution until it ends; the exit code. */
async function follow(ssm: SSMClient, executionId: string, deps: RestoreCommandDeps): Promise<number> {
  const { io } = deps;
  const deadline = io.now().getTime() + FOLLOW_MS;
  for (;;) {
    const execution = (await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: executionId }))).AutomationExecution;
    const status = execution?.AutomationExecutionStatus ?? "Pending";
    if (done.has(status)) {
      if (status === "Success") {
        io.print(`Restored: the root volume was replaced (${executionId}). The patched root volume stays detached: delete it when it is no longer needed.`);
        return 0;
      }
      io.error(`The restore ended ${status}${execution?.FailureMessage ? `: ${execution.FailureMessage}` : ""} (${executionId})`);
      return 1;
    }
    if (io.now().getTime() >= deadline) {
      io.error(`The restore is still ${status} after ${FOLLOW_MS / 60_000} minutes; follow it in the Systems Manager console (${executionId})`);
      return 1;
    }
    await deps.sleep(POLL_MS);
  }
}

/** What `npm run restore` runs; returns the exit code. */
export async function restoreCommand(argv: readonly string[], deps: RestoreCommandDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        account: { type: "string" },
        region: { type: "string" },
        instance: { type: "string" },
        backup: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        detach: { type: "boolean", default: false },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { account: accountId, region, instance, backup: requested } = args.values;
  const problems = [
    ...(accountId && ACCOUNT.test(accountId) ? [] : [`--account: ${JSON.stringify(accountId ?? "")} is not a 12-digit account id`]),
    ...(region ? [] : ["--region is required"]),
    ...(instance && INSTANCE.test(instance) ? [] : [`--instance: ${JSON.stringify(instance ?? "")} is not an EC2 instance id (i-…)`]),
    ...(requested === undefined || BACKUP.test(requested) ? [] : [`--backup: ${JSON.stringify(requested)} is not an AMI (ami-…) or snapshot (snap-…) id`]),
  ];
  if (problems.length > 0) {
    io.error(`${problems.join("\n")}\n\n${usage}`);
    return 2;
  }
  const target = locate(deps.input, io, { account: accountId!, region: region! });
  if (!target) return 2;
  const { environment, account, naming } = target;

  const roleArn = `arn:aws:iam::${accountId}:role/${naming.restoreOperatorRole}`;
  const clients = await deps.assume(roleArn, region!, `patchline-restore-${instance}`);
  const chosen = chooseBackup(await findBackups(clients.ec2, instance!), requested);
  if ("problem" in chosen) {
    io.error(chosen.problem);
    return 1;
  }
  io.print(
    [
      `Restore ${instance} in ${environment.name}/${account.name} (${accountId}, ${region}) from ${describeBackup(chosen.backup)}${requested ? "" : ", its newest usable backup"}.`,
      "EC2 replaces the root volume with the backup's and reboots the instance; data volumes, network interfaces and the instance profile stay as they are.",
    ].join("\n"),
  );
  if (args.values["dry-run"]) {
    io.print(`--dry-run: nothing started (${naming.restoreRunbook} with role ${naming.restoreAutomationRole} would run).`);
    return 0;
  }
  const started = await clients.ssm.send(
    new StartAutomationExecutionCommand({
      DocumentName: naming.restoreRunbook,
      Parameters: {
        [RestoreParameters.role]: [`arn:aws:iam::${accountId}:role/${naming.restoreAutomationRole}`],
        [RestoreParameters.instanceId]: [instance!],
        [RestoreParameters.backupId]: [chosen.backup.id],
      },
    }),
  );
  const executionId = started.AutomationExecutionId;
  if (!executionId) throw new Error("ssm StartAutomationExecution returned no execution id");
  io.print(`Started ${naming.restoreRunbook}: execution ${executionId} (Systems Manager, Automation, ${region})`);
  return args.values.detach ? 0 : follow(clients.ssm, executionId, deps);
}
