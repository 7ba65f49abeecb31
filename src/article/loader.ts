/**
 * The articles' loader: Astro's glob loader, storing only what the site reads. At 100,000
 * articles every byte kept per entry is kept 100,000 times, serialised into the data store,
 * compiled into the build and parsed again before the first page renders.
 */
import { glob, type Loader, type LoaderContext } from "astro/loaders";

type GlobOptions = Parameters<typeof glob>[0];
type Rendered = { html: string; metadata?: Record<string, unknown> };
type RenderFunction = (entry: { body?: string } & Record<string, unknown>) => Promise<Rendered>;
/** The part of Astro's Markdown entry type the glob loader calls to render a body. */
interface EntryType {
  getRenderFunction?: (config: unknown) => Promise<RenderFunction>;
  [key: string]: unknown;
}
type StoredEntry = Parameters<LoaderContext["store"]["set"]>[0];

/** What rendering an empty body gives: no HTML, no headings, no images. */
const EMPTY_RENDER: Rendered = { html: "", metadata: { headings: [], localImagePaths: [], remoteImagePaths: [], imagePaths: [] } };

/**
 * Drops the copy of the raw frontmatter Astro's Markdown renderer puts in `rendered.metadata`
 * (only `remarkPluginFrontmatter` reads it; no page does): without it the data store holds
 * each article's fields once, not twice.
 */
export function withoutFrontmatterCopy<T extends StoredEntry>(entry: T): T {
  const metadata = entry.rendered?.metadata;
  if (!metadata || !("frontmatter" in metadata)) return entry;
  const { frontmatter: _copy, ...rest } = metadata;
  return { ...entry, rendered: { ...entry.rendered!, metadata: rest } };
}

/** Entry types whose Markdown renderer skips empty bodies: most articles have no editor's note. */
function skippingEmptyBodies(entryTypes: Map<string, EntryType>): Map<string, EntryType> {
  const wrapped = new Map(entryTypes);
  for (const [extension, type] of entryTypes) {
    const getRenderFunction = type.getRenderFunction;
    if (!getRenderFunction) continue;
    wrapped.set(extension, {
      ...type,
      getRenderFunction: async (config) => {
        const render = await getRenderFunction.call(type, config);
        return (entry) => (entry.body?.trim() ? render(entry) : Promise.resolve(EMPTY_RENDER));
      },
    });
  }
  return wrapped;
}

/** `glob()` with the same options and behaviour, minus the frontmatter copy and the rendering of empty bodies. */
export function articleLoader(options: GlobOptions): Loader {
  const inner = glob(options);
  return {
    name: "themata-article-loader",
    load(context) {
      const store = { ...context.store, set: (entry: StoredEntry) => context.store.set(withoutFrontmatterCopy(entry)) };
      // The glob loader receives Astro's entry types beside the documented context.
      const { entryTypes } = context as LoaderContext & { entryTypes?: Map<string, EntryType> };
      return inner.load({ ...context, store, ...(entryTypes ? { entryTypes: skippingEmptyBodies(entryTypes) } : {}) } as LoaderContext);
    },
  };
}
