// cleanTitle: site names come off a headline's ends; headlines themselves are never cut.
import { describe, expect, it } from "vitest";
import { cleanTitle } from "../../../src/ingest/extract/title.ts";

const HEADLINE = "For Most of the World, Open-Source AI Is the Only Way Forward";

describe("cleanTitle strips a site-name suffix", () => {
  it.each([
    [`${HEADLINE} - Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} | Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} — Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} – Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} · Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} » Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE}: Techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} - techstrong.ai`, "Techstrong.ai"],
    [`${HEADLINE} - TECHSTRONG.AI`, "techstrong.ai"],
  ])("%j with site name %j", (raw, siteName) => {
    expect(cleanTitle(raw, siteName)).toBe(HEADLINE);
  });

  it("matches the page's domain when the site name is unknown", () => {
    expect(cleanTitle(`${HEADLINE} - Techstrong.ai`, null, "https://techstrong.ai/articles/open-source")).toBe(HEADLINE);
    expect(cleanTitle(`${HEADLINE} | Techstrong`, undefined, "https://www.techstrong.ai/x")).toBe(HEADLINE);
    expect(cleanTitle(`${HEADLINE} - BBC`, null, "https://www.bbc.co.uk/news/1")).toBe(HEADLINE);
    expect(cleanTitle(`${HEADLINE} | Example`, null, "https://blog.example.com/post")).toBe(HEADLINE);
  });

  it("matches the site name with or without a leading 'The'", () => {
    expect(cleanTitle("Apple's new chip, tested - The Verge", "The Verge")).toBe("Apple's new chip, tested");
    expect(cleanTitle("Apple's new chip, tested - Verge", "The Verge")).toBe("Apple's new chip, tested");
  });

  it("strips only the site part of a chain of sections", () => {
    expect(cleanTitle("Chip exports tighten again | Business | Reuters", "Reuters")).toBe("Chip exports tighten again | Business");
  });

  it("strips a repeated site name at both ends", () => {
    expect(cleanTitle("Reuters | Chip exports tighten again | Reuters", "Reuters")).toBe("Chip exports tighten again");
  });
});

describe("cleanTitle strips a site-name prefix", () => {
  it.each([[`Techstrong.ai - ${HEADLINE}`], [`Techstrong.ai | ${HEADLINE}`], [`Techstrong.ai — ${HEADLINE}`]])("%j", (raw) => {
    expect(cleanTitle(raw, "Techstrong.ai")).toBe(HEADLINE);
  });
});

describe("cleanTitle keeps the headline whole", () => {
  it("when the part after the separator is not the site", () => {
    expect(cleanTitle("Llama 4 review - a big step for open weights", "Techstrong.ai")).toBe(
      "Llama 4 review - a big step for open weights",
    );
  });

  it("when the site name is a headline's subject before a colon", () => {
    expect(cleanTitle("OpenAI: what the new model can and cannot do", "OpenAI")).toBe("OpenAI: what the new model can and cannot do");
  });

  it("when hyphens and colons have no spaces around them", () => {
    expect(cleanTitle("State-of-the-art-Techstrong.ai", "Techstrong.ai")).toBe("State-of-the-art-Techstrong.ai");
    expect(cleanTitle("Meeting at 9:30 with Techstrong.ai", "Techstrong.ai")).toBe("Meeting at 9:30 with Techstrong.ai");
  });

  it("when too little would be left", () => {
    expect(cleanTitle("Home | Techstrong.ai", "Techstrong.ai")).toBe("Home | Techstrong.ai");
    expect(cleanTitle("GPT-5 - OpenAI", "OpenAI")).toBe("GPT-5 - OpenAI");
    expect(cleanTitle("About us - Techstrong.ai", "Techstrong.ai")).toBe("About us - Techstrong.ai");
    // Two words and ten characters is enough.
    expect(cleanTitle("AI at work - Techstrong.ai", "Techstrong.ai")).toBe("AI at work");
  });

  it("when the whole title is the site name", () => {
    expect(cleanTitle("Techstrong.ai", "Techstrong.ai")).toBe("Techstrong.ai");
  });

  it("when there is no site name or URL to match", () => {
    expect(cleanTitle(`${HEADLINE} - Techstrong.ai`)).toBe(`${HEADLINE} - Techstrong.ai`);
    expect(cleanTitle(`${HEADLINE} - Techstrong.ai`, null, "not a url")).toBe(`${HEADLINE} - Techstrong.ai`);
  });

  it("when the site name is too short to match safely", () => {
    expect(cleanTitle("How the models were trained - AI", "AI")).toBe("How the models were trained - AI");
  });

  it("when the site name only appears inside the last part", () => {
    expect(cleanTitle("Why we left the cloud - Basecamp's story", "Basecamp")).toBe("Why we left the cloud - Basecamp's story");
  });
});

describe("cleanTitle whitespace", () => {
  it("collapses runs of whitespace and trims", () => {
    expect(cleanTitle("  Xbox One X review:\n  A console  that keeps up ")).toBe("Xbox One X review: A console that keeps up");
  });

  it("treats ideographic spaces as whitespace", () => {
    expect(cleanTitle("欲張りなイヌ　＜福娘童話集＞")).toBe("欲張りなイヌ ＜福娘童話集＞");
  });
});
