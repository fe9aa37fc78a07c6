import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { exampleCatalog } from "../../test/support/catalog.js";
import { s3Body } from "../../test/support/s3-body.js";
import { loadFleetCatalog } from "./catalog-loader.js";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1", maxAttempts: 1 });
beforeEach(() => s3.reset());

describe("loading the fleet catalog", () => {
  it("parses what Terraform wrote", async () => {
    s3.on(GetObjectCommand, { Bucket: "reports", Key: "catalog/fleet.json" }).resolves({ Body: s3Body(JSON.stringify(exampleCatalog)) } as never);
    expect(await loadFleetCatalog(client, "reports", "catalog/fleet.json")).toEqual(exampleCatalog);
  });

  it("says TransientAwsError when S3 throttles or fails on its side, so the state machine retries", async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error("Please reduce your request rate."), { name: "SlowDown", $fault: "server", $metadata: { httpStatusCode: 503 } }),
    );
    await expect(loadFleetCatalog(client, "reports", "catalog/fleet.json")).rejects.toMatchObject({ name: "TransientAwsError" });
  });

  it("passes a missing catalog on as it is: retrying does not deploy the central stack", async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } }));
    await expect(loadFleetCatalog(client, "reports", "catalog/fleet.json")).rejects.toMatchObject({ name: "NoSuchKey" });
  });
});
