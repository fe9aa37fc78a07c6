import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";

type Report = (path: Problem["path"], message: string) => void;

/**
 * Along the promotion order, a later environment approves no sooner than an earlier one: approve-
 * after-days never decrease, approve-until dates never increase. Days and a date cannot be compared
 * without a day to compare on, so a pair of one and the other is not checked.
 */
export function checkApprovalOrder(config: OrgConfigInput, order: readonly string[], report: Report) {
  const chain = [...new Set(order)].join(" → ");
  let days: { name: string; value: number } | undefined;
  let until: { name: string; value: string } | undefined;
  for (const name of new Set(order)) {
    const env = config.environments?.[name];
    if (!env) continue;
    const hasDays = typeof env.approveAfterDays === "number";
    const hasDate = typeof env.approveUntilDate === "string";
    if (hasDays && hasDate) report([name], "sets both approveAfterDays and approveUntilDate; Patch Manager takes one or the other: keep one");
    if (!hasDays && !hasDate && env.approveAfterDays === undefined && env.approveUntilDate === undefined)
      report([name], "sets neither approveAfterDays nor approveUntilDate; give one (e.g. approveAfterDays: 7)");
    if (hasDays) {
      const value = env.approveAfterDays as number;
      if (days && value < days.value)
        report([name, "approveAfterDays"], `${value} is lower than ${days.name}'s ${days.value}; approve-after-days may not decrease along ${chain}`);
      days = { name, value };
    }
    if (hasDate) {
      const value = env.approveUntilDate as string;
      if (until && value > until.value)
        report(
          [name, "approveUntilDate"],
          `${show(value)} is later than ${until.name}'s ${show(until.value)}; approve-until dates may not increase along ${chain}`,
        );
      until = { name, value };
    }
  }
}

/** A promotion's source is a configured environment earlier in the promotion order. */
export function checkPromotionSources(config: OrgConfigInput, order: readonly string[], report: Report) {
  const chain = [...new Set(order)].join(" → ");
  for (const [name, env] of Object.entries(config.environments ?? {})) {
    const from = env?.promotion?.from;
    if (typeof from !== "string") continue;
    const path = [name, "promotion", "from"];
    if (from === name) report(path, `${show(from)} is this environment; promote from an earlier one in ${chain}`);
    else if (!(from in (config.environments ?? {})))
      report(path, `${show(from)} is not a configured environment (configured: ${Object.keys(config.environments).join(", ")})`);
    else if (order.includes(name) && order.includes(from) && order.indexOf(from) > order.indexOf(name))
      report(path, `${show(from)} comes after ${name} in ${chain}; promote from an earlier environment`);
  }
}

/**
 * In mode install-override-list the install tasks get the promoted list as `InstallOverrideList`,
 * which AWS-RunPatchBaselineWithHooks does not define ("No custom patch list support", Patch
 * Manager user guide): SendCommand would refuse every install of such a window.
 */
export function checkInstallOverrideListDocuments(config: OrgConfigInput, report: Report) {
  for (const [name, env] of Object.entries(config.environments ?? {})) {
    if (env?.promotion?.mode !== "install-override-list" || !Array.isArray(env.maintenanceWindows)) continue;
    env.maintenanceWindows.forEach((window, i) => {
      if (window?.install?.document !== "AWS-RunPatchBaselineWithHooks") return;
      report(
        [name, "maintenanceWindows", i, "install", "document"],
        `AWS-RunPatchBaselineWithHooks takes no InstallOverrideList, which ${name}.promotion.mode "install-override-list" gives the install task of ${show(window.name)}; use AWS-RunPatchBaseline (and no hooks) for this window, or promotion mode "baseline"`,
      );
    });
  }
}
