import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { kysoError } from '@kyso/core';
import { compareText } from './model.js';
import type { AuditFile } from './pool.js';

/** What {@link findPdfs} found: the files, sorted by path, and the sub-folders it could not read. */
export interface FoundPdfs {
  readonly files: AuditFile[];
  readonly unreadableFolders: string[];
}

/**
 * Every `*.pdf` (any case) under `dir`, recursively. Symbolic links are not
 * followed, so a link cycle cannot make the walk endless and an audit never
 * leaves the folder it was given. Throws `ERR_IO` when `dir` itself cannot be read.
 */
export function findPdfs(dir: string): FoundPdfs {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read the folder ${dir}`, cause);
  }
  if (!isDir) throw kysoError('ERR_IO', `${dir} is not a folder`);
  const files: AuditFile[] = [];
  const unreadableFolders: string[] = [];
  const walk = (folder: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (cause) {
      if (top) throw kysoError('ERR_IO', `could not read the folder ${dir}`, cause);
      unreadableFolders.push(toSlash(relative(dir, folder)));
      return;
    }
    for (const e of entries) {
      const full = join(folder, e.name);
      if (e.isDirectory()) walk(full, false);
      else if (e.isFile() && /\.pdf$/i.test(e.name)) files.push({ file: full, path: toSlash(relative(dir, full)) });
    }
  };
  walk(dir, true);
  files.sort((a, b) => compareText(a.path, b.path));
  unreadableFolders.sort(compareText);
  return { files, unreadableFolders };
}

const toSlash = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
