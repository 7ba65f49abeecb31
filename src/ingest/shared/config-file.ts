/** Reading a config file from disk: JSON, or the default export of a JS/TS module; every failure names the file. */
import { readFile } from "node:fs/promises";
import { extname, isAbsolute, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { fail, ok, type Result } from "../../article/result.ts";

/** A path as a maintainer typed it: relative to the current folder when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

/** What a config file holds: JSON for `.json`, else the default export of a JS/TS module. */
export async function readConfigFile(file: string): Promise<Result<unknown>> {
  const label = displayPath(file);
  if (extname(file).toLowerCase() === ".json") {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      return fail(`${label}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    try {
      return ok(JSON.parse(text));
    } catch (error) {
      return fail(`${label}: not valid JSON: ${(error as Error).message}`);
    }
  }
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes(file)) {
      return fail(`${label}: cannot read the config file (ENOENT)`);
    }
    return fail(`${label}: cannot load the config module: ${(error as Error).message}`);
  }
  if (module.default === undefined) return fail(`${label}: the config module has no default export (write \`export default { … }\`)`);
  return ok(module.default);
}
