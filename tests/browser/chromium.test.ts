// The browser prerequisite: Debian's Chromium must be installed; its absence is a failure with the fix, not a skip.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHROMIUM_MISSING, CHROMIUM_PATH, launchChromium } from "../../scripts/fixtures/browser.ts";

describe("Chromium for the browser tests", () => {
  it(`is installed at ${CHROMIUM_PATH}`, () => {
    expect(existsSync(CHROMIUM_PATH), CHROMIUM_MISSING).toBe(true);
  });

  it("launches headless and renders a page", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent("<main><h1>ok</h1></main>");
      expect(await page.locator("h1").textContent()).toBe("ok");
    } finally {
      await browser.close();
    }
  });
});
