import type { Reconciliation } from "./reconcile.js";

/** What would change in the environment's account list, one line per account. */
export function renderReconciliation(environment: string, ous: readonly string[], recursive: boolean, r: Reconciliation, configuredCount: number): string {
  const out = [
    `${environment}: ${r.accounts.length - r.added.length} of ${configuredCount} configured accounts stay; OUs ${ous.join(", ")}${recursive ? " and every OU below them" : ""}`,
  ];
  for (const a of r.added) out.push(`  + add      ${a.name.padEnd(24)} ${a.id}  (AWS name ${JSON.stringify(a.awsName)})`);
  for (const m of r.missing)
    out.push(`  - ${m.pruned ? "remove  " : "missing "} ${m.name.padEnd(24)} ${m.id}  ${m.reason}${m.pruned ? "" : " (kept; --prune removes it)"}`);
  for (const n of r.renamed) {
    out.push(
      `  ~ renamed  ${n.name.padEnd(24)} ${n.id}  AWS name ${JSON.stringify(n.awsName)} derives ${JSON.stringify(n.derived)}; the configured name stays: it names the stack and its state`,
    );
  }
  for (const s of r.skipped) out.push(`  ! skipped  ${JSON.stringify(s.awsName).padEnd(24)} ${s.id}  ${s.reason}`);
  if (out.length === 1) out.push("  no changes");
  return out.join("\n");
}
