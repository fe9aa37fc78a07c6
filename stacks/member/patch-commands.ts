import { installCommand, type PatchCommand, type PatchGroupsCommand, type RebootOption } from "../../contracts/patch-command.js";
import { installsExactly, type ConfiguredEnvironment, type Environment, type MaintenanceWindow } from "../../environments/schema/index.js";
import type { Naming } from "../naming.js";

/**
 * How an environment's instances are patched, as the environment's windows define it: the one
 * place that turns a window's install settings into the command its install task sends
 * (stacks/member/maintenance-window.ts) and the approval workflow sends (stacks/approval/settings.ts).
 */

/** The patch groups a window scans and patches: the values of its targets' patch group tag. */
export const windowPatchGroups = (environment: Environment, window: string): string[] =>
  environment.patchGroups.filter((g) => g.maintenanceWindow === window).map((g) => g.name);

/** The InstallOverrideList URL of the environment's install commands: only when it installs exactly its promoted patches. */
export const installOverrideListOf = (environment: ConfiguredEnvironment, naming: Naming): string | undefined =>
  installsExactly(environment, environment.promotionRecord) ? naming.installOverrideListUrl(environment.name) : undefined;

/**
 * The command a window's install task sends (undefined for a window that only scans).
 * `hookDocumentName` names a hook document as the task references it (the member stack: the
 * document resource's name); by default its configured name, which is its name in SSM.
 */
export function windowInstallCommand(
  environment: ConfiguredEnvironment,
  window: MaintenanceWindow,
  naming: Naming,
  hookDocumentName?: (configured: string) => string,
): PatchCommand | undefined {
  if (!window.install) return undefined;
  return installCommand(window.install, { installOverrideList: installOverrideListOf(environment, naming), hookDocumentName });
}

/**
 * For every window of the environment that patches a patch group: the command that patches those
 * groups' instances outside the window's schedule (the approval workflow; a backup-then-patch runbook
 * may use it too). A window that only scans has no install settings: its groups are patched with
 * AWS-RunPatchBaseline and `scanOnlyRebootOption` (the approval's `rebootOption`).
 */
export function patchGroupCommands(environment: ConfiguredEnvironment, naming: Naming, scanOnlyRebootOption: RebootOption): PatchGroupsCommand[] {
  return environment.maintenanceWindows.flatMap((window) => {
    const patchGroups = windowPatchGroups(environment, window.name);
    if (patchGroups.length === 0) return [];
    const command =
      windowInstallCommand(environment, window, naming) ??
      installCommand(
        { document: "AWS-RunPatchBaseline", rebootOption: scanOnlyRebootOption },
        { installOverrideList: installOverrideListOf(environment, naming) },
      );
    return [{ window: window.name, patchGroups, windowInstalls: window.install !== undefined, ...command }];
  });
}
