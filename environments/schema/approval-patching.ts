import { REBOOT_OPTIONS } from "../../contracts/patch-command.js";
import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";

type Report = (path: Problem["path"], message: string) => void;

const DEFAULT_REBOOT_OPTION = "RebootIfNeeded";
// values the schema rejects are reported there, once
const isRebootOption = (value: unknown): value is string => (REBOOT_OPTIONS as readonly unknown[]).includes(value);

/**
 * The approval workflow patches an instance as the window of its patch group does (docs/approval.md,
 * "Same patching as the window"): a reboot option of the approval that differs from the reboot option
 * of an installing window some patch group uses would be ignored, so it is an error. A window no
 * patch group uses never patches an approved instance: its reboot option does not matter here.
 */
export function checkApprovalPatching(config: OrgConfigInput, report: Report): void {
  for (const [envName, env] of Object.entries(config.environments ?? {})) {
    if (!env) continue;
    // only a window some patch group uses ever patches an approved instance (choosePatchCommand looks it up by patch group)
    const used = new Set((env.patchGroups ?? []).map((g) => g?.maintenanceWindow));
    const windows = (env.maintenanceWindows ?? []).filter((w) => w?.install && used.has(w.name));
    const approval = env.approval;
    const rebootOption = approval?.rebootOption;
    if (approval && approval.enabled !== false && isRebootOption(rebootOption)) {
      const differing = windows.filter((w) => {
        const windowOption = w.install!.rebootOption ?? DEFAULT_REBOOT_OPTION;
        return isRebootOption(windowOption) && windowOption !== rebootOption;
      });
      if (differing.length > 0) {
        const names = differing.map((w) => `${show(w.name)} (${w.install!.rebootOption ?? DEFAULT_REBOOT_OPTION})`).join(", ");
        report(
          [envName, "approval", "rebootOption"],
          `${show(rebootOption)} differs from the install.rebootOption of window ${names}; approved instances are patched as their window patches, so it would not apply: ` +
            "leave approval.rebootOption out (it applies only to patch groups whose window only scans) or set the window's",
        );
      }
    }
  }
}
