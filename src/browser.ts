/**
 * The script-tag entry: every public export, as the `NextAuthWS` global,
 * and the `nextAuth` global of the pasted script (see `legacy.ts`).
 *
 * Its only side effect is installing `window.nextAuth`, unless the page
 * already has one: the pasted script, or a second copy of this bundle.
 *
 * @packageDocumentation
 */

import { createLegacy } from "./legacy";
import type { LegacyNextAuth } from "./legacy";

export * from "./index";

interface LegacyWindow {
  nextAuth?: LegacyNextAuth | Node | null;
}

if (typeof window === "object") {
  const page = window as LegacyWindow;
  // An element with id="nextAuth" shows up as window.nextAuth (named
  // access); that is not the pasted script's object, so it is shadowed.
  if (!page.nextAuth || "nodeType" in page.nextAuth) {
    page.nextAuth = createLegacy();
  }
}
