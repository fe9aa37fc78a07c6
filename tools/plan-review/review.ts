import type { Finding, Interpreter, ReviewContext } from "./findings.js";
import { approvalWorkflow } from "./interpreters/approval.js";
import { baselines } from "./interpreters/baselines.js";
import { destroyed } from "./interpreters/destroy.js";
import { freezes } from "./interpreters/freezes.js";
import { installRunbooks } from "./interpreters/install-runbooks.js";
import { promotion } from "./interpreters/promotion.js";
import { staggering } from "./interpreters/staggering.js";
import { targets } from "./interpreters/targets.js";
import { tasks } from "./interpreters/tasks.js";
import { windows } from "./interpreters/windows.js";
import type { MergedSummary, PlanSummary } from "../plan-stacks/summary.js";
import type { PlanFingerprint } from "./fingerprint.js";
import { changeKind, environmentOf, type ChangeKind, type StackPlan } from "./plan-json.js";

/** Every concern the review explains; add a module to explain a new kind of resource. */
export const interpreters: readonly Interpreter[] = [
  baselines,
  staggering,
  promotion,
  windows,
  targets,
  tasks,
  approvalWorkflow,
  freezes,
  installRunbooks,
  destroyed,
];

export type ChangeCounts = Record<ChangeKind, number>;

export interface StackReview {
  readonly stack: string;
  readonly environment: string;
  readonly counts: ChangeCounts;
  readonly findings: readonly Finding[];
}

export interface Review {
  /** Risky changes of every stack, for the top of the review. */
  readonly risks: readonly Finding[];
  /** Findings that concern several stacks (e.g. staggering along the promotion order). */
  readonly crossStack: readonly Finding[];
  /** Stacks with changes, in promotion order. */
  readonly stacks: readonly StackReview[];
  readonly unchangedStacks: readonly string[];
  /**
   * Each reviewed plan's fingerprint, by stack: `rollout --reviewed` applies a stack only when its
   * plan at deploy time has the same (stacks counted unchanged must plan no changes).
   */
  readonly fingerprints: Readonly<Record<string, PlanFingerprint>>;
}

function counts(plan: StackPlan): ChangeCounts {
  const result: ChangeCounts = { create: 0, update: 0, replace: 0, destroy: 0 };
  for (const change of plan.changes) {
    const kind = changeKind(change);
    if (kind) result[kind]++;
  }
  return result;
}

/** Findings that say the same about the same subject of a stack (one per region) become one. */
function merge(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.stack, f.severity, f.subject, f.message]);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, addresses: [...seen.addresses, ...f.addresses].sort() } : { ...f, addresses: [...f.addresses].sort() });
  }
  return [...byKey.values()];
}

/** What the plans cannot show: stacks gone from the configuration, and stacks that failed to plan. */
function summaryFindings(summary: PlanSummary & Partial<MergedSummary>): Finding[] {
  const about = (stack: string, message: string): Finding => ({
    stack,
    environment: environmentOf(stack),
    severity: "risk",
    subject: `stack ${stack}`,
    message,
    addresses: [],
  });
  return [
    ...summary.removed.map((stack) =>
      about(
        stack,
        `no longer in the configuration: deploying does not destroy it, its baselines and windows keep running; run cdktf destroy ${stack} from the base branch first if they should go`,
      ),
    ),
    ...summary.failed.map(({ stack, error }) => about(stack, `plan failed, not reviewed: ${error.split("\n")[0]}`)),
    ...(summary.regionMoves ?? []).map(({ region, from, to }) =>
      about(
        to,
        `region ${region} moves here from ${from}: deployed as it is, one stack destroys its resources while the other creates them under the same names; move their state first (docs/configuration.md, "Accounts in many regions")`,
      ),
    ),
    ...(summary.missingShards ?? []).flatMap(({ index, count, stacks }) =>
      stacks.map((stack) => about(stack, `not planned, not reviewed: shard ${index}/${count} did not report (see its job)`)),
    ),
  ];
}

/**
 * The review of a set of plans. With the summary of `plan-stacks`, stacks it did not plan
 * (unchanged since the base branch) count as unchanged, and removed or failed stacks are risks.
 */
export function reviewPlans(plans: readonly StackPlan[], context: ReviewContext, summary?: PlanSummary & Partial<MergedSummary>): Review {
  const rank = (environment: string) =>
    environment === "central"
      ? -1
      : context.promotionOrder.indexOf(environment) === -1
        ? context.promotionOrder.length
        : context.promotionOrder.indexOf(environment);
  const byOrder = <T extends { environment: string; stack: string }>(a: T, b: T) => rank(a.environment) - rank(b.environment) || a.stack.localeCompare(b.stack);
  const findingOrder = (a: Finding, b: Finding) => byOrder(a, b) || a.subject.localeCompare(b.subject) || a.message.localeCompare(b.message);

  const all = merge([...interpreters.flatMap((interpret) => interpret(plans, context)), ...(summary ? summaryFindings(summary) : [])]).sort(findingOrder);
  const crossStack = all.filter((f) => f.stack === "(all)");
  const stacks: StackReview[] = [];
  const unchangedStacks: string[] = [...(summary?.unchanged ?? []), ...(summary?.withoutChanges ?? [])];
  for (const plan of [...plans].sort(byOrder)) {
    const c = counts(plan);
    if (Object.values(c).every((n) => n === 0)) {
      unchangedStacks.push(plan.stack);
      continue;
    }
    stacks.push({ stack: plan.stack, environment: plan.environment, counts: c, findings: all.filter((f) => f.stack === plan.stack) });
  }
  const unchanged = unchangedStacks.map((stack) => ({ stack, environment: environmentOf(stack) })).sort(byOrder);
  const fingerprints = Object.fromEntries(
    plans.flatMap((p) => (p.fingerprint ? [[p.stack, p.fingerprint] as const] : [])).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { risks: all.filter((f) => f.severity === "risk"), crossStack, stacks, unchangedStacks: unchanged.map((s) => s.stack), fingerprints };
}
