import type { EnvironmentInput } from "./environment.js";
import type { OrgInput } from "./org.js";

/** The organization as written in environments/, before validation. */
export interface OrgConfigInput {
  readonly org: OrgInput;
  readonly environments: Readonly<Record<string, EnvironmentInput>>;
  /** Promotion records by target environment, as read from `environments/promotions/<env>.json`. */
  readonly promotions?: Readonly<Record<string, unknown>>;
}

/** One configuration problem: where (a path as users write it) and what is wrong. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}
