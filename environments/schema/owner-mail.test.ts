import { describe, expect, it } from "vitest";
import { ownerEmailDomains, parseOrgConfig } from "./index.js";
import { exampleWith, problemsAfter } from "../../test/support/config.js";

describe("org.email.ownerDomains", () => {
  it("accepts domains and *. subdomain patterns", () => {
    expect(problemsAfter((d) => (d.org.email = { senderAddress: "patchline@example.com", ownerDomains: ["example.com", "*.corp.example.net"] }))).toEqual([]);
  });

  it.each([["Example.com"], ["@example.com"], ["alice@example.com"], ["example"], ["*example.com"], ["example.com."], ["-example.com"]])(
    "refuses %s, naming the field and what a domain is",
    (domain) => {
      expect(problemsAfter((d) => (d.org.email = { senderAddress: "patchline@example.com", ownerDomains: [domain] }))).toEqual([
        `org.email.ownerDomains[0]: ${JSON.stringify(domain)} is not a mail domain: lowercase labels of letters, digits and hyphens with a dot between them (e.g. "example.com"), or "*.example.com" for its subdomains`,
      ]);
    },
  );

  it("refuses an empty list and a domain listed twice", () => {
    expect(problemsAfter((d) => (d.org.email = { senderAddress: "patchline@example.com", ownerDomains: [] }))).toEqual([
      "org.email.ownerDomains: is empty: list at least one domain, or leave it out",
    ]);
    expect(problemsAfter((d) => (d.org.email = { senderAddress: "patchline@example.com", ownerDomains: ["example.com", "example.com"] }))).toEqual([
      'org.email.ownerDomains[1]: "example.com" is listed twice in org.email.ownerDomains',
    ]);
  });
});

describe("the owner domains owner mail uses", () => {
  it("are the configured ones", () => {
    const config = parseOrgConfig(
      exampleWith((d) => (d.org.email = { senderAddress: "patchline@example.com", ownerDomains: ["*.corp.example.net", "example.org"] })),
    );
    expect(ownerEmailDomains(config)).toEqual(["*.corp.example.net", "example.org"]);
  });

  it("default to the domains of the addresses the config mails: sender, approvers, escalation, notification subscribers", () => {
    const config = parseOrgConfig(
      exampleWith((d) => {
        d.org.email = { senderAddress: "patchline@mail.example.com" };
        d.org.notifications = { emailSubscribers: ["oncall@Ops.Example.net"] };
      }),
    );
    // the example's approvers and escalation addresses are all at example.com
    expect(ownerEmailDomains(config)).toEqual(["example.com", "mail.example.com", "ops.example.net"]);
  });

  it("are none when owner mail is off (no org.email)", () => {
    expect(ownerEmailDomains(parseOrgConfig(exampleWith((d) => delete d.org.email)))).toEqual([]);
  });
});
