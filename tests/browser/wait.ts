/** Waiting in browser tests: on behaviour, with timeouts that hold on a loaded machine (never the 1 s default). */
import { expect, vi } from "vitest";

/** How long a poll waits for the page to show what it should: long, because a poll ends as soon as it holds. */
export const POLL_TIMEOUT_MS = 60_000;
/** A whole browser test: several polls and navigations on a machine that may be busy. */
export const BROWSER_TEST_TIMEOUT_MS = 240_000;
/** Playwright actions and navigations. */
export const ACTION_TIMEOUT_MS = 60_000;

/** `expect.poll` with the long timeout. */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: POLL_TIMEOUT_MS, interval: 100 });
}

/** Gives every test in the calling file the long test timeout. */
export function useBrowserTimeouts(): void {
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS });
}
