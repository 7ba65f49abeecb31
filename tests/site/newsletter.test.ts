// With a newsletter endpoint configured, the subscribe block shows an email form posting to it.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildSite, loadHtml, type BuiltSite } from "../helpers/build-site.ts";

const CONTENT = fileURLToPath(new URL("../fixtures/site-content", import.meta.url));
const ENDPOINT = "https://newsletter.example.org/subscribe";
let site: BuiltSite;

beforeAll(async () => {
  site = await buildSite(CONTENT, { env: { THEMATA_NEWSLETTER_ENDPOINT: ENDPOINT } });
}, 240_000);

afterAll(async () => {
  await site?.cleanup();
});

it("shows an email form posting `email` to the configured endpoint, beside the RSS link", async () => {
  const $ = await loadHtml(site.outDir, "/");
  const form = $(".sidebar .subscribe form");
  expect(form.attr("action")).toBe(ENDPOINT);
  expect(form.attr("method")).toBe("post");
  const input = form.find("input[type=email][name=email]");
  expect(input.attr("required")).toBeDefined();
  expect($(`label[for='${input.attr("id")}']`).text()).toBe("Email address");
  expect(form.find("button[type=submit]").text()).toBe("Subscribe");
  expect($(".sidebar .subscribe a[href='/rss.xml']")).toHaveLength(1);
});
