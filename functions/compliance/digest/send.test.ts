import { describe, expect, it } from "vitest";
import { exampleCatalog } from "../../../test/support/catalog.js";
import { sampleReport } from "../../../test/support/compliance-fixtures.js";
import type { Channel } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { InvalidInput } from "../../shared/input.js";
import { sendDigest, type DigestDeps } from "./send.js";

const task = {
  channel: { name: "security-slack", type: "slack", destination: "patchline/chat/security-slack" },
  report: {
    bucket: "reports",
    keys: { json: "runs/r1/report.json", html: "reports/r1.html" },
    consoleUrl: "https://console.aws.amazon.com/s3/object/reports?prefix=reports/r1.html",
  },
};

function deps() {
  const read: string[] = [];
  const delivered: { channel: Channel; document: NoticeDocument }[] = [];
  const d: DigestDeps = {
    catalog: async () => exampleCatalog,
    readReport: async (bucket, key) => {
      read.push(`${bucket}/${key}`);
      return sampleReport(3);
    },
    deliver: async (channel, document) => {
      delivered.push({ channel, document });
      return { channel: channel.name, messages: 1 };
    },
    log: () => undefined,
  };
  return { deps: d, read, delivered };
}

describe("one channel of the digest", () => {
  it("reads the run's report and delivers its digest, linking the report, to the channel it was given", async () => {
    const { deps: d, read, delivered } = deps();
    expect(await sendDigest(task, d)).toEqual({ channel: "security-slack", messages: 1 });
    expect(read).toEqual(["reports/runs/r1/report.json"]);
    expect(delivered.map((x) => x.channel.name)).toEqual(["security-slack"]);
    expect(JSON.stringify(delivered[0]!.document)).toContain("s3://reports/reports/r1.html");
  });

  it("refuses a task that is not one, before reading anything", async () => {
    const { deps: d, read } = deps();
    await expect(sendDigest({ channel: { name: "x" } }, d)).rejects.toBeInstanceOf(InvalidInput);
    expect(read).toEqual([]);
  });
});
