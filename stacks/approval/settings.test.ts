import { describe, expect, it } from "vitest";
import { parseOrgConfig } from "../../environments/schema/index.js";
import { exampleWith } from "../../test/support/config.js";
import { Naming } from "../naming.js";
import { approvalSettings } from "./settings.js";

describe("approval settings and change freezes", () => {
  const config = parseOrgConfig(exampleWith((d) => (d.environments.prod.freezes = [])));
  const prod = config.environments.find((e) => e.name === "prod")!;
  const naming = new Naming(config.org);

  it("the patch step checks the change calendar when only the organization has freezes", () => {
    expect(approvalSettings(prod, prod.approval!, naming, config.org).changeCalendar).toBe("patchline-change-freezes");
    expect(approvalSettings(prod, prod.approval!, naming, { freezes: [] }).changeCalendar).toBeNull();
  });

  it("takes the organization's freezes from every caller: leaving them out does not compile", () => {
    // @ts-expect-error org is required: a default of no freezes would drop org.freezes silently
    expect(() => approvalSettings(prod, prod.approval!, naming)).toThrow();
  });
});
