import { defineConfig } from "vitest/config";

/**
 * Four tiers, by the file name's suffix; `npm test` runs them all, `npm run test:unit` the first.
 * - unit (`*.test.ts`): logic, schema, constructs in memory, state machines run locally, handlers
 *   against mocked AWS. No esbuild bundle, no terraform, no browser, no global setup.
 * - synth (`*.synth.test.ts`): needs the bundled functions (global setup builds them) or runs the
 *   project's own commands in a copy of the repository.
 * - terraform (`*.terraform.test.ts`): runs terraform (validate, offline plan) against the provider.
 * - browser (`*.browser.test.ts`): drives Chromium.
 */
const exclude = ["**/node_modules/**", "cdktf.out/**", "dist/**", "bench/.work/**"];
// each heavier tier prepares only what it uses: the bundled functions, terraform and its provider, Chromium
const tiers = {
  synth: { include: "**/*.synth.test.ts", globalSetup: ["test/global-setup/build-functions.ts"] },
  terraform: { include: "**/*.terraform.test.ts", globalSetup: ["test/global-setup/terraform.ts", "test/global-setup/build-functions.ts"] },
  browser: { include: "**/*.browser.test.ts", globalSetup: ["test/global-setup/chromium.ts"] },
};

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    // terraform suites start provider processes (~0.5 GB each): two workers fit the 2-core CI machine
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 600_000,
    projects: [
      // unit files share one module graph per worker (isolate: false), which halves the tier's time;
      // a file that changes the process (stubbed environment variables) undoes it in afterAll
      {
        extends: true,
        test: { name: "unit", include: ["**/*.test.ts"], exclude: [...exclude, ...Object.values(tiers).map((tier) => tier.include)], isolate: false },
      },
      ...Object.entries(tiers).map(([name, tier]) => ({
        extends: true as const,
        test: { name, include: [tier.include], exclude, globalSetup: tier.globalSetup },
      })),
    ],
  },
});
