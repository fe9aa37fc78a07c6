import { describe, expect, it } from "vitest";
import { exampleWith, problemsAfter } from "../../test/support/config.js";
import { parseOrgConfig } from "./index.js";

const jwt = { issuer: "https://login.example.com/oauth2/default", audience: ["patchline-approvals"] };
const LINK_DECIDES =
  "prod.approval.channels: would post each request's decision link to every member of these channels, and without org.approval.jwt.approversOnly the link alone decides: " +
  "turn approversOnly on (only approvers and the instance's owner, signed in, may decide), or set channelMembersMayDecide: true to accept that any channel member may";

describe("approval channels of an environment", () => {
  it("are none unless listed, and channel members may not decide unless acknowledged", () => {
    const prod = parseOrgConfig(exampleWith(() => {})).environments.find((e) => e.name === "prod")!;
    expect(prod.approval).toMatchObject({ channels: [], channelMembersMayDecide: false });
  });

  it("take Teams and Slack channels of org.channels once members may decide", () => {
    const input = exampleWith((d) =>
      Object.assign(d.environments.prod.approval, { channels: ["platform-teams", "security-slack"], channelMembersMayDecide: true }),
    );
    expect(parseOrgConfig(input).environments.find((e) => e.name === "prod")!.approval!.channels).toEqual(["platform-teams", "security-slack"]);
  });

  it("need no acknowledgement when only approvers and owners, signed in, may decide", () => {
    expect(
      problemsAfter((d) => {
        d.org.approval.jwt = { ...jwt, approversOnly: true };
        d.environments.prod.approval.channels = ["platform-teams"];
      }),
    ).toEqual([]);
  });

  it("name the channel that is not defined, the one that is e-mail, and the one listed twice", () => {
    expect(
      problemsAfter((d) => {
        d.environments.prod.approval.channels = ["platform-teems", "patching-mail", "security-slack", "security-slack"];
        d.environments.prod.approval.channelMembersMayDecide = true;
      }),
    ).toEqual([
      'prod.approval.channels[3]: "security-slack" is listed twice in channels',
      'prod.approval.channels[0]: "platform-teems" is not a channel in org.channels (defined: platform-teams, security-slack, app-teams-slack, patching-mail)',
      'prod.approval.channels[1]: "patching-mail" is an e-mail channel; approval requests go to Teams or Slack channels only, and by e-mail to prod.approval.approverEmails (list the addresses there)',
    ]);
  });

  it("reject a channel name that is no channel name", () => {
    expect(problemsAfter((d) => Object.assign(d.environments.prod.approval, { channels: ["Platform Teams"], channelMembersMayDecide: true }))).toEqual([
      'prod.approval.channels[0]: "Platform Teams" is not a valid channel name: 3-32 lowercase letters, digits and hyphens, starting with a letter',
    ]);
  });

  it.each([
    ["without a JWT authorizer", () => undefined],
    ["with a JWT authorizer that lets anyone signed in decide", () => ({ ...jwt })],
    ["with approversOnly off", () => ({ ...jwt, approversOnly: false })],
  ])("refuse to post the link where every member reads it %s, unless acknowledged", (_, jwtSetting) => {
    const problemsWhen = (acknowledged: boolean | undefined) =>
      problemsAfter((d) => {
        const setting = jwtSetting();
        if (setting) d.org.approval.jwt = setting;
        d.environments.prod.approval.channels = ["platform-teams"];
        if (acknowledged !== undefined) d.environments.prod.approval.channelMembersMayDecide = acknowledged;
      });
    expect(problemsWhen(undefined)).toEqual([LINK_DECIDES]);
    expect(problemsWhen(false)).toEqual([LINK_DECIDES]);
    expect(problemsWhen(true)).toEqual([]);
  });

  it("are not held against an environment whose workflow is off", () => {
    expect(
      problemsAfter((d) => {
        d.environments.prod.approval.enabled = false;
        d.environments.prod.approval.channels = ["platform-teams"];
      }),
    ).toEqual([]);
  });

  it("reject an acknowledgement that is not a boolean", () => {
    expect(problemsAfter((d) => (d.environments.prod.approval.channelMembersMayDecide = "yes"))).toEqual([
      'prod.approval.channelMembersMayDecide: "yes" is not a boolean',
    ]);
  });
});
