import { describe, expect, it } from "vitest";
import { parsePercent, parseWaves, parseWaveTimeout, splitIntoWaves } from "./waves.js";

const accounts = (n: number) => Array.from({ length: n }, (_, i) => `a${i + 1}`);
const sizes = (waves: string[][]) => waves.map((w) => w.length);

describe("cutting accounts into waves", () => {
  it.each([
    // 5 % of 3 rounds up to one account; 25 % too, so the wave takes the next one
    [3, [5, 25, 100], [1, 1, 1]],
    [20, [5, 25, 100], [1, 4, 15]],
    [100, [5, 25, 100], [5, 20, 75]],
    [7, [10, 50, 100], [1, 3, 3]],
    // a wave never takes the accounts the waves after it need
    [3, [90, 95, 100], [1, 1, 1]],
    [10, [33.3, 66.7, 100], [4, 3, 3]],
    [1, [100], [1]],
  ])("%d accounts at %o: %o", (n, shares, expected) => {
    const waves = splitIntoWaves(accounts(n), shares);
    expect(sizes(waves)).toEqual(expected);
    expect(waves.flat()).toEqual(accounts(n));
  });

  it("is deterministic and keeps the order given", () => {
    expect(splitIntoWaves(["web", "payments", "data"], [50, 100])).toEqual([["web", "payments"], ["data"]]);
    expect(splitIntoWaves(["web", "payments", "data"], [50, 100])).toEqual(splitIntoWaves(["web", "payments", "data"], [50, 100]));
  });

  it("refuses more waves than accounts, saying what would do", () => {
    expect(() => splitIntoWaves(accounts(2), [5, 25, 100])).toThrow(
      "--waves: 3 waves for 2 accounts: every wave needs at least one account; give at most 2 percentages (e.g. --waves 50%,100%)",
    );
    expect(() => splitIntoWaves(accounts(1), [50, 100])).toThrow("give at most 1 percentages (--waves 100%)");
  });
});

describe("reading --waves and --max-failure-rate", () => {
  it("reads cumulative percentages", () => {
    expect(parseWaves("5%,25%,100%")).toEqual([5, 25, 100]);
    expect(parseWaves(" 12.5% , 100% ")).toEqual([12.5, 100]);
    expect(parseWaves("100%")).toEqual([100]);
  });

  it.each([
    ["5,25,100", '--waves: "5" is not a percentage: a number above 0 up to 100 with %, e.g. 5%'],
    ["0%,100%", '--waves: "0%" is not a percentage'],
    ["50%,150%", '--waves: "150%" is not a percentage'],
    [
      "25%,5%,100%",
      "--waves: 5% after 25%: the percentages are cumulative (the share of accounts patched once the wave is done), so each is larger than the one before",
    ],
    ["25%,25%,100%", "--waves: 25% after 25%"],
    ["5%,50%", "--waves: the last wave is 50%; it must be 100% so that every account is patched"],
    ["5%,,100%", '--waves: "5%,,100%" has an empty wave'],
    [
      Array.from({ length: 11 }, (_, i) => `${(i + 1) * 9}%`)
        .join(",")
        .replace("99%", "100%"),
      "--waves: 11 waves; a run has at most 10",
    ],
  ])("refuses %s", (text, message) => {
    expect(() => parseWaves(text)).toThrow(message);
  });

  it("reads a wave timeout in whole minutes within the run's limits", () => {
    expect(parseWaveTimeout("15")).toBe(15);
    expect(parseWaveTimeout(" 1440 ")).toBe(1440);
    for (const text of ["14", "1441", "90m", "1.5", ""])
      expect(() => parseWaveTimeout(text)).toThrow(`--wave-timeout: ${JSON.stringify(text)} is not a time in minutes: a whole number from 15 to 1440`);
  });

  it("reads a failure rate, 0 % included", () => {
    expect(parsePercent("5%", "--max-failure-rate", { allowZero: true })).toBe(5);
    expect(parsePercent("0%", "--max-failure-rate", { allowZero: true })).toBe(0);
    expect(() => parsePercent("five", "--max-failure-rate", { allowZero: true })).toThrow(
      '--max-failure-rate: "five" is not a percentage: a number from 0 up to 100 with %, e.g. 5%',
    );
  });
});
