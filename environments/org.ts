import type { OrgInput } from "./schema/index.js";

/**
 * Organization-wide settings of the example organization: the central tooling account, the
 * baseline template of each OS the fleet runs, and the hook documents windows may use.
 */
export const org: OrgInput = {
  namePrefix: "patchline",
  organizationId: "o-exampleorg1",
  central: { accountName: "tooling", accountId: "100000000001", region: "us-east-1" },
  deployRoleName: "patchline-deploy",
  planRoleName: "patchline-plan",
  promotionOrder: ["dev", "preprod", "prod"],
  // nothing is patched over the holidays: install runs end without patching, approved patching waits;
  // the days are the windows' (US/Central) days, so a 21:00 run on 3 January is still frozen
  freezes: [{ start: "2026-12-18", end: "2027-01-03", timeZone: "US/Central", reason: "year-end freeze" }],
  // the platform team's operators put an instance back on its pre-patch backup (npm run restore)
  restoreOperatorRoleArns: ["arn:aws:iam::100000000001:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformOperator_0a1b2c3d4e5f6a7b"],
  stateBackend: { bucket: "example-patchline-tfstate", region: "us-east-1", keyPrefix: "patchline" },
  tags: { Owner: "platform-team", CostCenter: "cc-4711" },
  notifications: { emailSubscribers: ["platform-oncall@example.com"] },
  email: { senderAddress: "patchline@example.com" },
  // instances tagged Owner=<address> get their approval requests and impending-patch notices directly
  ownerTagKey: "Owner",
  approval: { linkValidityHours: 72, escalationEmails: ["platform-oncall@example.com"] },
  channels: {
    "platform-teams": { type: "teams" },
    "security-slack": { type: "slack" },
    "app-teams-slack": { type: "slack" },
    "patching-mail": { type: "email", subscribers: ["platform-oncall@example.com", "security-governance@example.com"] },
  },
  compliance: {
    schedule: { expression: "cron(0 7 ? * MON-FRI *)", timeZone: "Europe/Berlin" },
    maxConcurrency: 10,
    allClear: false,
    // accounts vended into the sandbox unit show up in the digest before anyone onboards them
    organizationalUnits: [{ id: "ou-ex12-sandbox1", environment: "dev" }],
    digestChannels: ["platform-teams", "security-slack", "patching-mail"],
    failureChannels: ["platform-teams", "patching-mail"],
    digestInstanceLimit: 200,
    // missing patches older than this (days since their release) are SLA breaches in the digest, report and Athena
    sla: { Critical: 14, Important: 30 },
    // the QuickSight dashboard (needs a QuickSight Enterprise subscription in the tooling account):
    // the platform team edits it, security governance views it; refreshed after the 07:00 run
    quicksight: {
      authors: ["arn:aws:quicksight:us-east-1:100000000001:group/default/patchline-platform-team"],
      viewers: ["arn:aws:quicksight:us-east-1:100000000001:group/default/security-governance"],
      importMode: "SPICE",
      refresh: { timeOfDay: "09:00", timeZone: "Europe/Berlin" },
    },
  },

  baselines: {
    AMAZON_LINUX_2023: {
      description: "Amazon Linux 2023: security updates (critical, important) and bug fixes",
      approvalRules: [
        { filters: { CLASSIFICATION: ["Security"], SEVERITY: ["Critical", "Important"] }, complianceLevel: "CRITICAL" },
        { filters: { CLASSIFICATION: ["Bugfix"] }, complianceLevel: "MEDIUM" },
      ],
    },
    AMAZON_LINUX_2: {
      description: "Amazon Linux 2: security updates (critical, important) and bug fixes",
      approvalRules: [
        { filters: { PRODUCT: ["AmazonLinux2"], CLASSIFICATION: ["Security"], SEVERITY: ["Critical", "Important"] }, complianceLevel: "CRITICAL" },
        { filters: { PRODUCT: ["AmazonLinux2"], CLASSIFICATION: ["Bugfix"] }, complianceLevel: "MEDIUM" },
      ],
    },
    REDHAT_ENTERPRISE_LINUX: {
      description: "RHEL 8 and 9: security updates (critical, important)",
      approvalRules: [
        {
          filters: { PRODUCT: ["RedhatEnterpriseLinux8*", "RedhatEnterpriseLinux9*"], CLASSIFICATION: ["Security"], SEVERITY: ["Critical", "Important"] },
          complianceLevel: "CRITICAL",
        },
      ],
    },
    UBUNTU: {
      description: "Ubuntu 22.04 and 24.04: required and important packages",
      approvalRules: [{ filters: { PRODUCT: ["Ubuntu22.04", "Ubuntu24.04"], PRIORITY: ["Required", "Important"] }, complianceLevel: "HIGH" }],
    },
    WINDOWS: {
      description: "Windows Server 2019 and 2022: critical and security updates",
      approvalRules: [
        {
          filters: {
            PRODUCT: ["WindowsServer2019", "WindowsServer2022"],
            CLASSIFICATION: ["CriticalUpdates", "SecurityUpdates"],
            MSRC_SEVERITY: ["Critical", "Important"],
          },
          complianceLevel: "CRITICAL",
        },
      ],
    },
  },

  hookDocuments: [
    {
      name: "patchline-record-running-services",
      description: "Before install: record the services that are running, so the post-install hook can compare",
      linux: {
        commands: [
          "systemctl list-units --type=service --state=running --no-legend --plain | awk '{print $1}' | sort > /var/tmp/patchline-services-before.txt",
        ],
        timeoutSeconds: 120,
      },
      windows: {
        commands: [
          "Get-Service | Where-Object Status -eq 'Running' | Select-Object -ExpandProperty Name | Sort-Object | Set-Content C:\\Windows\\Temp\\patchline-services-before.txt",
        ],
        timeoutSeconds: 120,
      },
    },
    {
      name: "patchline-verify-services",
      description: "After install and after reboot: fail when a service that ran before patching is not running",
      linux: {
        commands: [
          "test -f /var/tmp/patchline-services-before.txt || exit 0",
          "systemctl list-units --type=service --state=running --no-legend --plain | awk '{print $1}' | sort > /var/tmp/patchline-services-after.txt",
          "missing=$(comm -23 /var/tmp/patchline-services-before.txt /var/tmp/patchline-services-after.txt)",
          'if [ -n "$missing" ]; then echo "services not running after patching: $missing"; exit 1; fi',
        ],
        timeoutSeconds: 300,
      },
      windows: {
        commands: [
          "if (-not (Test-Path C:\\Windows\\Temp\\patchline-services-before.txt)) { exit 0 }",
          "$before = Get-Content C:\\Windows\\Temp\\patchline-services-before.txt",
          "$running = Get-Service | Where-Object Status -eq 'Running' | Select-Object -ExpandProperty Name",
          "$missing = $before | Where-Object { $running -notcontains $_ }",
          "if ($missing) { Write-Output \"services not running after patching: $($missing -join ', ')\"; exit 1 }",
        ],
        timeoutSeconds: 300,
      },
    },
  ],
};
