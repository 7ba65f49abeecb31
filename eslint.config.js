// Lint rules: ESLint's and typescript-eslint's recommended sets, and eslint-plugin-astro's for pages.
import js from "@eslint/js";
import astro from "eslint-plugin-astro";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", ".astro/", ".cache/", "tmp/", "node_modules/", "content/", "tests/fixtures/", "scripts/fixtures/night/", "state/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks a value left out on purpose (destructuring a field away, an unused parameter).
      // Untrusted text is cleaned of control characters on purpose, by regular expressions that name them.
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests and wire-format stubs read JSON of any shape from the other side of a socket.
    files: ["tests/**", "scripts/fixtures/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
