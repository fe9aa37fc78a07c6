import type { EmergencyPlan } from "../../../contracts/emergency-patch.js";
import type { CatalogEnvironment, CatalogWindowCommand } from "../../../contracts/fleet-catalog.js";
import { namedPatchProblem } from "../../../contracts/install-override-list.js";
import { namedPatchesCommand, WITH_HOOKS } from "../../../contracts/patch-command.js";

/**
 * The one command a plan may send for a window's patch groups: the window's install command with
 * its rate control, exactly (the catalog has it from the same config the window's task is
 * rendered from). Hook documents run as root on every instance, so nothing else is accepted.
 * With named patches the plan holds AWS-RunPatchBaseline with the window's reboot option and no
 * InstallOverrideList (the run writes its own list under emergencyKeys.installLists and sets it);
 * a window with hooks allows that only when the plan says withoutHooks (`--without-hooks`).
 * A string is why no command is allowed.
 */
function allowedCommand(window: string, command: CatalogWindowCommand, plan: EmergencyPlan): CatalogWindowCommand | string {
  if (plan.patches.length === 0) return command;
  if (command.document === WITH_HOOKS && !plan.withoutHooks)
    return `named patches need AWS-RunPatchBaseline; window ${window} patches with ${WITH_HOOKS}, which takes no InstallOverrideList (withoutHooks drops its hooks)`;
  return namedPatchesCommand(command);
}

/** How a plan's command differs from the allowed one: document, each parameter, rate control. */
function commandDifferences(command: EmergencyPlan["commands"][number], allowed: CatalogWindowCommand): string[] {
  const differences: string[] = [];
  if (command.document !== allowed.document) differences.push(`document ${command.document} is not ${allowed.document}`);
  const names = [...new Set([...Object.keys(command.parameters), ...Object.keys(allowed.parameters)])].sort();
  for (const name of names) {
    const got = command.parameters[name];
    const want = allowed.parameters[name];
    if (JSON.stringify(got) === JSON.stringify(want)) continue;
    if (want === undefined)
      differences.push(
        `parameter ${name} ${JSON.stringify(got)} is not one the window sends${name === "InstallOverrideList" ? " (with named patches the run sets InstallOverrideList itself)" : ""}`,
      );
    else if (got === undefined) differences.push(`parameter ${name} is missing (the window sends ${JSON.stringify(want)})`);
    else differences.push(`parameter ${name} ${JSON.stringify(got)} is not ${JSON.stringify(want)}`);
  }
  if (command.maxConcurrency !== allowed.maxConcurrency) differences.push(`maxConcurrency ${command.maxConcurrency} is not ${allowed.maxConcurrency}`);
  if (command.maxErrors !== allowed.maxErrors) differences.push(`maxErrors ${command.maxErrors} is not ${allowed.maxErrors}`);
  return differences;
}

/**
 * What a plan may ask, checked against the fleet catalog (Terraform writes it from the same
 * config the tool read): anyone who may start the state machine could hand it any input, so the
 * run patches only accounts, regions and patch groups of the plan's environment, with exactly the
 * windows' install commands (allowedCommand), and only instances its windows would patch.
 */
export function planProblems(plan: EmergencyPlan, environment: CatalogEnvironment): string[] {
  const problems: string[] = [];
  const accounts = new Map(environment.accounts.map((a) => [a.id, a]));
  const seen = new Set<string>();
  plan.waves.forEach((wave, w) =>
    wave.forEach((entry, i) => {
      const where = `waves[${w}][${i}]`;
      const account = accounts.get(entry.accountId);
      if (!account) return void problems.push(`${where}: account ${entry.accountId} is not an account of ${environment.name}`);
      if (seen.has(entry.accountId)) problems.push(`${where}: account ${entry.accountId} (${account.name}) is in more than one place of the waves`);
      seen.add(entry.accountId);
      const outside = entry.regions.filter((r) => !account.regions.includes(r));
      if (outside.length > 0)
        problems.push(`${where}: ${account.name} is not patched in ${outside.join(", ")} (its regions: ${account.regions.join(", ") || "none"})`);
      if (new Set(entry.regions).size !== entry.regions.length) problems.push(`${where}: ${account.name} lists a region twice`);
    }),
  );

  const windows = new Map(environment.maintenanceWindows.map((w) => [w.name, w]));
  const grouped = new Set<string>();
  plan.commands.forEach((command, c) => {
    const where = `commands[${c}]`;
    const window = windows.get(command.window);
    if (!window) return void problems.push(`${where}: ${JSON.stringify(command.window)} is not a maintenance window of ${environment.name}`);
    if (!window.installs) return void problems.push(`${where}: window ${window.name} only scans; an emergency run patches what the windows patch`);
    for (const group of command.patchGroups) {
      if (!window.patchGroups.includes(group)) problems.push(`${where}: patch group ${JSON.stringify(group)} is not one of window ${window.name}'s`);
      if (grouped.has(group)) problems.push(`${where}: patch group ${JSON.stringify(group)} is in more than one command`);
      grouped.add(group);
    }
    if (!window.installCommand)
      return void problems.push(`${where}: the fleet catalog has no install command for window ${window.name} (deploy the central stack again)`);
    const allowed = allowedCommand(window.name, window.installCommand, plan);
    if (typeof allowed === "string") return void problems.push(`${where}: ${allowed}`);
    for (const difference of commandDifferences(command, allowed)) problems.push(`${where}: not window ${window.name}'s install command: ${difference}`);
  });

  plan.patches.forEach((id, p) => {
    const problem = namedPatchProblem(id);
    if (problem) problems.push(`patches[${p}]: ${problem}`);
  });
  if (new Set(plan.patches).size !== plan.patches.length) problems.push("patches: a patch is named twice");
  if (plan.withoutHooks && plan.patches.length === 0) problems.push("withoutHooks: only with named patches (the windows' commands keep their hooks)");
  return problems;
}
