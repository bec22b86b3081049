// Run axe-core's WCAG 2.2 AA rules on an HTML file in headless Chromium.
// Usage: node a11y-check.mjs FILE.html   (exit 1 on any violation)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const file = process.argv[2];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = false;
try {
  const page = await browser.newPage();
  for (const [label, width, media] of [["screen", 1280, "screen"], ["narrow screen", 390, "screen"],
                                       ["print", 794, "print"]]) {
    await page.setViewport({ width, height: 1000 });
    await page.emulateMediaType(media);
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const result = await page.evaluate(() =>
      axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        resultTypes: ["violations"],
      }),
    );
    console.log(`${label}: ${result.passes.length} rules passed, ${result.violations.length} violated` +
                `, ${result.incomplete.length} need a person to review`);
    for (const v of result.incomplete) console.log(`  to review: ${v.id}: ${v.help} (${v.nodes.length} elements)`);
    for (const v of result.violations) {
      failed = true;
      console.log(`  ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const node of v.nodes.slice(0, 5)) console.log(`    ${node.target.join(" ")}: ${node.failureSummary}`);
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
