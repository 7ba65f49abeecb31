// html-validate's recommended rules over the built pages (tests/site/html-validate.test.ts runs them on every page kind).
export default {
  extends: ["html-validate:recommended"],
  rules: {
    // Article titles are the sources' headlines, often longer than 70 characters: a search-snippet
    // guideline, not a validity rule, and not one the site can meet without cutting headlines.
    "long-title": "off",
  },
};
