// Each boilerplate rule on a real news page (the aeb-dev benchmark's) where it removes what a person left out of the article.
import { describe, expect, it } from "vitest";
import { readAebDevPages } from "../../../scripts/fixtures/aeb-dev.ts";
import { BOILERPLATE_RULES, removeBoilerplate } from "../../../src/ingest/extract/boilerplate.ts";
import { isCallToAction, isCreditLine, isDateline, isPhotoCredit } from "../../../src/ingest/extract/boilerplate-lines.ts";
import { withReadableArticle } from "../../../src/ingest/extract/main-text.ts";
import { blocksToText } from "../../../src/ingest/extract/text-blocks.ts";
import { wordsIn } from "../../../src/ingest/extract/boilerplate-dom.ts";

const pages = readAebDevPages();

/** Readability's text of a benchmark page without rules and with only `ruleName`. */
function withAndWithout(idPrefix: string, ruleName: string) {
  const page = pages.find((p) => p.id.startsWith(idPrefix));
  if (!page) throw new Error(`no benchmark page ${idPrefix}`);
  const rule = BOILERPLATE_RULES.filter((r) => r.name === ruleName);
  expect(rule).toHaveLength(1);
  const texts = withReadableArticle(page.html, page.url, (article) => {
    const before = blocksToText(article.content.cloneNode(true) as Element);
    removeBoilerplate(article.content, { title: article.title ?? null, url: page.url }, rule);
    return { before, after: blocksToText(article.content) };
  });
  if (!texts) throw new Error(`Readability found no article on ${page.url}`);
  return { ...texts, page };
}

/** The rule takes out `boilerplate` (which the person's article body does not have) and keeps the story's opening. */
function expectRemoves(idPrefix: string, ruleName: string, boilerplate: string) {
  const { before, after, page } = withAndWithout(idPrefix, ruleName);
  expect(page.articleBody).not.toContain(boilerplate);
  expect(before).toContain(boilerplate);
  expect(after).not.toContain(boilerplate);
  const opening = page.articleBody.split("\n")[0].slice(0, 60);
  expect(before).toContain(opening);
  expect(after).toContain(opening);
}

describe("boilerplate rules on real pages", () => {
  it("figure captions: the BBC's 'Image caption …' under a photo goes", () => {
    expectRemoves("c7e39ac4", "figure captions", "Eva-Marie Persson said the decision had been taken");
  });

  it("boilerplate blocks: 9to5Mac's author bio (class author-bio) goes", () => {
    expectRemoves("ad826691", "boilerplate blocks", "Trevor Daugherty is the Senior Editor of 9to5Toys");
  });

  it("link lines: the Houston Chronicle's menu of link-only lines goes", () => {
    expectRemoves("9ebb3af6", "link lines", "Place a Classified Ad");
  });

  it("photo credits: 'Photo: Damian Dovarganes, AP' lines go", () => {
    expectRemoves("05844573", "photo credits", "Photo: Damian Dovarganes, AP");
  });

  it("datelines: USA Today's 'Published 10:02 AM EST Nov 19, 2019' goes", () => {
    expectRemoves("776a1c04", "datelines", "Published 10:02 AM EST Nov 19, 2019");
  });

  it("credit lines: Reuters' 'Reporting by …; Editing by …' goes", () => {
    expectRemoves("57d46c9d", "credit lines", "Reporting by Rodrigo Campos");
  });

  it("calls to action: NBC News' breaking-news sign-up box goes", () => {
    expectRemoves("5a822960", "calls to action", "Get breaking news alerts and special reports");
  });

  it("repeated headline: the page's own address printed above the story goes", () => {
    expectRemoves(
      "9ebb3af6",
      "repeated headline",
      "https://www.chron.com/business/article/New-car-sales-plunge-10-percent-in-October-14847624.php",
    );
  });
});

describe("line rules keep sentences of the story", () => {
  const line = (text: string) => [text, wordsIn(text)] as const;

  it("a dateline is a date with few other words; a sentence with a date is not", () => {
    expect(isDateline(...line("Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM"))).toBe(true);
    expect(isDateline(...line("19.11.2019, 08:57"))).toBe(true);
    expect(isDateline(...line("The council met on Nov. 19, 2019 and voted to close the bridge."))).toBe(false);
  });

  it("credit lines are bylines and reporting credits, not sentences that start with 'By'", () => {
    expect(isCreditLine(...line("By Justine Coleman"))).toBe(true);
    expect(isCreditLine(...line("Fox News’ Jessica Napoli contributed to this report."))).toBe(true);
    expect(isCreditLine(...line("By the end of the week, the council had voted twice."))).toBe(false);
  });

  it("calls to action are short; a long paragraph mentioning a newsletter stays", () => {
    expect(isCallToAction(...line("Sign up to our newsletter for exclusive updates and enhanced content"))).toBe(true);
    expect(isCallToAction(...line("Related: SpaceX's Starship and Super Heavy Mars Rocket in Pictures"))).toBe(true);
    const long =
      "The company said it would subscribe to the new standard next year, after regulators in " +
      "three countries asked it to explain how its newsletter data was stored, shared and deleted, " +
      "and who at the firm had access to the records of its readers.";
    expect(isCallToAction(...line(long))).toBe(false);
  });

  it("photo credits end in a credit; a sentence naming Reuters stays", () => {
    expect(isPhotoCredit(...line("Protesters do not want Hong Kong to lose its autonomy (Image: getty )"))).toBe(true);
    expect(isPhotoCredit(...line("In this photo, traders work on the floor (AP Photo/Alan Diaz, File)"))).toBe(true);
    expect(isPhotoCredit(...line("The figures were first reported by Reuters."))).toBe(false);
  });
});
