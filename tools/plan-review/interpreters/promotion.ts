import { describePromotion } from "../../promote/describe.js";
import { beforeAfter, type Finding, type Interpreter } from "../findings.js";
import { changeKind } from "../plan-json.js";
import { approvedUntil, earliestApprovalDays } from "./rule-approval.js";

/**
 * The environment a baseline was promoted from, as its description says it
 * (`… (prod: promoted from preprod: released on or before 2026-11-12)`, describeRuleApproval):
 * the plan's before-values are all that is left of a record that is gone.
 */
const promotedFrom = (values: Record<string, unknown>): string | undefined =>
  /: promoted from ([a-z0-9]+): released on or before /.exec(String(values.description ?? ""))?.[1];

/** The environment whose install override list an S3 object of the central stack is (`<env>/install-override-list.yaml`, Naming). */
function installOverrideListOf(change: Parameters<typeof beforeAfter>[0]): string | undefined {
  const { before, after } = beforeAfter(change);
  return /^([a-z][a-z0-9]{1,15})\/install-override-list\.yaml$/.exec(String(after.key ?? before.key ?? ""))?.[1];
}

interface Ended {
  readonly addresses: string[];
  readonly from: Set<string>;
  readonly until: Set<string>;
  readonly days: Set<number>;
}

const list = (values: Iterable<string | number>) => [...values].sort().join(", ");

/**
 * Evidence-gated promotion, once per environment rather than per stack and region: an environment
 * whose baselines change while it has a promotion record gets the record in plain words (what it
 * approves because it passed the environment before it, and what it holds back and why). An
 * environment without a record whose promoted baselines go back to days after release no longer
 * approves by evidence; in the last environment of the promotion order that is a risk, as
 * production then installs patches by their age alone. (A configured approve-until date that
 * becomes days is no promotion: the baselines interpreter says it.)
 */
export const promotion: Interpreter = (plans, context) => {
  const production = context.promotionOrder.at(-1);
  const promoted = new Map<string, string[]>();
  const ended = new Map<string, Ended>();
  for (const plan of plans) {
    const record = context.promotionRecords[plan.environment];
    for (const change of plan.changes) {
      // in mode install-override-list a new record may change only the list the central stack writes
      const list = change.type === "aws_s3_object" ? installOverrideListOf(change) : undefined;
      if (list !== undefined && context.promotionRecords[list] && changeKind(change) !== undefined) {
        promoted.set(list, [...(promoted.get(list) ?? []), change.address]);
        continue;
      }
      if (change.type !== "aws_ssm_patch_baseline") continue;
      const kind = changeKind(change);
      // a destroyed baseline approves nothing any more: the destroy interpreter says so
      if (kind === undefined || kind === "destroy") continue;
      if (record) {
        promoted.set(plan.environment, [...(promoted.get(plan.environment) ?? []), change.address]);
        continue;
      }
      if (kind === "create") continue;
      const { before, after } = beforeAfter(change);
      const [from, until, days] = [promotedFrom(before), approvedUntil(before), earliestApprovalDays(after)];
      if (from === undefined || until === undefined || days === undefined) continue;
      const entry = ended.get(plan.environment) ?? { addresses: [], from: new Set<string>(), until: new Set<string>(), days: new Set<number>() };
      entry.addresses.push(change.address);
      entry.from.add(from);
      entry.until.add(until);
      entry.days.add(days);
      ended.set(plan.environment, entry);
    }
  }

  const findings: Finding[] = [];
  for (const [environment, addresses] of promoted) {
    findings.push({
      stack: "(all)",
      environment,
      severity: "change",
      subject: `promotion of ${environment}`,
      message: describePromotion(context.promotionRecords[environment]!),
      addresses,
    });
  }
  for (const [environment, { addresses, from, until, days }] of ended) {
    const risk = environment === production;
    findings.push({
      stack: "(all)",
      environment,
      severity: risk ? "risk" : "change",
      subject: `promotion of ${environment}`,
      message:
        `${environment} no longer approves only what passed ${list(from)}: without a promotion record (environments/promotions/${environment}.json) ` +
        `its baselines approve patches ${list(days)} days after release again (were: released on or before ${list(until)})` +
        (risk ? `; production gets patches by their age, not by evidence from ${list(from)}` : ""),
      addresses,
    });
  }
  return findings;
};
