import type { Attachment } from '$contracts/schemas/chatter';
import type { RecordModel } from '$contracts/states';
import { call, errorMessage, routes } from '$lib/api';

/** The record the files are for. */
type RecordRef = { model: RecordModel; resId: number };

/** A file for a message not yet posted on the record (multipart: the record and the file); 413 / 415 when too large or of a refused type. */
function upload(ref: RecordRef, file: File): Promise<Attachment> {
  const form = new FormData();
  form.set('model', ref.model);
  form.set('resId', String(ref.resId));
  form.set('file', file, file.name);
  return call(routes.attachments.upload, { body: form });
}

/** Why a file was refused, naming it unless the server's message already does. */
function failure(name: string, err: unknown): string {
  const message = errorMessage(err);
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

/** The files uploaded for the message being written; they are linked to it when it is posted. */
export class Uploads {
  items: Attachment[] = $state([]);
  uploading = $state(0);
  // The server's reasons for refusing files (too large, unsupported type), each naming its file.
  error: Error | null = $state(null);

  constructor(readonly ref: RecordRef) {}

  ids = $derived(this.items.map((a) => a.id));

  async add(files: Iterable<File>): Promise<void> {
    this.error = null;
    const refused: string[] = [];
    await Promise.all(
      [...files].map(async (file) => {
        this.uploading++;
        try {
          const uploaded = await upload(this.ref, file);
          this.items = [...this.items, uploaded];
        } catch (err) {
          refused.push(failure(file.name, err));
        } finally {
          this.uploading--;
        }
      }),
    );
    if (refused.length) this.error = new Error(refused.join(' '));
  }

  async remove(a: Attachment): Promise<void> {
    this.error = null;
    try {
      await call(routes.attachments.remove, { params: { id: a.id } });
      this.items = this.items.filter((x) => x.id !== a.id);
    } catch (err) {
      this.error = new Error(failure(a.name, err));
    }
  }

  /** After the message was posted: the files now belong to it. */
  clear(): void {
    this.items = [];
    this.error = null;
  }

  /** Leaving without posting: the uploads are removed from the server (best effort). */
  discard(): void {
    for (const a of this.items) call(routes.attachments.remove, { params: { id: a.id } }).catch(() => undefined);
    this.items = [];
  }
}
