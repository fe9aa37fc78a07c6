import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { evidenceKeys, InvalidEvidence } from "../../contracts/evidence.js";
import { promotionRecordPath, promotionRecordSchema, type PromotionRecord } from "../../contracts/promotion-record.js";
import { ConfigError, parseOrgConfig, type OrgConfig, type OrgConfigInput } from "../../environments/schema/index.js";
import { Naming } from "../../stacks/naming.js";
import { parseCommandLine, type CommandIo } from "../lib/cli.js";
import { recordDifferences } from "./check.js";
import { decidePromotion, PromotionRefused } from "./decide.js";
import { describePromotion } from "./describe.js";
import { EvidenceUnreadable, readEvidence, type ObjectReader } from "./source.js";

export const usage = `usage: npm run promote -- --from <env> --to <env> [--evidence <file|s3-uri>] [--dry-run]
       npm run promote -- --check [--to <env>] [--evidence <file|s3-uri>] [--allow-file-evidence]

Decides which patches <to> installs because they passed <from>: reads the latest evidence of
<from> (default: its summary in the evidence bucket, with your AWS credentials; or an evidence
document as a file or s3:// URI), applies <to>.promotion's rules and writes the promotion record
${promotionRecordPath("<to>")} for a pull request. npm run synth renders <to>'s baselines from it.
  --dry-run  print the record and what it means, write nothing
  --check    check the committed record(s) against their evidence and the rules as configured now;
             a record must name the compliance run's evidence in the evidence bucket, unless
             --allow-file-evidence (offline trials with a file, never for a pull request)
Exits 1 when the promotion is refused or a record does not hold, 2 on bad input.`;

export interface PromoteDeps {
  readonly io: CommandIo;
  readonly input: OrgConfigInput;
  /** Reads an object of an s3:// URI (credentials from the environment). */
  readonly read: (region: string) => ObjectReader;
  /** The repository root: records are written below it, relative evidence files are read from it. */
  readonly cwd: string;
}

/** The organization without one target's record: promote replaces a record that synth would refuse (too old, rules changed). */
function configWithout(input: OrgConfigInput, environment: string | undefined, io: CommandIo): OrgConfig | undefined {
  const promotions = Object.fromEntries(Object.entries(input.promotions ?? {}).filter(([name]) => name !== environment));
  try {
    return parseOrgConfig({ ...input, promotions }, { now: io.now() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.error(error.message);
    return undefined;
  }
}

/** Written beside the record and renamed over it: a failure leaves the old record as it was. */
function writeAtomically(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** What `npm run promote` runs; returns the exit code. */
export async function promoteCommand(argv: readonly string[], deps: PromoteDeps): Promise<number> {
  const { io } = deps;
  const args = parseCommandLine(
    {
      args: [...argv],
      options: {
        from: { type: "string" },
        to: { type: "string" },
        evidence: { type: "string" },
        "dry-run": { type: "boolean" },
        check: { type: "boolean" },
        "allow-file-evidence": { type: "boolean" },
        help: { type: "boolean" },
      },
    },
    usage,
    io,
  );
  if ("exitCode" in args) return args.exitCode;
  const { from, to, evidence, check } = args.values;
  if (check) {
    if (args.values["dry-run"] || from !== undefined) {
      io.error(`--check takes --to and --evidence only: it checks the committed records\n\n${usage}`);
      return 2;
    }
    return checkRecords(deps, to, evidence, args.values["allow-file-evidence"] === true);
  }
  for (const [flag, value] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (value === undefined || value === "") {
      io.error(`${flag}: missing: name an environment\n\n${usage}`);
      return 2;
    }
  }
  const config = configWithout(deps.input, to, io);
  if (!config) return 2;
  const named = (flag: string, name: string) => {
    const env = config.environments.find((e) => e.name === name);
    if (!env) io.error(`${flag}: ${JSON.stringify(name)} is not an environment; configured: ${config.environments.map((e) => e.name).join(", ")}`);
    return env;
  };
  const source = named("--from", from!);
  const target = named("--to", to!);
  if (!source || !target) return 2;
  if (!target.promotion) {
    io.error(`--to: ${target.name} has no promotion configured; add ${target.name}.promotion = { from: "${source.name}" } to its environment file first`);
    return 2;
  }
  if (target.promotion.from !== source.name) {
    io.error(`--from: ${target.name} is promoted from ${target.promotion.from} (${target.name}.promotion.from), not from ${source.name}`);
    return 2;
  }

  let record: PromotionRecord;
  try {
    const read = await readEvidence({
      evidence,
      from: source.name,
      evidenceBucket: new Naming(config.org).evidenceBucket,
      read: deps.read(config.org.central.region),
      cwd: deps.cwd,
    });
    record = decidePromotion({ evidence: read, from: source, to: target, now: io.now() });
  } catch (error) {
    if (error instanceof PromotionRefused || error instanceof InvalidEvidence) {
      io.error(`promotion of ${target.name} refused: ${error.message}`);
      return 1;
    }
    if (error instanceof EvidenceUnreadable) {
      io.error(`--evidence: ${error.message}`);
      return 2;
    }
    throw error;
  }
  // the record must be one synth accepts: refuse it here rather than break the next synth
  try {
    parseOrgConfig({ ...deps.input, promotions: { ...deps.input.promotions, [target.name]: record } }, { now: io.now() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.error(`promotion of ${target.name} refused; synth would not accept this record:\n${error.message}`);
    return 1;
  }
  const text = `${JSON.stringify(record, null, 2)}\n`;
  io.print(describePromotion(record));
  if (!record.evidence.source.startsWith("s3://"))
    io.print(
      `note: the evidence is a file (${record.evidence.source}): npm run promote -- --check, which pull requests run, accepts only the compliance run's evidence in the evidence bucket`,
    );
  if (args.values["dry-run"]) {
    io.print(text);
    return 0;
  }
  const path = promotionRecordPath(target.name);
  try {
    writeAtomically(join(deps.cwd, path), text);
  } catch (error) {
    io.error(`cannot write ${path}: ${(error as Error).message}; nothing was written`);
    return 1;
  }
  io.print(`wrote ${path}: open a pull request with it; its plans show ${target.name}'s baselines as they will be`);
  return 0;
}

/** `--check`: each committed record (or --to's) is accepted by synth and is what its evidence and the rules give now. */
async function checkRecords(deps: PromoteDeps, to: string | undefined, evidence: string | undefined, allowFileEvidence: boolean): Promise<number> {
  const { io } = deps;
  const records = Object.entries(deps.input.promotions ?? {}).filter(([name]) => to === undefined || name === to);
  if (to !== undefined && records.length === 0) {
    io.error(`--to: ${promotionRecordPath(to)} does not exist; write it with npm run promote -- --from <env> --to ${to}`);
    return 2;
  }
  if (records.length === 0) {
    io.print("no promotion records to check");
    return 0;
  }
  let config: OrgConfig;
  try {
    config = parseOrgConfig(deps.input, { now: io.now() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.error(error.message);
    return 1;
  }
  let failed = false;
  for (const [name] of records) {
    const target = config.environments.find((e) => e.name === name)!;
    const committed = promotionRecordSchema.parse(target.promotionRecord);
    const source = config.environments.find((e) => e.name === committed.from)!;
    const bucket = new Naming(config.org).evidenceBucket;
    const runDocument = `s3://${bucket}/${evidenceKeys.run(committed.from, committed.evidence.id.slice(committed.from.length + 1))}`;
    if (!allowFileEvidence && (!committed.evidence.id.startsWith(`${committed.from}/`) || committed.evidence.source !== runDocument)) {
      io.error(
        `${promotionRecordPath(name)}: its evidence ${committed.evidence.source} is not the compliance run's: a record to merge is made from the run's document in the evidence bucket (under Object Lock), ${runDocument}; run npm run promote -- --from ${committed.from} --to ${name} without --evidence`,
      );
      failed = true;
      continue;
    }
    let recomputed: PromotionRecord;
    try {
      const read = await readEvidence({
        evidence: evidence ?? committed.evidence.source,
        from: source.name,
        evidenceBucket: bucket,
        read: deps.read(config.org.central.region),
        cwd: deps.cwd,
      });
      recomputed = decidePromotion({ evidence: read, from: source, to: target, now: new Date(committed.createdAt) });
    } catch (error) {
      if (!(error instanceof EvidenceUnreadable || error instanceof InvalidEvidence || error instanceof PromotionRefused)) throw error;
      io.error(`${promotionRecordPath(name)}: cannot check against ${evidence ?? committed.evidence.source}: ${error.message}`);
      failed = true;
      continue;
    }
    const differences = recordDifferences(committed, recomputed);
    if (differences.length === 0) io.print(`${promotionRecordPath(name)}: holds. ${describePromotion(committed)}`);
    else {
      failed = true;
      io.error(
        `${promotionRecordPath(name)}: does not match its evidence and the rules; run npm run promote -- --from ${committed.from} --to ${name}:\n  ${differences.join("\n  ")}`,
      );
    }
  }
  return failed ? 1 : 0;
}
