import type { EnvironmentInput } from "./schema/index.js";

/** Pre-production: patches approved after 7 days, installed Thursday nights with the service-check hooks. */
export const preprod: EnvironmentInput = {
  accounts: [
    { name: "payments-preprod", id: "300000000001" },
    { name: "web-preprod", id: "300000000002" },
  ],
  regions: ["us-east-1"],
  // preprod installs at least 2 days after dev did (Thursday night is 2 days 11 hours after Tuesday morning)
  minDaysAfterPrevious: 2,
  approveAfterDays: 7,
  compliance: { tagCompliance: true, noticeLeadHours: 24, noticeChannels: ["app-teams-slack"] },
  patchGroups: [
    { name: "web-preprod", operatingSystems: ["AMAZON_LINUX_2023", "WINDOWS"], maintenanceWindow: "preprod-weekly" },
    { name: "app-preprod", operatingSystems: ["AMAZON_LINUX_2", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "preprod-weekly" },
    { name: "data-preprod", operatingSystems: ["UBUNTU", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "preprod-weekly" },
  ],
  maintenanceWindows: [
    {
      name: "preprod-weekly",
      description: "Pre-production fleet, every Thursday 21:00 Central",
      schedule: "cron(0 21 ? * THU *)",
      timeZone: "US/Central",
      durationHours: 3,
      cutoffHours: 1,
      scan: { maxConcurrency: "25%", maxErrors: "10%" },
      install: {
        maxConcurrency: "25%",
        maxErrors: "10%",
        rebootOption: "RebootIfNeeded",
        document: "AWS-RunPatchBaselineWithHooks",
        hooks: { preInstall: "patchline-record-running-services", postInstall: "patchline-verify-services", onExit: "patchline-verify-services" },
      },
    },
  ],
  approval: {
    approverEmails: ["preprod-approvers@example.com"],
    // ask only for critical and security patches; the others wait for the next request that asks (approving installs every approved patch)
    trigger: { severities: ["Critical"], classifications: ["Security", "SecurityUpdates", "CriticalUpdates"] },
    reminderIntervalHours: 24,
    reminderCount: 2,
    onNoResponse: "approve",
    backupBeforePatch: true,
  },
};
