import type { OperatingSystem, OrgInput } from "../../environments/schema/index.js";

type BaselineInput = NonNullable<OrgInput["baselines"][OperatingSystem]>;
type HookDocumentInput = NonNullable<OrgInput["hookDocuments"]>[number];

/** OSes whose baselines a new organization starts with (and its patch groups run). */
export const defaultOperatingSystems: readonly OperatingSystem[] = ["AMAZON_LINUX_2023", "WINDOWS"];

/**
 * The local time zone of each AWS region, for the maintenance windows and the compliance run of a
 * new organization. A region missing here (a new one) gets UTC.
 */
const regionTimeZones: Readonly<Record<string, string>> = {
  "us-east-1": "America/New_York",
  "us-east-2": "America/New_York",
  "us-west-1": "America/Los_Angeles",
  "us-west-2": "America/Los_Angeles",
  "us-gov-east-1": "America/New_York",
  "us-gov-west-1": "America/Los_Angeles",
  "ca-central-1": "America/Toronto",
  "ca-west-1": "America/Edmonton",
  "mx-central-1": "America/Mexico_City",
  "sa-east-1": "America/Sao_Paulo",
  "eu-west-1": "Europe/Dublin",
  "eu-west-2": "Europe/London",
  "eu-west-3": "Europe/Paris",
  "eu-central-1": "Europe/Berlin",
  "eu-central-2": "Europe/Zurich",
  "eu-north-1": "Europe/Stockholm",
  "eu-south-1": "Europe/Rome",
  "eu-south-2": "Europe/Madrid",
  "il-central-1": "Asia/Jerusalem",
  "me-south-1": "Asia/Bahrain",
  "me-central-1": "Asia/Dubai",
  "af-south-1": "Africa/Johannesburg",
  "ap-east-1": "Asia/Hong_Kong",
  "ap-south-1": "Asia/Kolkata",
  "ap-south-2": "Asia/Kolkata",
  "ap-northeast-1": "Asia/Tokyo",
  "ap-northeast-2": "Asia/Seoul",
  "ap-northeast-3": "Asia/Tokyo",
  "ap-southeast-1": "Asia/Singapore",
  "ap-southeast-2": "Australia/Sydney",
  "ap-southeast-3": "Asia/Jakarta",
  "ap-southeast-4": "Australia/Melbourne",
  "ap-southeast-5": "Asia/Kuala_Lumpur",
  "ap-southeast-7": "Asia/Bangkok",
  "cn-north-1": "Asia/Shanghai",
  "cn-northwest-1": "Asia/Shanghai",
};

export const timeZoneOf = (region: string): string => regionTimeZones[region] ?? "UTC";

const rpmSecurity = (product?: string[]) => [
  {
    filters: { ...(product ? { PRODUCT: product } : {}), CLASSIFICATION: ["Security"], SEVERITY: ["Critical", "Important"] },
    complianceLevel: "CRITICAL" as const,
  },
];

/** A starting baseline per OS: security updates first; the filters are the keys and values each OS accepts. */
export const baselineTemplates: Readonly<Record<OperatingSystem, BaselineInput>> = {
  AMAZON_LINUX_2023: {
    description: "Amazon Linux 2023: security updates (critical, important) and bug fixes",
    approvalRules: [...rpmSecurity(), { filters: { CLASSIFICATION: ["Bugfix"] }, complianceLevel: "MEDIUM" }],
  },
  AMAZON_LINUX_2: {
    description: "Amazon Linux 2: security updates (critical, important) and bug fixes",
    approvalRules: [...rpmSecurity(["AmazonLinux2"]), { filters: { PRODUCT: ["AmazonLinux2"], CLASSIFICATION: ["Bugfix"] }, complianceLevel: "MEDIUM" }],
  },
  REDHAT_ENTERPRISE_LINUX: {
    description: "RHEL 8 and 9: security updates (critical, important)",
    approvalRules: rpmSecurity(["RedhatEnterpriseLinux8*", "RedhatEnterpriseLinux9*"]),
  },
  ROCKY_LINUX: { description: "Rocky Linux: security updates (critical, important)", approvalRules: rpmSecurity() },
  ALMA_LINUX: { description: "AlmaLinux: security updates (critical, important)", approvalRules: rpmSecurity() },
  ORACLE_LINUX: { description: "Oracle Linux: security updates (critical, important)", approvalRules: rpmSecurity() },
  UBUNTU: {
    description: "Ubuntu 22.04 and 24.04: required and important packages",
    approvalRules: [{ filters: { PRODUCT: ["Ubuntu22.04", "Ubuntu24.04"], PRIORITY: ["Required", "Important"] }, complianceLevel: "HIGH" }],
  },
  DEBIAN: {
    description: "Debian: required and important packages",
    approvalRules: [{ filters: { PRIORITY: ["Required", "Important"] }, complianceLevel: "HIGH" }],
  },
  WINDOWS: {
    description: "Windows Server: critical and security updates",
    approvalRules: [
      { filters: { CLASSIFICATION: ["CriticalUpdates", "SecurityUpdates"], MSRC_SEVERITY: ["Critical", "Important"] }, complianceLevel: "CRITICAL" },
    ],
  },
};

/** Example patch names per OS family, for the commented-out approved / rejected lists. */
export function patchExamples(os: OperatingSystem): { readonly approved: string[]; readonly rejected: string[] } {
  if (os === "WINDOWS") return { approved: ["KB5034441"], rejected: ["KB5034439"] };
  if (os === "UBUNTU" || os === "DEBIAN") return { approved: ["openssl"], rejected: ["linux-image-generic-hwe-*"] };
  return { approved: ["openssl"], rejected: ["kernel-debug*"] };
}

/** Names of the two example hook documents (commented out in org.ts, referenced by the windows' commented hooks). */
export const hookDocumentNames = (namePrefix: string) => ({ before: `${namePrefix}-record-running-services`, verify: `${namePrefix}-verify-services` });

/** The example hook documents: record the running services before patching, fail when one is missing after. */
export function hookDocumentTemplates(namePrefix: string): HookDocumentInput[] {
  const names = hookDocumentNames(namePrefix);
  const linuxList = "systemctl list-units --type=service --state=running --no-legend --plain | awk '{print $1}' | sort";
  const windowsList = "Get-Service | Where-Object Status -eq 'Running' | Select-Object -ExpandProperty Name";
  return [
    {
      name: names.before,
      description: "Before install: record the services that are running, so the post-install hook can compare",
      linux: { commands: [`${linuxList} > /var/tmp/patchline-services-before.txt`], timeoutSeconds: 120 },
      windows: { commands: [`${windowsList} | Sort-Object | Set-Content C:\\Windows\\Temp\\patchline-services-before.txt`], timeoutSeconds: 120 },
    },
    {
      name: names.verify,
      description: "After install and after reboot: fail when a service that ran before patching is not running",
      linux: {
        commands: [
          "test -f /var/tmp/patchline-services-before.txt || exit 0",
          `${linuxList} > /var/tmp/patchline-services-after.txt`,
          "missing=$(comm -23 /var/tmp/patchline-services-before.txt /var/tmp/patchline-services-after.txt)",
          'if [ -n "$missing" ]; then echo "services not running after patching: $missing"; exit 1; fi',
        ],
        timeoutSeconds: 300,
      },
      windows: {
        commands: [
          "if (-not (Test-Path C:\\Windows\\Temp\\patchline-services-before.txt)) { exit 0 }",
          "$before = Get-Content C:\\Windows\\Temp\\patchline-services-before.txt",
          `$running = ${windowsList}`,
          "$missing = $before | Where-Object { $running -notcontains $_ }",
          "if ($missing) { Write-Output \"services not running after patching: $($missing -join ', ')\"; exit 1 }",
        ],
        timeoutSeconds: 300,
      },
    },
  ];
}
