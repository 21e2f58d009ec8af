import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { redisCall, type RedisClient } from '../../lib/redis';
import { SessionModel } from './user.model';

export type SessionData = { userId: number; csrfToken: string; expiresAt: number };

// Sessions live in the database, or in Redis when REDIS_URL is set (shared by every web replica).
// The cookie holds a random token; only its SHA-256 is stored, so a leaked table opens no session.
export type SessionStore = {
  create(userId: number, ttlMs: number): Promise<{ token: string; id: string; csrfToken: string }>;
  get(token: string): Promise<(SessionData & { id: string }) | null>;
  destroy(token: string): Promise<void>;
  destroyForUser(userId: number): Promise<void>;
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newSession(): { token: string; id: string; csrfToken: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: hashToken(token), csrfToken: randomBytes(24).toString('base64url') };
}

export class DbSessionStore implements SessionStore {
  async create(userId: number, ttlMs: number) {
    const s = newSession();
    await SessionModel.create({ id: s.id, userId, csrfToken: s.csrfToken, expiresAt: new Date(Date.now() + ttlMs) });
    // Expired sessions of this user are swept as new ones are made.
    await SessionModel.destroy({ where: { userId, expiresAt: { [Op.lt]: new Date() } } });
    return s;
  }
  async get(token: string) {
    const id = hashToken(token);
    const row = await SessionModel.findByPk(id);
    if (!row || row.expiresAt.getTime() < Date.now()) return null;
    return { id, userId: row.userId, csrfToken: row.csrfToken, expiresAt: row.expiresAt.getTime() };
  }
  async destroy(token: string) {
    await SessionModel.destroy({ where: { id: hashToken(token) } });
  }
  async destroyForUser(userId: number) {
    await SessionModel.destroy({ where: { userId } });
  }
}

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}
  private key(id: string) {
    return `${this.prefix}:sess:${id}`;
  }
  private userKey(userId: number) {
    return `${this.prefix}:user-sess:${userId}`;
  }
  async create(userId: number, ttlMs: number) {
    const s = newSession();
    const data: SessionData = { userId, csrfToken: s.csrfToken, expiresAt: Date.now() + ttlMs };
    await redisCall(() =>
      this.redis.multi().set(this.key(s.id), JSON.stringify(data), { PX: ttlMs }).sAdd(this.userKey(userId), s.id).pExpire(this.userKey(userId), ttlMs).exec(),
    );
    return s;
  }
  async get(token: string) {
    const id = hashToken(token);
    const raw = await redisCall(() => this.redis.get(this.key(id)));
    if (!raw) return null;
    return { id, ...(JSON.parse(raw) as SessionData) };
  }
  async destroy(token: string) {
    await redisCall(() => this.redis.del(this.key(hashToken(token))));
  }
  async destroyForUser(userId: number) {
    await redisCall(async () => {
      const ids = await this.redis.sMembers(this.userKey(userId));
      if (ids.length) await this.redis.del(ids.map((id) => this.key(id)));
      await this.redis.del(this.userKey(userId));
    });
  }
}
