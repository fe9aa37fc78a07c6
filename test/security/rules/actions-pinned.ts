import type { CiFile, CiRule, Finding } from "../rule.js";

/** `owner/repo[/path]@<40 hex>`: a commit, which nobody can move; a tag or a branch can be. */
const PINNED = /^[\w.-]+\/[\w.-]+(\/[^@]+)?@[0-9a-f]{40}$/;
/** A container image by its digest. */
const PINNED_IMAGE = /^docker:\/\/[^@]+@sha256:[0-9a-f]{64}$/;

interface UsesStep {
  readonly uses?: unknown;
}

/** Every `uses:` of a workflow's jobs (steps, and reusable workflows at job level) or of a composite action's steps. */
function usesOf(content: unknown): Array<{ where: string; uses: string }> {
  const found: Array<{ where: string; uses: string }> = [];
  const steps = (where: string, list: unknown) => {
    if (!Array.isArray(list)) return;
    list.forEach((step: UsesStep, i) => typeof step?.uses === "string" && found.push({ where: `${where} step ${i + 1}`, uses: step.uses }));
  };
  const doc = (content ?? {}) as { jobs?: Record<string, { uses?: unknown; steps?: unknown }>; runs?: { steps?: unknown } };
  for (const [name, job] of Object.entries(doc.jobs ?? {})) {
    if (typeof job?.uses === "string") found.push({ where: `job ${name}`, uses: job.uses });
    steps(`job ${name}`, job?.steps);
  }
  steps("runs", doc.runs?.steps);
  return found;
}

export const actionsPinned: CiRule = {
  id: "CI-1",
  description: "every action, reusable workflow and container a workflow uses is pinned to a commit SHA or an image digest",
  explanation:
    "A tag (`@v4`) is a pointer its owner, or whoever takes over the repository, can move to other code, which then runs with the job's OIDC token and the deploy roles; a full commit SHA cannot be moved. Local actions (`./…`) are reviewed with the change itself. Dependabot (.github/dependabot.yml) proposes the updates, with the tag in the trailing comment.",
  check(file: CiFile): Finding[] {
    return usesOf(file.content)
      .filter(({ uses }) => !uses.startsWith("./") && !PINNED.test(uses) && !PINNED_IMAGE.test(uses))
      .map(({ where, uses }) => ({ resource: `${file.path}: ${where}`, message: `uses ${uses}, which is not pinned to a commit SHA (or an image digest)` }));
  },
};
