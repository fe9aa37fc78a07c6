import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { problemLine } from "./growth.js";
import { checkChangeCalendars } from "./safety-nets.js";

const freezes = (n: number, reasonLength: number) =>
  Array.from({ length: n }, (_, i) => ({
    start: `2027-${String((i % 12) + 1).padStart(2, "0")}-01`,
    end: `2027-${String((i % 12) + 1).padStart(2, "0")}-02`,
    timeZone: "US/Central",
    reason: `${i} ${"x".repeat(reasonLength)}`,
  }));
const lines = (change: Parameters<typeof exampleWith>[0]) => checkChangeCalendars(parseOrgConfig(exampleWith(change))).map(problemLine);

describe("the change calendar's size (an SSM document, 64 KB)", () => {
  it("holds the most freezes the schema allows with short reasons", () => {
    expect(
      lines((d) => {
        d.org.freezes = freezes(100, 20);
        d.environments.prod.freezes = freezes(100, 20);
      }),
    ).toEqual([]);
  });

  it("is a configuration problem at the environment when the reasons make it too large", () => {
    const problems = lines((d) => {
      d.org.freezes = freezes(100, 180);
      d.environments.prod.freezes = freezes(100, 180);
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^prod\.freezes: with org\.freezes the change calendar of prod would hold 200 freezes in [\d,]+ bytes, above the 65,536 bytes of an SSM document/,
    );
  });
});
