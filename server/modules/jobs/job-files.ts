import path from 'node:path';
import { runtime } from '../../runtime';

/** The file a job writes its result to (an export's CSV), under DATA_DIR/exports. */
export function jobFilePath(jobId: string): string {
  return path.join(runtime().config.dataDir, 'exports', `${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`);
}
