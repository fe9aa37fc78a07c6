import { describe, expect, it } from "vitest";
import { limitMarkdown } from "./markdown.js";

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
