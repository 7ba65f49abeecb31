/** The ingest's one config file: a zod schema documenting every setting, and `loadConfig` to read and check it. */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "astro/zod";
import { fieldPath, describeIssue } from "../article/schema-issues.ts";
import { fail, ok, type Result } from "../article/result.ts";
import { displayPath, readConfigFile } from "./shared/config-file.ts";
import { TAGS, slugifyTag } from "../article/tags.ts";
import { SITE } from "../site.config.ts";
import { DEFAULT_KEYWORDS } from "./shared/topic-keywords.ts";

/** The config used when `--config` is not given: `themata.config.json` at the repository root. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL("../../themata.config.json", import.meta.url));

/** An absolute http(s) URL. */
const httpUrl = z.url({ protocol: /^https?$/ });
const positiveInt = z.number().int().min(1);
const nonNegativeInt = z.number().int().min(0);
/** A file or folder; relative paths are read from the config file's folder. */
const path = z.string().min(1);

// ---------------------------------------------------------------------------------------
// Sources

export const hackerNewsSchema = z
  .strictObject({
    /** Read Hacker News at all. */
    enabled: z.boolean().default(true),
    /** Root of the Algolia HN Search API; tests and mirrors point it elsewhere. */
    apiBase: httpUrl.default("https://hn.algolia.com/api/v1"),
    /** Only stories with at least this many points. */
    minPoints: nonNegativeInt.default(100),
    /**
     * How far back a run looks, in hours, when `--since` is not given: stories gather points
     * for a day or two, so a run also looks at stories older than the last run (articles
     * already written are skipped anyway).
     */
    lookbackHours: positiveInt.default(48),
    /** At most this many stories are read from the API per run (before the topic filter). */
    maxStories: positiveInt.default(200),
    /** Stories per API request (Algolia allows 1 to 1000); more pages are read up to `maxStories`. */
    pageSize: positiveInt.max(1000).default(100),
  })
  .describe("Hacker News, through the Algolia search API.");

export const feedSchema = z.strictObject({
  /** A short name: shown in reports and as the article's source of discovery (`via`). */
  name: z.string().trim().min(1),
  /** The RSS 2.0 or Atom feed's address. */
  url: httpUrl,
  /** Put this feed's items through the topic filter; false for a feed that is all on topic. */
  topicFilter: z.boolean().default(true),
});

export const sourcesSchema = z.strictObject({
  hackerNews: hackerNewsSchema.prefault({}),
  /** Any number of RSS 2.0 / Atom feeds, read in this order. */
  feeds: z
    .array(feedSchema)
    .default([])
    .superRefine((feeds, ctx) => {
      const seen = new Set<string>();
      feeds.forEach((feed, i) => {
        const name = feed.name.toLowerCase();
        if (name === "hacker-news" || seen.has(name)) {
          ctx.addIssue({
            code: "custom",
            path: [i, "name"],
            message: "expected a name no other source uses (names are compared ignoring case; hacker-news is taken)",
          });
        }
        seen.add(name);
      });
    }),
});

export const topicSchema = z.strictObject({
  /** Words and phrases (any case, whole words, plural `s` allowed): any one puts a candidate on topic. */
  keywords: z.array(z.string().trim().min(1)).default(DEFAULT_KEYWORDS),
  /**
   * Also use the tag vocabulary's keywords (src/article/tags.ts); as many are everyday words, a
   * candidate needs terms of at least two different tags to pass on them alone.
   */
  useTagVocabulary: z.boolean().default(true),
});

// ---------------------------------------------------------------------------------------
// Fetching: the fetcher (src/ingest/fetch/) takes this section as parsed; its defaults live only
// here. `allowHosts` is command-line only (`--allow-host`), so a config file never opens loopback or private addresses.

export const fetchSchema = z.strictObject({
  /** Names the site and a page about the bot. */
  userAgent: z.string().min(1).default(`ThemataBot/0.1 (+${SITE.url}/about/)`),
  /** Resolving a name, then opening the connection, in milliseconds (each gets this long). */
  connectTimeoutMs: positiveInt.default(10_000),
  /** Time from request to response headers. */
  headersTimeoutMs: positiveInt.default(15_000),
  /** The whole body, first byte to last (a server that drips bytes is cut off). */
  bodyTimeoutMs: positiveInt.default(30_000),
  /** Largest body read, in bytes (after decompression); larger is a failure. */
  maxBytes: positiveInt.default(5 * 1024 * 1024),
  /** Redirects followed before giving up. */
  maxRedirects: nonNegativeInt.default(5),
  /** Retries on 429, 5xx and network errors, with exponential backoff honouring Retry-After. */
  retries: nonNegativeInt.default(2),
  /** First backoff wait, in milliseconds. */
  retryBaseMs: positiveInt.default(500),
  /** Longest wait between attempts; a longer Retry-After is a failure, not a shorter wait. */
  retryMaxMs: positiveInt.default(30_000),
  /** Requests at once to one host. */
  perHostConcurrency: positiveInt.default(2),
  /** Requests at once in all. */
  globalConcurrency: positiveInt.default(8),
  /** Honour robots.txt (for our User-Agent). */
  respectRobots: z.boolean().default(true),
  /**
   * Longest one item's fetching may take in all, in milliseconds: its page with every redirect,
   * retry, Retry-After wait and error body, then its discussion (any other single fetch, such as
   * a feed or a picture, gets as long). Past it the item fails and is tried again on a later
   * night; slow servers cannot hold a run.
   */
  itemDeadlineMs: positiveInt.default(90_000),
});

/** The parsed `fetch` section, every default filled in. */
export type FetchConfig = z.output<typeof fetchSchema>;

/** The `fetch` section with defaults filled in, for callers without a config file (`npm run extract`, tests). */
export function fetchConfig(input: z.input<typeof fetchSchema> = {}): FetchConfig {
  return fetchSchema.parse(input);
}

// ---------------------------------------------------------------------------------------
// Extraction

export const extractSchema = z.strictObject({
  /**
   * Longest one page's extraction may take, in seconds. Past it the page fails alone
   * ("extraction took longer than N s") and the run goes on; ordinary pages take well under
   * 2 s, a 5 MB page about 10 s on a busy machine.
   */
  timeoutSeconds: z.number().positive().default(30),
  /** Most JavaScript heap one page's extraction may use, in MB (sampled every 0.1 s); past it the page fails alone. */
  memoryMb: positiveInt.min(64).default(1024),
  /** Pages extracted at once, each in its own worker thread. */
  workers: positiveInt.default(2),
});

/** The parsed `extract` section, every default filled in. */
export type ExtractConfig = z.output<typeof extractSchema>;

// ---------------------------------------------------------------------------------------
// Summarizer (the provider helper extends this part).

/** USD per million tokens for one model (src/ingest/budget/cost.ts `ModelPrice`). */
const priceRatesSchema = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0),
  cacheWrite: z.number().min(0),
});
export const modelPriceSchema = priceRatesSchema.extend({
  /** The 1-hour cache write price (batch requests cache for an hour); twice `input` when not given. */
  cacheWrite1h: z.number().min(0).optional(),
  /** Higher rates for every token of a request whose prompt is longer than `aboveTokens`. */
  longPrompt: priceRatesSchema.extend({ aboveTokens: positiveInt }).optional(),
});

/** Request fields the openai-compatible provider sets itself; `extraBody` may not replace them. */
const OWN_REQUEST_FIELDS = ["model", "messages", "max_tokens", "temperature", "response_format", "stream"];

export const SUMMARIZER_PROVIDERS = ["extractive", "anthropic", "openai-compatible"] as const;

export const summarizerConfigSchema = z.strictObject({
  /** Who writes summaries when `--provider` is not given: `extractive` needs no model and no key. */
  provider: z.enum(SUMMARIZER_PROVIDERS).default("extractive"),
  /** Claude through the Anthropic API; the key comes from ANTHROPIC_API_KEY, never from here. */
  anthropic: z
    .strictObject({
      /** Model id; it needs a price (built in, or under `prices`). */
      model: z.string().min(1).default("claude-haiku-5-5"),
      /** Output token limit of one answer. */
      maxTokens: positiveInt.default(2048),
      /** Per-request timeout, in seconds. */
      timeoutSeconds: z.number().positive().default(120),
      /** With `--batch`: minutes a run waits for its batch to end before leaving it to the next run. */
      batchTimeLimitMinutes: z.number().positive().default(30),
      /** Overrides the model's minimum cacheable prefix, in tokens (the prefix is marked for caching only at or above it). */
      minCacheTokens: positiveInt.optional(),
    })
    .prefault({}),
  /** Any server speaking /v1/chat/completions (llama-server, vLLM, Ollama, a hosted one); a key only from the variable `apiKeyEnv` names. */
  openaiCompatible: z
    .strictObject({
      /** The server's root, e.g. http://127.0.0.1:8080 (a trailing /v1 is accepted). */
      baseUrl: httpUrl.default("http://127.0.0.1:8080"),
      /** The model name the server knows. */
      model: z.string().min(1).default("local-model"),
      /** Output token limit of one answer. */
      maxTokens: positiveInt.default(2048),
      /** Per-request timeout, in seconds (local hardware can be slow). */
      timeoutSeconds: z.number().positive().default(600),
      /** Sampling temperature; the server's default when unset. */
      temperature: z.number().min(0).max(2).optional(),
      /** Requests at once: a local server works through one at a time, and a queue of them times out. */
      concurrency: positiveInt.default(1),
      /** The environment variable holding this server's API key (sent as a Bearer token); no key is sent when unset. */
      apiKeyEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the name of an environment variable, such as TOGETHER_API_KEY")
        .optional(),
      /** The server charges nothing for this model: needed for an unpriced model on a server that is not on this machine or network. */
      free: z.boolean().default(false),
      /** Fields added to every request body as they are: server settings such as turning a model's thinking off. */
      extraBody: z
        .record(z.string(), z.unknown())
        .default({})
        .refine(
          (body) => !OWN_REQUEST_FIELDS.some((field) => Object.hasOwn(body, field)),
          `expected none of the fields the ingest sets itself (${"model, messages, max_tokens, temperature, response_format, stream"})`,
        ),
    })
    .prefault({}),
  /**
   * Days a batch left running is waited for (its results can be downloaded for 29 days); past it,
   * or when the batch cannot be read at all, its items go back to the queue.
   */
  pendingBatchMaxAgeDays: positiveInt.max(29).default(29),
  /** Keep tags a model invents outside the vocabulary (false: drop them). */
  allowUnknownTags: z.boolean().default(false),
  /** Tag slugs allowed beyond the built-in vocabulary (src/article/tags.ts). */
  extraTags: z
    .array(z.string().refine((tag) => slugifyTag(tag) === tag, "expected a lowercase slug such as `quantum-computing`"))
    .default([]),
  /** Retries (429, 529, 5xx, timeouts) a run may make in all, each after a backoff or the server's Retry-After. */
  maxRetries: nonNegativeInt.default(30),
  /** Article text beyond this many characters is cut before it goes to a model (bounds each item's cost). */
  maxArticleChars: positiveInt.default(30_000),
  /** Spend cap per run in USD (`--max-cost` overrides); null for no cap. */
  maxCostUsd: z.number().positive("expected a number above 0, or null for no cap").nullable().default(2),
  /** USD per million tokens by model id, added to or overriding the built-in table (src/ingest/budget/cost.ts). */
  prices: z.record(z.string().min(1), modelPriceSchema).default({}),
});

// ---------------------------------------------------------------------------------------
// The whole file

export const ingestConfigFileSchema = z.strictObject({
  /** A JSON Schema address for editors; ignored by the ingest. */
  $schema: z.string().optional(),
  /** Where links come from. */
  sources: sourcesSchema.prefault({}),
  /** What counts as on topic. */
  topic: topicSchema.prefault({}),
  /** How pages, feeds and APIs are fetched. */
  fetch: fetchSchema.prefault({}),
  /** The ingest's cache folder; the fetcher's conditional-GET cache goes in its `http` subfolder. */
  cacheDir: path.default(".cache/ingest"),
  /** The content folder; articles go under `<contentDir>/articles`. */
  contentDir: path.default("content"),
  /** URLs never to ingest, one per line (see the file's header). */
  blocklistFile: path.default("content/blocklist.txt"),
  /** Where a run keeps what the next one needs: the last run's time and pending batch ids (committed: CI runners start empty). */
  runStateFile: path.default("state/ingest-state.json"),
  /**
   * Longest a run may keep starting items, in seconds. Items not started by then are reported
   * as not attempted and kept in the run state; the next run tries them first.
   */
  runDeadlineSeconds: z.number().positive().default(1_800),
  /** Links whose fetch failed are tried again on later runs, each time after a longer wait, until given up. */
  failedLinks: z
    .strictObject({
      /** Hours before the first retry (under a day, so the next nightly run tries again); doubled after each further failure. */
      retryAfterHours: z.number().positive().default(20),
      /** Failed runs after which a link is given up (shown in the report). */
      giveUpAfter: positiveInt.default(3),
      /** Days a given-up link is remembered (so sources that still list it do not bring it back). */
      forgetAfterDays: positiveInt.default(30),
    })
    .prefault({}),
  /** Articles younger than this many days get their live fields (points, comments, heat) refreshed. */
  refreshWindowDays: nonNegativeInt.default(7),
  /** How much of a discussion the summarizer reads. */
  discussion: z
    .strictObject({
      /** Characters of ranked comments kept per thread. */
      budgetChars: positiveInt.default(12_000),
    })
    .prefault({}),
  /** How pages are read: in worker threads, each page within a time and a memory limit. */
  extract: extractSchema.prefault({}),
  /** Who writes the summaries, and what it may spend. */
  summarizer: summarizerConfigSchema.prefault({}),
});

/** What a config file may hold (every field optional: defaults fill the rest). */
export type IngestConfigInput = z.input<typeof ingestConfigFileSchema>;

type ParsedConfigFile = z.output<typeof ingestConfigFileSchema>;

/**
 * A checked config, with defaults filled in, paths made absolute, and the tag vocabulary the
 * summarizer may use (the built-in tags plus `extraTags`).
 */
export type IngestConfig = Omit<ParsedConfigFile, "$schema" | "summarizer"> & {
  /** The file it came from (absolute), or null for the built-in defaults. */
  file: string | null;
  summarizer: ParsedConfigFile["summarizer"] & { vocabulary: readonly string[] };
};

/** A schema without its default/optional wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  for (let def = inner.def as { innerType?: z.ZodType }; def.innerType; def = inner.def as { innerType?: z.ZodType }) {
    inner = def.innerType;
  }
  return inner;
}

/** The settings a config file may hold at `path`, for "unknown setting" messages. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema = unwrap(ingestConfigFileSchema);
  for (const key of path) {
    const def = schema.def as { type: string; element?: z.ZodType; valueType?: z.ZodType; shape?: Record<string, z.ZodType> };
    const next = def.type === "array" ? def.element : def.type === "record" ? def.valueType : def.shape?.[String(key)];
    if (!next) return [];
    schema = unwrap(next);
  }
  const shape = (schema.def as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.keys(shape).filter((k) => k !== "$schema") : [];
}

/** Every problem of a config as `field: what was expected, found what`. */
export function describeConfigIssues(error: z.ZodError, data: unknown): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [describeIssue(issue, data)];
    const known = knownKeys(issue.path);
    return issue.keys.map(
      (key) => `${fieldPath([...issue.path, key])}: unknown setting${known.length ? ` (expected one of ${known.join(", ")})` : ""}`,
    );
  });
}

/** Makes a path from the config absolute, relative to the config file's folder. */
function absolute(baseDir: string, file: string): string {
  return isAbsolute(file) ? file : resolve(baseDir, file);
}

/**
 * Checks a config value (what a file holds) and completes it. `file` names it in messages
 * and anchors its relative paths (null: the current folder). Every problem is listed, one
 * per line, as `<file>: <field>: <what was expected>`.
 */
export function parseConfig(data: unknown, file: string | null): Result<IngestConfig> {
  const label = file ? displayPath(file) : "config";
  const parsed = ingestConfigFileSchema.safeParse(data);
  if (!parsed.success)
    return fail(
      describeConfigIssues(parsed.error, data)
        .map((line) => `${label}: ${line}`)
        .join("\n"),
    );
  const { $schema: _ignored, ...config } = parsed.data;
  const baseDir = file ? dirname(file) : process.cwd();
  return ok({
    ...config,
    file,
    cacheDir: absolute(baseDir, config.cacheDir),
    contentDir: absolute(baseDir, config.contentDir),
    blocklistFile: absolute(baseDir, config.blocklistFile),
    runStateFile: absolute(baseDir, config.runStateFile),
    summarizer: { ...config.summarizer, vocabulary: [...new Set([...TAGS, ...config.summarizer.extraTags])] },
  });
}

/**
 * Reads and checks the config at `file` (default: `themata.config.json` at the repository
 * root). `.json` files are parsed as JSON; `.ts`, `.mts`, `.js` and `.mjs` files are imported
 * and their default export is the config. A missing file, bad JSON, an unknown setting, a
 * wrong type or a bad URL is a failure naming the file, the field and what was expected.
 */
export async function loadConfig(file: string = DEFAULT_CONFIG_PATH): Promise<Result<IngestConfig>> {
  const absoluteFile = resolve(file);
  const data = await readConfigFile(absoluteFile);
  if (!data.ok) return data;
  return parseConfig(data.value, absoluteFile);
}
