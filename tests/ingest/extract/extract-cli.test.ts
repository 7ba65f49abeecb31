// `npm run extract`: one page's extraction as JSON, exit 2 on bad arguments, 1 on an unreadable file.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoopbackServer, type LoopbackServer } from "../../../scripts/fixtures/loopback-server.ts";

const ROOT = join(import.meta.dirname, "../../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const FIXTURE = join(ROOT, "tests/fixtures/readability/nytimes-1/source.html");

async function extract(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(NODE, ["scripts/extract.ts", ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ARTICLE_HTML = `<!doctype html><html lang="en"><head><title>Open weights win the week - Loopback News</title>
  <meta property="og:site_name" content="Loopback News"></head><body><article><h1>Open weights win the week</h1>
  ${"<p>Open models are models whose weights anyone may download and run on their own machines.</p>".repeat(20)}
  </article></body></html>`;

let scratch: string;
let server: LoopbackServer;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "themata-extract-"));
  server = await startLoopbackServer((req, res) => {
    if (req.url === "/moved") {
      res.writeHead(301, { location: "/article" }).end();
    } else if (req.url === "/article") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ARTICLE_HTML);
    } else if (req.url === "/paper.pdf") {
      res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.7\n");
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("npm run extract on a file", () => {
  it("prints the extraction, cleaned title, reading time and level as JSON", async () => {
    const { code, stdout } = await extract(FIXTURE, "--url", "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      url: "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html",
      title: "United States to Lift Sudan Sanctions",
      cleanedTitle: "United States to Lift Sudan Sanctions",
      byline: "Jeffrey Gettleman",
      lang: "en",
      extraction: "full",
      wordCount: 749, // captions and credits under its photos are left out
      readingMinutes: 4,
    });
    for (const key of ["siteName", "publishedTime", "excerpt", "text", "image", "canonicalUrl", "extractionReason"]) {
      expect(report).toHaveProperty(key);
    }
    // The photo caption that came first is left out: the story opens the text, a paragraph break follows.
    expect(report.text).toMatch(/^LONDON — After nearly 20 years[^\n]*\n\n/);
  });

  it("resolves relative links against --url", async () => {
    const page = join(scratch, "relative.html");
    await writeFile(
      page,
      `<html><head><title>A saved page about open models</title><meta property="og:image" content="/lead.png"></head>
       <body><article><p>${"Open models are models whose weights anyone may download. ".repeat(30)}</p></article></body></html>`,
    );
    const withUrl = JSON.parse((await extract(page, "--url", "https://blog.example.com/post/1")).stdout);
    expect(withUrl.image).toEqual({ url: "https://blog.example.com/lead.png", alt: null });
    // Without --url there is nothing to resolve "/lead.png" against.
    const withoutUrl = JSON.parse((await extract(page)).stdout);
    expect(withoutUrl.image).toBeNull();
    expect(withoutUrl.url).toMatch(/^file:/);
  });

  it("decodes a saved page in the charset its <meta charset> names", async () => {
    const page = join(scratch, "latin1.html");
    const html = `<html><head><meta charset="iso-8859-1"><title>Café crème</title></head><body><p>Déjà vu</p></body></html>`;
    await writeFile(page, Buffer.from(html, "latin1"));
    expect(JSON.parse((await extract(page)).stdout).title).toBe("Café crème");
  });
});

describe("npm run extract on a URL (through the ingest's fetcher, to a loopback server)", () => {
  it("fetches the page, follows redirects and reports the final URL", async () => {
    const { code, stdout, stderr } = await extract(`${server.url}/moved`, "--allow-host", `127.0.0.1:${server.port}`);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.url).toBe(`${server.url}/article`);
    expect(report.fetched).toMatchObject({ finalUrl: `${server.url}/article`, status: 200 });
    expect(report).toMatchObject({
      siteName: "Loopback News",
      cleanedTitle: "Open weights win the week",
      lang: "en",
      extraction: "full",
    });
    expect(report.wordCount).toBeGreaterThanOrEqual(150);
  });

  it("is refused a loopback address unless --allow-host names it (exit 1)", async () => {
    const { code, stderr } = await extract(`${server.url}/article`);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^extract: failed: /);
    expect(stderr).toContain("127.0.0.1");
  });

  it("skips a page that is not HTML (exit 1, with the reason)", async () => {
    const { code, stderr } = await extract(`${server.url}/paper.pdf`, "--allow-host", `127.0.0.1:${server.port}`);
    expect(code).toBe(1);
    expect(stderr).toMatch(/skipped: .*unsupported content type application\/pdf/);
  });

  it("fails a 404 with exit 1", async () => {
    const { code, stderr } = await extract(`${server.url}/missing`, "--allow-host", `127.0.0.1:${server.port}`);
    expect(code).toBe(1);
    expect(stderr).toMatch(/404/);
  });
});

describe("npm run extract refuses", () => {
  it.each([
    [[], /give one FILE or URL/],
    [["a.html", "b.html"], /one FILE or URL, not 2/],
    [["a.html", "--nope"], /Unknown option '--nope'/],
    [["a.html", "--url", "ftp://x/y"], /--url must be an http\(s\) URL/],
    [["https://example.com/a", "--url", "https://example.com/b"], /--url is for a FILE/],
    [["a.html", "--allow-host", "127.0.0.1"], /--allow-host is for a URL/],
    [["http://127.0.0.1:9/a", "--allow-host", "127.0.0.1:99999"], /--allow-host: .*no valid port/],
  ])("bad arguments %j with exit 2 and the usage", async (args, message) => {
    const { code, stderr, stdout } = await extract(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain("usage: npm run extract");
    expect(stdout).toBe("");
  });

  it("an unreadable file with exit 1 and a clear message", async () => {
    const missing = await extract(join(scratch, "missing.html"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*missing\.html: no such file/);
    const folder = await extract(scratch);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/is a folder/);
  });
});
