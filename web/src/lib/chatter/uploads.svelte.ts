import type { Attachment } from '$contracts/schemas/chatter';
import { api, errorMessage, type RecordRef } from '$lib/api';

/** The files uploaded for the message being written; they are linked to it when it is posted. */
export class Uploads {
  items: Attachment[] = $state([]);
  uploading = $state(0);
  // The server's reason for the last refusal (too large, unsupported type), with the file's name.
  error: Error | null = $state(null);

  constructor(readonly ref: RecordRef) {}

  ids = $derived(this.items.map((a) => a.id));

  async add(files: Iterable<File>): Promise<void> {
    this.error = null;
    await Promise.all(
      [...files].map(async (file) => {
        this.uploading++;
        try {
          const uploaded = await api.attachments.upload(this.ref, file);
          this.items = [...this.items, uploaded];
        } catch (err) {
          this.error = new Error(`${file.name}: ${errorMessage(err)}`);
        } finally {
          this.uploading--;
        }
      }),
    );
  }

  async remove(a: Attachment): Promise<void> {
    this.error = null;
    try {
      await api.attachments.remove(a.id);
      this.items = this.items.filter((x) => x.id !== a.id);
    } catch (err) {
      this.error = new Error(`${a.name}: ${errorMessage(err)}`);
    }
  }

  /** After the message was posted: the files now belong to it. */
  clear(): void {
    this.items = [];
    this.error = null;
  }

  /** Leaving without posting: the uploads are removed from the server (best effort). */
  discard(): void {
    for (const a of this.items) api.attachments.remove(a.id).catch(() => undefined);
    this.items = [];
  }
}
