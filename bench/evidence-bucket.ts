import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { reportsBucket } from "./compliance-run.js";
import type { Fakes } from "./collection.js";

/**
 * The buckets of the report step in memory: the reports bucket as the compliance-run benchmark
 * keeps it, and the evidence bucket, whose writes are conditional (If-None-Match, If-Match) as S3
 * applies them and whose objects are kept as Buffers, outside the JS heap the benchmark measures
 * (S3 holds them, not the function).
 */
export function reportAndEvidenceBuckets(
  fakes: Fakes,
  reports: Map<string, string | Buffer>,
  evidenceBucket: string,
  evidence: Map<string, { readonly body: Buffer; readonly etag: string }>,
): S3Client {
  const reportsS3 = reportsBucket(fakes, reports);
  let versions = 0;
  const failed = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  class FakeS3 extends S3Client {
    override send(command: unknown): Promise<never> {
      const input = (command as { input: Record<string, unknown> }).input;
      if (input.Bucket !== evidenceBucket) return reportsS3.send(command as never) as Promise<never>;
      const key = String(input.Key);
      if (command instanceof GetObjectCommand)
        return fakes.answer("s3:GetObject (evidence)", () => {
          const object = evidence.get(key);
          if (!object) throw failed("NoSuchKey", 404);
          return { Body: { transformToString: async () => object.body.toString("utf8") }, ETag: object.etag };
        }) as Promise<never>;
      if (command instanceof PutObjectCommand)
        return fakes.answer("s3:PutObject (evidence)", () => {
          const existing = evidence.get(key);
          if (input.IfNoneMatch === "*" && existing) throw failed("PreconditionFailed", 412);
          if (input.IfMatch !== undefined && input.IfMatch !== existing?.etag) throw failed("PreconditionFailed", 412);
          evidence.set(key, { body: Buffer.from(String(input.Body)), etag: `"${++versions}"` });
          return {};
        }) as Promise<never>;
      throw new Error(`the fake evidence bucket answers no ${(command as object).constructor.name}`);
    }
  }
  return new FakeS3({ region: "us-east-1" });
}
