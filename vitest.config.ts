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
const exclude = ["node_modules/**", "cdktf.out/**", "dist/**", "bench/.work/**"];
const tiers = { synth: "**/*.synth.test.ts", terraform: "**/*.terraform.test.ts", browser: "**/*.browser.test.ts" };
// finds (or installs) terraform's provider and Chromium, builds the functions: what the heavier tiers need
const heavySetup = ["test/global-setup.ts"];

export default defineConfig({
  test: {
    setupFiles: ["test/setup.ts"],
    // terraform suites start provider processes (~0.5 GB each): two workers fit the 2-core CI machine
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 600_000,
    projects: [
      // unit files share one module graph per worker (isolate: false), which halves the tier's time:
      // they keep no state between tests that a later file could see (clients are mocked per test)
      { extends: true, test: { name: "unit", include: ["**/*.test.ts"], exclude: [...exclude, ...Object.values(tiers)], isolate: false } },
      ...Object.entries(tiers).map(([name, pattern]) => ({ extends: true as const, test: { name, include: [pattern], exclude, globalSetup: heavySetup } })),
    ],
  },
});
