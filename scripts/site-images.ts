/** `node scripts/site-images.ts`: the site's PNG icons (from public/favicon.svg) and its default social card, written into public/. Run again after changing the logo or the site's name. */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { renderCard } from "../src/ingest/cards/card.ts";
import { SITE } from "../src/site.config.ts";

const PUBLIC = fileURLToPath(new URL("../public/", import.meta.url));
const svg = await readFile(join(PUBLIC, "favicon.svg"));
const ICONS: [string, number][] = [
  ["favicon-32.png", 32],
  ["apple-touch-icon.png", 180],
  ["icon-192.png", 192],
  ["icon-512.png", 512],
];
for (const [name, size] of ICONS) {
  await sharp(svg, { density: Math.ceil((72 * size) / 32) })
    .resize(size, size)
    .png()
    .toFile(join(PUBLIC, name));
  console.log(`public/${name} (${size}×${size})`);
}
await writeFile(
  join(PUBLIC, "social-card.png"),
  await renderCard({
    siteName: SITE.name,
    title: "AI news with clear summaries, key takeaways and what the community thinks",
    source: new URL(SITE.url).host,
    date: "",
  }),
);
console.log("public/social-card.png (1200×630)");
