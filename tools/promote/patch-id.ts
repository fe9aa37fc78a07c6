import type { PatchComplianceData } from "../../contracts/evidence.js";

/**
 * The id a baseline lists a patch by (approved and rejected patches), per operating system, from
 * what DescribeInstancePatches reports:
 * - Windows: the KB id (`KB5034441`), exact.
 * - RPM families (Amazon Linux, RHEL, Rocky, Alma, Oracle): the title `name.arch:epoch:version-release`
 *   becomes `name-version-release.arch`, one of Patch Manager's package name formats; exact to the
 *   package version.
 * - Debian and Ubuntu: the package name (KBId without its architecture): holding it back holds back
 *   every version of the package, the safe side of approximate.
 */
const rpmTitle = /^(?<name>.+)\.(?<arch>[^.:]+):(?<epoch>\d+):(?<version>[^-]+)-(?<release>.+)$/;
const debianArchitectures = new Set(["amd64", "arm64", "i386", "armhf", "all"]);

export function baselinePatchId(os: string, patch: Pick<PatchComplianceData, "KBId" | "Title">): string {
  if (os === "WINDOWS") return patch.KBId;
  if (os === "UBUNTU" || os === "DEBIAN") {
    const dot = patch.KBId.lastIndexOf(".");
    return dot > 0 && debianArchitectures.has(patch.KBId.slice(dot + 1)) ? patch.KBId.slice(0, dot) : patch.KBId;
  }
  const match = rpmTitle.exec(patch.Title);
  if (!match?.groups) return patch.KBId;
  const { name, arch, version, release } = match.groups;
  return `${name}-${version}-${release}.${arch}`;
}
