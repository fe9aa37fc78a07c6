import { MIN_PATCH_MINUTES, runbookPatchSeconds } from "../../contracts/install-runbook.js";
import type { OrgConfigInput, Problem } from "./input.js";
import { DEFAULT_BACKUP_TIMEOUT_MINUTES } from "./maintenance-window.js";
import { show } from "./messages.js";

type Report = (path: Problem["path"], message: string) => void;

/** SSM's longest cutoff (a window lasts at most 24 h and its cutoff is below it). */
const MAX_CUTOFF_HOURS = 23;

const hasItems = (list: unknown): boolean => Array.isArray(list) && list.length > 0;
/** Values the field checks accept; others they report, once. */
const wholeNumberIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/**
 * A window whose install task runs the install runbook (it backs up, or its environment has
 * freezes) must leave each run the time to finish by the window's end: the cutoff stops only new
 * Automation runs, so a run started at the cutoff has the cutoff's hours for the backup wait and
 * the patch command (contracts/install-runbook.ts). Runs on the raw input, next to the field checks.
 */
export function checkRunbookTiming(config: OrgConfigInput, report: Report): void {
  const orgFreezes = hasItems(config.org?.freezes);
  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    if (!env) continue;
    const freezes = orgFreezes || hasItems(env.freezes);
    (env.maintenanceWindows ?? []).forEach((window, w) => {
      const install = window?.install;
      if (!install || !wholeNumberIn(window.cutoffHours, 0, 23) || !(freezes || install.backup)) return;
      // a cutoff not below the duration is reported by the window's own check
      if (wholeNumberIn(window.durationHours, 1, 24) && window.cutoffHours >= window.durationHours) return;
      const backupMinutes = install.backup ? (install.backup.timeoutMinutes ?? DEFAULT_BACKUP_TIMEOUT_MINUTES) : 0;
      if (install.backup && !wholeNumberIn(backupMinutes, 10, 1440)) return;
      const patchMinutes = runbookPatchSeconds({ cutoffHours: window.cutoffHours, backupTimeoutMinutes: backupMinutes }) / 60;
      if (patchMinutes >= MIN_PATCH_MINUTES) return;
      const why = install.backup ? "it backs up before install" : "its environment has change freezes";
      const at = [envName, "maintenanceWindows", w];
      const room = `the install runbook's runs go on past the cutoff (only new ones stop), so a run that starts at the cutoff must be done by the window's end`;
      if (install.backup && window.cutoffHours * 60 > MIN_PATCH_MINUTES) {
        report(
          [...at, "install", "backup", "timeoutMinutes"],
          `${backupMinutes} leaves the patch command ${patchMinutes} minutes of the ${window.cutoffHours} h cutoff of window ${show(window.name)}; ${room}: give at most ${window.cutoffHours * 60 - MIN_PATCH_MINUTES} minutes, or a longer cutoffHours (the patch command gets at least ${MIN_PATCH_MINUTES} minutes)`,
        );
      } else if (backupMinutes + MIN_PATCH_MINUTES > MAX_CUTOFF_HOURS * 60) {
        report(
          [...at, "install", "backup", "timeoutMinutes"],
          `${backupMinutes} leaves no time to patch in window ${show(window.name)}: ${room}, and no cutoff (at most ${MAX_CUTOFF_HOURS} h) holds the wait and ${MIN_PATCH_MINUTES} minutes for the patch command; give at most ${MAX_CUTOFF_HOURS * 60 - MIN_PATCH_MINUTES} minutes`,
        );
      } else {
        report(
          [...at, "cutoffHours"],
          `${window.cutoffHours} is too short for window ${show(window.name)}, whose install task runs patchline's install runbook (${why}); ${room}: give a cutoff of at least ${Math.ceil((backupMinutes + MIN_PATCH_MINUTES) / 60)} h (${install.backup ? `the backup wait of ${backupMinutes} minutes and ` : ""}at least ${MIN_PATCH_MINUTES} minutes for the patch command)`,
        );
      }
    });
  }
}
