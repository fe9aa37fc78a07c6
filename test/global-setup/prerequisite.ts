import { MissingPrerequisite } from "../support/prerequisites.js";

/** Runs a prerequisite check; one that cannot be met ends the whole run here, with one line saying what to install. */
export function requirePrerequisite(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(`\nnpm test cannot run: ${error.message}\n`);
    process.exit(1);
  }
}
