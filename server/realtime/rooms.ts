import { can, type Auth, type Permission } from '../modules/auth/access';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { recordSpec } from '../lib/records';

const RECORD_ROOM = /^record:([A-Za-z]+):(\d+)$/;

export function isRecordRoom(room: string): boolean {
  return RECORD_ROOM.test(room);
}

// A record room is readable like the record's REST read: the same permission, and the record must exist.
const BOARDS: Record<string, Permission> = {
  'board:orders': 'saleOrder.read',
  'board:shipments': 'inventory.read',
  'board:mail': 'mail.read',
};

/** Throws unless auth may join the room. */
export async function authorizeRoom(auth: Auth, room: string): Promise<void> {
  const board = BOARDS[room];
  if (board) {
    if (!can(auth, board)) throw new ForbiddenError(`Your role may not watch ${room}`);
    return;
  }
  const user = /^user:(\d+)$/.exec(room);
  if (user) {
    if (Number(user[1]) !== auth.user.id) throw new ForbiddenError('That is another user’s room');
    return;
  }
  const rec = RECORD_ROOM.exec(room);
  if (rec) {
    const model = rec[1]!;
    const spec = recordSpec(model);
    if (!spec) throw new NotFoundError(`Room ${room}`);
    if (!can(auth, spec.read)) throw new ForbiddenError(`Your role may not read ${model} records`);
    if (!(await spec.exists(Number(rec[2])))) throw new NotFoundError(`Room ${room}`);
    return;
  }
  throw new NotFoundError(`Room ${room}`);
}
