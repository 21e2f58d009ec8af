import { pino } from 'pino';

// Structured JSON logs; the level comes from LOG_LEVEL (read directly: the logger exists before config).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  redact: ['req.headers.cookie', 'req.headers.authorization', 'password'],
});
