import { describe, expect, it } from "vitest";
import type { OrganizationAccount } from "./organizations.js";
import { hasChanges, reconcile } from "./reconcile.js";

const found = (id: string, awsName: string, state = "ACTIVE"): OrganizationAccount => ({ id, awsName, state, parentId: "ou-ab12-prod0001" });
const configured = [
  { name: "payments-prod", id: "400000000001" },
  { name: "web-prod", id: "400000000002" },
  { name: "data-prod", id: "400000000003" },
];
const discovered = [
  found("400000000001", "Payments Prod"),
  found("400000000002", "Web Production"),
  found("400000000003", "Data Prod", "SUSPENDED"),
  found("400000000005", "Analytics Prod"),
  found("400000000006", "Sandbox", "PENDING_CLOSURE"),
  found("300000000001", "Payments Preprod"),
];
const elsewhere = new Map([["300000000001", "preprod"]]);

describe("reconcile", () => {
  it("adds active accounts, reports missing, renamed and skipped ones, and keeps missing ones without --prune", () => {
    const r = reconcile({ environment: "prod", configured, elsewhere, discovered, prune: false });
    expect(r.added).toEqual([{ id: "400000000005", name: "analytics-prod", awsName: "Analytics Prod" }]);
    expect(r.missing).toEqual([{ id: "400000000003", name: "data-prod", reason: "SUSPENDED in AWS Organizations", pruned: false }]);
    expect(r.renamed).toEqual([{ id: "400000000002", name: "web-prod", awsName: "Web Production", derived: "web-production" }]);
    expect(r.skipped).toEqual([
      { id: "400000000006", awsName: "Sandbox", reason: "PENDING_CLOSURE, not ACTIVE" },
      { id: "300000000001", awsName: "Payments Preprod", reason: "already in preprod; an account belongs to one environment" },
    ]);
    expect(r.accounts.map((a) => `${a.name}${a.isNew ? " (new)" : ""}`)).toEqual(["payments-prod", "web-prod", "data-prod", "analytics-prod (new)"]);
    expect(hasChanges(r)).toBe(true);
  });

  it("drops missing accounts with --prune, also those no longer in the OUs", () => {
    const r = reconcile({ environment: "prod", configured, elsewhere, discovered: discovered.filter((a) => a.id !== "400000000001"), prune: true });
    expect(r.missing.map((m) => `${m.name}: ${m.reason}`)).toEqual(["payments-prod: not in the given OUs", "data-prod: SUSPENDED in AWS Organizations"]);
    expect(r.accounts.map((a) => a.name)).toEqual(["web-prod", "analytics-prod"]);
  });

  it("gives a new account whose name is taken the last digits of its id", () => {
    const r = reconcile({ environment: "prod", configured, elsewhere, discovered: [...discovered, found("400000000077", "Payments Prod")], prune: false });
    expect(r.added.map((a) => a.name)).toEqual(["analytics-prod", "payments-prod-0077"]);
  });

  it("has no changes when the list matches", () => {
    const r = reconcile({ environment: "prod", configured, elsewhere, discovered: configured.map((a) => found(a.id, a.name)), prune: true });
    expect(r).toMatchObject({ added: [], missing: [], renamed: [], skipped: [] });
    expect(hasChanges(r)).toBe(false);
  });
});
