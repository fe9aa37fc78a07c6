import type { CustomMatcher } from "aws-sdk-client-mock-vitest";

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Assertion<T = any>; a merged declaration must match it
  interface Assertion<T = any> extends CustomMatcher<T> {}
  interface AsymmetricMatchersContaining extends CustomMatcher {}
}
