import { ensureChromium } from "../support/prerequisites.js";
import { requirePrerequisite } from "./prerequisite.js";

/** Before the browser tier: a Chromium, found or (as root on Debian) installed, handed to the tests through PATCHLINE_CHROMIUM. */
export default function setup(): void {
  requirePrerequisite(() => {
    process.env.PATCHLINE_CHROMIUM = ensureChromium();
  });
}
