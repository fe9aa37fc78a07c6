import type { EnvironmentInput } from "./schema/index.js";

/**
 * Production, in two regions: patches approved after 14 days, installed on the first Wednesday of
 * the month at 21:00 Central (2 h window, 1 h cutoff), a tenth of the fleet at a time: in web-prod
 * first (the canary wave), in the other accounts two days later (the main wave).
 */
export const prod: EnvironmentInput = {
  accounts: [
    { name: "payments-prod", id: "400000000001" },
    // the canary: prod's windows patch web-prod first; accounts without a wave are in the last one, main
    { name: "web-prod", id: "400000000002", wave: "canary" },
    { name: "data-prod", id: "400000000003" },
  ],
  regions: ["us-east-1", "eu-west-1"],
  // prod installs at least 5 days after preprod did (the first Wednesday comes 6 days after preprod's Thursday)
  minDaysAfterPrevious: 5,
  // canary waves: web-prod at the windows' schedule, the rest 48 h later on the Central clock (the
  // Friday after the first Wednesday, 21:00), so a bad patch shows in one account before it reaches all
  waves: [
    { name: "canary", delayHours: 0 },
    { name: "main", delayHours: 48 },
  ],
  approveAfterDays: 14,
  // once a promotion record exists (npm run promote -- --from preprod --to prod), prod approves what passed preprod instead
  promotion: { from: "preprod", minInstances: 2, maxFailureRate: "5%", soakDays: 3, maxRecordAgeDays: 35 },
  // KB5034439 (WinRE) fails to install on servers with a small recovery partition.
  rejectedPatches: { WINDOWS: ["KB5034439"] },
  compliance: { tagCompliance: true, noticeLeadHours: 48, noticeChannels: ["app-teams-slack", "platform-teams"] },
  patchGroups: [
    { name: "web-prod", operatingSystems: ["AMAZON_LINUX_2023", "WINDOWS"], maintenanceWindow: "prod-monthly" },
    { name: "app-prod", operatingSystems: ["AMAZON_LINUX_2", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "prod-monthly" },
    { name: "data-prod", operatingSystems: ["UBUNTU", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "prod-monthly" },
  ],
  maintenanceWindows: [
    {
      name: "prod-monthly",
      description: "Production fleet, first Wednesday of the month 21:00 Central",
      schedule: "cron(0 21 ? * WED#1 *)",
      timeZone: "US/Central",
      durationHours: 2,
      cutoffHours: 1,
      scan: { maxConcurrency: "20%", maxErrors: "10%" },
      install: {
        maxConcurrency: "10%",
        maxErrors: "1",
        rebootOption: "RebootIfNeeded",
        document: "AWS-RunPatchBaselineWithHooks",
        hooks: { preInstall: "patchline-record-running-services", postInstall: "patchline-verify-services", onExit: "patchline-verify-services" },
        // an AMI of each instance first (AWS Backup, deleted after 14 days); no AMI within 30 minutes: the
        // instance is not patched (the wait and the patch share the 1 h cutoff: docs/safety-nets.md, "Timing")
        backup: { kind: "ami", retentionDays: 14, timeoutMinutes: 30 },
      },
    },
  ],
  // prod: an AMI first, and nothing is patched that nobody approved
  approval: {
    approverEmails: ["prod-change-board@example.com"],
    reminderIntervalHours: 24,
    reminderCount: 3,
    onNoResponse: "reject",
    backupBeforePatch: true,
    backupTimeoutMinutes: 180,
    rebootOption: "RebootIfNeeded",
    patchTimeoutMinutes: 240,
  },
};
