import { describe, expect, it } from "vitest";
import type { Finding } from "./findings.js";
import { limitMarkdown, renderMarkdown } from "./markdown.js";
import type { Review, StackReview } from "./review.js";

describe("limitMarkdown", () => {
  const markdown = Array.from({ length: 100 }, (_, i) => `- line ${i}`).join("\n");

  it("keeps a review that fits", () => {
    expect(limitMarkdown(markdown, markdown.length, "review.json")).toBe(markdown);
  });

  it("cuts at a line boundary within the limit and says where the rest is", () => {
    const limited = limitMarkdown(markdown, 300, "review.json");
    expect(limited.length).toBeLessThanOrEqual(300);
    expect(limited.startsWith("- line 0\n- line 1\n")).toBe(true);
    expect(limited).toMatch(/\n- line \d+\n\n… cut here to fit 300 characters; the whole review is in review\.json\.\n$/);
  });
});

describe("renderMarkdown at hundreds of stacks", () => {
  const stacks = Array.from({ length: 300 }, (_, i) => `prod-app${String(i + 1).padStart(3, "0")}`);
  const finding = (stack: string, severity: Finding["severity"], subject: string, message: string): Finding => ({
    stack,
    environment: stack.split("-")[0]!,
    severity,
    subject,
    message,
    addresses: [`aws_thing.us-east-1_${subject}`, `aws_thing.eu-west-1_${subject}`],
  });
  const stackReview = (stack: string): StackReview => ({
    stack,
    environment: "prod",
    counts: { create: 0, update: stack === "prod-app017" ? 3 : 2, replace: 0, destroy: 0 },
    findings: [
      finding(stack, "change", "approve-after-days", "14 → 21 in patchline-prod-windows"),
      ...(stack === "prod-app017" ? [finding(stack, "change", "patch group app-prod (WINDOWS)", "replaced")] : []),
      ...(stack === "prod-app299" ? [] : [finding(stack, "change", "window prod-monthly", "duration 3 h → 4 h")]),
    ],
  });
  const review: Review = {
    risks: stacks.map((s) => finding(s, "risk", "window prod-monthly", "runs in business hours")),
    crossStack: [],
    stacks: stacks.map(stackReview),
    unchangedStacks: ["central"],
    fingerprints: {},
  };
  const markdown = renderMarkdown(review);

  it("says a change that holds in every stack once, with the count, and risks first", () => {
    expect(markdown).toContain(
      "### ⚠️ Risky changes (300)\n\n- **300 prod stacks** (prod-app001, prod-app002, prod-app003, prod-app004, prod-app005 and 295 more): **window prod-monthly**: runs in business hours\n",
    );
    expect(markdown).toContain("- **approve-after-days**: 14 → 21 in patchline-prod-windows — all 300 prod stacks\n");
    expect(markdown).toContain("- **window prod-monthly**: duration 3 h → 4 h — 299 of 300 prod stacks, all but prod-app299\n");
  });

  it("calls out the stacks whose plan differs from the majority", () => {
    expect(markdown).toContain("- except prod-app017: also **patch group app-prod (WINDOWS)**: replaced\n");
    expect(markdown).toContain("- except prod-app299: not **window prod-monthly**: duration 3 h → 4 h\n");
  });

  it("groups the counts table by identical counts, and stays a few lines long", () => {
    expect(markdown).toContain("| prod | 299 of 300 prod stacks, all but prod-app017 | 0 | 2 | 0 | 0 |\n| prod | prod-app017 | 0 | 3 | 0 | 0 |\n");
    expect(markdown.split("\n").length).toBeLessThan(30);
    expect(markdown.length).toBeLessThan(2000);
  });
});
