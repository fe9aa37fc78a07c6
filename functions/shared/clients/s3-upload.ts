import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

/** An S3 object written piece by piece: a multipart upload (lib-storage) fed from a stream. */
export interface StreamingUpload {
  /** Appends text; waits while the parts before it are still being sent. */
  write(text: string): Promise<void>;
  /** Completes the upload: only now does the object exist. */
  end(): Promise<void>;
  /** Abandons the upload: no object, no parts left behind. */
  abort(): Promise<void>;
}

/** Part size: S3's 5 MiB minimum plus room; `queueSize` parts in flight bound the memory (16 MiB). */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Starts writing `s3://bucket/key` from text produced bit by bit, so an object larger than the
 * function's memory can be written. An object smaller than one part is sent as one PutObject.
 */
export function streamingUpload(s3: S3Client, params: { Bucket: string; Key: string; ContentType: string }): StreamingUpload {
  const body = new PassThrough();
  const upload = new Upload({ client: s3, params: { ...params, Body: body }, partSize: PART_BYTES, queueSize: 2, leavePartsOnError: false });
  let failure: { error: unknown } | undefined;
  const done = upload.done();
  // a failed upload rejects `done` while the writer may be waiting for the stream to drain
  const failed = new Promise<never>((_, reject) =>
    done.catch((error: unknown) => {
      failure = { error };
      reject(error);
    }),
  );
  failed.catch(() => undefined);
  return {
    async write(text) {
      if (failure) throw failure.error;
      if (!body.write(text)) await Promise.race([once(body, "drain"), failed]);
    },
    async end() {
      body.end();
      await done;
    },
    async abort() {
      // a failing body fails the upload's part readers, and lib-storage then aborts the multipart
      // upload before `done` settles (Upload.abort() would settle `done` before that)
      body.destroy(new Error("the object's writer gave up"));
      await done.catch(() => undefined);
    },
  };
}
