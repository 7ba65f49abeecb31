/** Whole-or-nothing files: a file is written through a temp file and renamed (or linked) into place. */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** File operations an atomic write is made of, injectable so tests can break one midway. */
export interface FileOps {
  write(handle: FileHandle, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
}
export const NODE_FILE_OPS: FileOps = { write: (handle, data) => handle.writeFile(data), rename, link };

/**
 * Writes `data` to `target` through a temp file in the same folder: write, fsync, then rename
 * over the target (or, with `exclusive`, hard-link it, which fails with EEXIST instead of
 * replacing a file). Whatever fails, the temp file is removed: the target is whole or untouched.
 * Temp names (`.<name>.<pid>-<random>.tmp`) are hidden and never end in `.md`.
 */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  { exclusive, ops = NODE_FILE_OPS }: { exclusive: boolean; ops?: FileOps },
): Promise<void> {
  const folder = dirname(target);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  try {
    try {
      await ops.write(handle, typeof data === "string" ? Buffer.from(data, "utf8") : data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (exclusive) await ops.link(temp, target);
    else await ops.rename(temp, target);
  } finally {
    // After a rename the temp name is gone already; after a link or a failure it is removed here.
    await unlink(temp).catch(() => undefined);
  }
  await syncFolder(folder);
}

/** fsync a folder so a rename in it survives a power cut; some systems refuse, which is harmless. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. some network or Windows file systems): the data itself is synced.
  }
}
