// @ts-check
// Documents on disk: one folder per document holding each stage's PDF, and one JSON index written
// atomically (write a temporary file, then rename), so a crash or a restart never leaves half an index.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The stages of an outgoing document (Decree 30/2020 Art. 11–16): each one stores the PDF it produced. */
export const STAGES = /** @type {const} */ (['draft', 'approved', 'numbered', 'issued', 'published']);

/** @typedef {(typeof STAGES)[number]} Stage */
/**
 * @typedef {object} DocumentRecord
 * @property {string} id
 * @property {string} title
 * @property {Stage} state
 * @property {string | null} number  "07/QĐ-UBND" once the clerk gave it
 * @property {string | null} date    ISO date of issue once given
 * @property {Partial<Record<Stage, string>>} files stage → file name inside the document's folder
 * @property {{ at: string, action: Stage, who: string }[]} history
 */
/**
 * @typedef {object} InboxRecord
 * @property {string} id
 * @property {string} name      the file name the sender gave (display only, never a path)
 * @property {string} receivedAt
 * @property {number} size
 * @property {string} verdict   the server's summary: "valid" | "invalid" | "indeterminate" | "unsigned" | "error"
 */

const INDEX_VERSION = 1;

export class DocumentStore {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = dir;
    /** @type {{ version: number, documents: DocumentRecord[], inbox: InboxRecord[] }} */
    this.index = { version: INDEX_VERSION, documents: [], inbox: [] };
    /** Mutations run one after another, so two requests never interleave their index writes. */
    this.queue = Promise.resolve();
  }

  /** Opens (or creates) the store. @param {string} dir */
  static async open(dir) {
    const store = new DocumentStore(dir);
    await mkdir(join(dir, 'docs'), { recursive: true });
    await mkdir(join(dir, 'inbox'), { recursive: true });
    try {
      const parsed = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
      if (parsed?.version !== INDEX_VERSION || !Array.isArray(parsed.documents)) throw new Error(`unknown index format in ${dir}`);
      store.index = { version: INDEX_VERSION, documents: parsed.documents, inbox: Array.isArray(parsed.inbox) ? parsed.inbox : [] };
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'ENOENT') throw e;
    }
    return store;
  }

  /** @returns {readonly DocumentRecord[]} */
  list() {
    return this.index.documents;
  }

  /** @param {string} id */
  get(id) {
    return this.index.documents.find((d) => d.id === id);
  }

  /** @returns {readonly InboxRecord[]} */
  inbox() {
    return this.index.inbox;
  }

  /** The PDF of the document's current stage. @param {DocumentRecord} doc */
  async currentBytes(doc) {
    return this.bytesOf(doc, doc.state);
  }

  /** @param {DocumentRecord} doc @param {Stage} stage */
  async bytesOf(doc, stage) {
    const file = doc.files[stage];
    if (!file) throw new Error(`document ${doc.id} has no ${stage} file`);
    return new Uint8Array(await readFile(join(this.dir, 'docs', doc.id, file)));
  }

  /** @param {string} id */
  async inboxBytes(id) {
    return new Uint8Array(await readFile(join(this.dir, 'inbox', `${id}.pdf`)));
  }

  /**
   * Creates a document at the draft stage.
   * @param {string} title @param {Uint8Array} bytes @param {string} who
   */
  create(title, bytes, who) {
    return this.mutate(async () => {
      const id = randomUUID();
      await mkdir(join(this.dir, 'docs', id), { recursive: true });
      await atomicWrite(join(this.dir, 'docs', id, 'draft.pdf'), bytes);
      /** @type {DocumentRecord} */
      const doc = { id, title, state: 'draft', number: null, date: null, files: { draft: 'draft.pdf' }, history: [{ at: now(), action: 'draft', who }] };
      this.index.documents.push(doc);
      return doc;
    });
  }

  /**
   * Moves a document to its next stage. `expect` guards against a stale request (two clerks, one document):
   * the move happens only if the document is still at that stage.
   * @param {string} id @param {Stage} expect @param {Stage} next
   * @param {{ bytes?: Uint8Array, who: string, number?: string, date?: string }} change
   */
  advance(id, expect, next, change) {
    return this.mutate(async () => {
      const doc = this.get(id);
      if (!doc) throw new StoreError(404, 'no such document');
      if (doc.state !== expect) throw new StoreError(409, `the document is at stage "${doc.state}", not "${expect}"`);
      if (change.bytes) {
        await atomicWrite(join(this.dir, 'docs', id, `${next}.pdf`), change.bytes);
        doc.files[next] = `${next}.pdf`;
      } else {
        doc.files[next] = doc.files[expect];
      }
      if (change.number !== undefined) doc.number = change.number;
      if (change.date !== undefined) doc.date = change.date;
      doc.state = next;
      doc.history.push({ at: now(), action: next, who: change.who });
      return doc;
    });
  }

  /** @param {string} name @param {Uint8Array} bytes @param {string} verdict */
  receive(name, bytes, verdict) {
    return this.mutate(async () => {
      const id = randomUUID();
      await atomicWrite(join(this.dir, 'inbox', `${id}.pdf`), bytes);
      /** @type {InboxRecord} */
      const rec = { id, name, receivedAt: now(), size: bytes.length, verdict };
      this.index.inbox.push(rec);
      return rec;
    });
  }

  /**
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  mutate(fn) {
    const run = this.queue.then(async () => {
      const out = await fn();
      await atomicWrite(join(this.dir, 'index.json'), new TextEncoder().encode(JSON.stringify(this.index, null, 2)));
      return out;
    });
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }
}

/** An error with the HTTP status the API answers with. */
export class StoreError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {string} path @param {Uint8Array} bytes */
async function atomicWrite(path, bytes) {
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

const now = () => new Date().toISOString();
