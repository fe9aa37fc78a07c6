import type { EnvironmentInput } from "./schema/index.js";

/** Development: patches are approved the day they are released and installed every Tuesday morning. */
export const dev: EnvironmentInput = {
  accounts: [
    { name: "payments-dev", id: "200000000001" },
    { name: "web-dev", id: "200000000002" },
  ],
  regions: ["us-east-1"],
  approveAfterDays: 0,
  compliance: { tagCompliance: true, noticeLeadHours: 24, noticeChannels: ["app-teams-slack"] },
  patchGroups: [
    { name: "web-dev", operatingSystems: ["AMAZON_LINUX_2023", "WINDOWS"], maintenanceWindow: "dev-weekly" },
    { name: "app-dev", operatingSystems: ["AMAZON_LINUX_2", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "dev-weekly" },
    { name: "data-dev", operatingSystems: ["UBUNTU", "REDHAT_ENTERPRISE_LINUX"], maintenanceWindow: "dev-weekly" },
  ],
  maintenanceWindows: [
    {
      name: "dev-weekly",
      description: "Dev fleet, every Tuesday 10:00 Central",
      schedule: "cron(0 10 ? * TUE *)",
      timeZone: "US/Central",
      durationHours: 3,
      cutoffHours: 1,
      scan: { maxConcurrency: "50%", maxErrors: "25%" },
      install: { maxConcurrency: "50%", maxErrors: "25%", rebootOption: "RebootIfNeeded" },
    },
  ],
  // dev instances on approval are patched anyway when nobody answers within a working day; requests
  // and reminders are posted to the app teams' Slack channel too, where any member may decide them
  approval: {
    approverEmails: ["dev-leads@example.com"],
    reminderIntervalHours: 8,
    reminderCount: 1,
    onNoResponse: "approve",
    rebootOption: "RebootIfNeeded",
    channels: ["app-teams-slack"],
    channelMembersMayDecide: true,
  },
};
