// Test runner settings: every suite under tests/, one build-heavy suite at a time is fine.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 240_000,
  },
});
