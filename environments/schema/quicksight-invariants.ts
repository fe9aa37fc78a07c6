import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";
import { accountId } from "./primitives.js";
import { quickSightPrincipalPattern } from "./quicksight.js";

/** What checkQuickSight reads of the raw input, whose types may be anything. */
interface QuickSightInput {
  readonly authors?: unknown;
  readonly viewers?: unknown;
  readonly serviceRoleArn?: unknown;
  readonly importMode?: unknown;
  readonly refresh?: unknown;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * Cross-field checks of `org.compliance.quicksight`: someone can see the dashboard, nobody is
 * both author and viewer, a SPICE import has its refresh time (and a direct query none), and every
 * principal and the role belong to the central account (QuickSight shares within its account).
 */
export function checkQuickSight(config: OrgConfigInput, report: (path: Problem["path"], message: string) => void): void {
  const quicksight: QuickSightInput | null | undefined = config.org?.compliance?.quicksight;
  if (quicksight === undefined || quicksight === null || typeof quicksight !== "object") return;
  const path = ["org", "compliance", "quicksight"];
  const authors = strings(quicksight.authors);
  const viewers = strings(quicksight.viewers);
  if (authors.length === 0 && viewers.length === 0) {
    report(path, "names no QuickSight principal; list at least one user or group in authors or viewers, or leave quicksight out");
  }
  viewers.forEach((arn, i) => {
    if (authors.includes(arn)) report([...path, "viewers", i], `${show(arn)} is an author already (authors see the dashboard too); list it once`);
  });

  const mode = quicksight.importMode ?? "DIRECT_QUERY";
  if (mode === "SPICE" && quicksight.refresh === undefined) {
    report(
      [...path, "refresh"],
      'is required with importMode "SPICE": the time of day the data sets are refreshed, e.g. { timeOfDay: "09:00", timeZone: "UTC" }',
    );
  }
  if (mode === "DIRECT_QUERY" && quicksight.refresh !== undefined) {
    report([...path, "refresh"], 'applies to importMode "SPICE" only; a direct query reads Athena on every view, so leave refresh out');
  }

  const central = config.org?.central?.accountId;
  // an invalid central account id is reported by its own field: comparing against it would report it again here
  if (!accountId.safeParse(central).success || typeof central !== "string") return;
  for (const field of ["authors", "viewers"] as const) {
    strings(quicksight[field]).forEach((arn, i) => {
      const account = quickSightPrincipalPattern.exec(arn)?.[2];
      if (account !== undefined && account !== central)
        report(
          [...path, field, i],
          `${show(arn)} is in account ${account}; the dashboard is shared with QuickSight users of the central account (${central}) only`,
        );
    });
  }
  const role = quicksight.serviceRoleArn;
  const roleAccount = typeof role === "string" ? /^arn:aws:iam::(\d{12}):role\//.exec(role)?.[1] : undefined;
  if (roleAccount !== undefined && roleAccount !== central)
    report(
      [...path, "serviceRoleArn"],
      `${show(role)} is a role of account ${roleAccount}; QuickSight runs in the central account (${central}), so its role is one of that account`,
    );
}
