/**
 * @packageDocumentation
 * Node helpers for kyso core: files as byte sources, atomic writes, signing
 * files in place of memory buffers, and the default appearance font.
 */
import { kysoError } from '../errors/index.js';
import type { SignOptions } from '../sign/options.js';
import type { ExtendOptions, ExtendResult } from '../ltv/extend.js';
import { AppendedFileWriter, clearStaleTemporaryFiles, type FileWriteOptions } from './atomic-write.js';
import { installNodeDefaultFont } from './default-font.js';
import { openFileSource, type FileSource } from './file-source.js';

installNodeDefaultFont();

export { openFileSource, type FileSource } from './file-source.js';
export { removeStaleTemporaryFiles, writeFileAtomic, type FileWriteOptions } from './atomic-write.js';
export { defaultFontPath, installNodeDefaultFont } from './default-font.js';

/**
 * Signs the file at `input` into `output` without loading it: the PDF is
 * parsed and hashed through reads, the output is a file-system copy of the
 * input plus the appended update, written atomically (a temporary file and a
 * rename), so a failure leaves no partial output. `input` may equal `output`.
 * Temporary files that earlier interrupted kyso writes left beside `output`
 * are removed first and reported through `files.onStaleTemporaryFiles`.
 */
export async function signFile(input: string, output: string, options: SignOptions, files: FileWriteOptions = {}): Promise<void> {
  await appendToFile(input, output, files, async (source) => {
    // Loaded on first use, as extendFile's code: a process that imports this entry to read files and verify them
    // (`kyso verify`, the verification service) never loads the signing code (docs/decisions/0033).
    const { signIncrement } = await import('../ltv/sign-long-term.js');
    const increment = await signIncrement(source, options);
    return { increment, result: undefined };
  });
}

/**
 * Raises the signatures of the file at `input` to B-LT or B-LTA into
 * `output` (see `extend`): the updates (the /DSS, then the document
 * timestamp) are computed over the file plus the bytes appended so far, in
 * memory, then written together atomically. `input` may equal `output`.
 * Stale temporary files are cleared as for {@link signFile}.
 * @returns what was added.
 */
export async function extendFile(input: string, output: string, options: ExtendOptions, files: FileWriteOptions = {}): Promise<ExtendResult> {
  return appendToFile(input, output, files, async (source) => {
    // Loaded on first use: a signing process never needs the validation code (a few MB of memory).
    const { extendIncrement } = await import('../ltv/extend.js');
    const result = await extendIncrement(source, options);
    return { increment: result.increment, result };
  });
}

/**
 * Opens `input`, lets `work` compute the bytes to append while the copy of
 * the input already runs, then commits output = input + increment atomically
 * (or leaves nothing on failure).
 */
async function appendToFile<T>(
  input: string, output: string, files: FileWriteOptions, work: (source: FileSource) => Promise<{ increment: Uint8Array; result: T }>,
): Promise<T> {
  clearStaleTemporaryFiles(output, files);
  let source: FileSource;
  try {
    source = openFileSource(input);
  } catch (cause) {
    throw kysoError('ERR_IO', `could not read ${input}`, cause);
  }
  const writer = new AppendedFileWriter(output, input, source.length);
  try {
    const { increment, result } = await work(source);
    await writer.commit(increment);
    return result;
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    source.close();
  }
}
