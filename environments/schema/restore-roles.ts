import type { OrgConfigInput, Problem } from "./input.js";
import { show } from "./messages.js";

const ROLE_ACCOUNT = /^arn:aws:iam::(\d{12}):role\//;

/**
 * `org.restoreOperatorRoleArns` names roles of the central account: the member accounts' restore
 * operator roles trust them, and operators run `npm run restore` from the central account.
 */
export function checkRestoreOperatorRoles(config: OrgConfigInput, report: (path: Problem["path"], message: string) => void): void {
  const central = config.org?.central?.accountId;
  const arns: unknown = config.org?.restoreOperatorRoleArns;
  // a central id that is no account id is reported by its own field
  if (typeof central !== "string" || !/^\d{12}$/.test(central) || !Array.isArray(arns)) return;
  arns.forEach((arn: unknown, i) => {
    const account = typeof arn === "string" ? ROLE_ACCOUNT.exec(arn)?.[1] : undefined;
    if (account !== undefined && account !== central)
      report(
        ["org", "restoreOperatorRoleArns", i],
        `${show(arn)} is a role of account ${account}; the restore operator roles trust roles of the central account (${central}) only`,
      );
  });
}
