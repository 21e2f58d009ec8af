import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError, UnauthorizedError, ValidationError } from './errors';

/**
 * Multipart parsing (multer, in memory) with its errors turned into ours: a file over the limit is
 * 413 with the limit in the message, anything else malformed is 400. Nothing is read before the
 * caller is known (unless `anonymous`, for signed webhooks) or when the declared size is already over.
 */
export function multipart(opts: {
  field?: string;
  /** Largest file; largest whole body (default: one largest file plus 1 MB of form). */
  maxBytes: () => number;
  maxTotalBytes?: () => number;
  maxFiles?: number;
  tooLarge: () => AppError;
  anonymous?: boolean;
  /** Write the file to this folder (streamed, for large files) instead of keeping it in memory. */
  toDir?: () => string;
  /** Refuse a body that does not say its length (so that the whole body's limit holds before anything is read). */
  requireLength?: boolean;
}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!opts.anonymous && !req.auth) return next(new UnauthorizedError());
    if (opts.requireLength && req.is('multipart/form-data') && req.headers['content-length'] === undefined) {
      return next(new AppError(411, 'length_required', 'Send the body with its Content-Length'));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const maxTotal = opts.maxTotalBytes?.() ?? opts.maxBytes() + 1024 * 1024;
    if (declared > maxTotal) return next(opts.tooLarge());
    const storage = opts.toDir ? multer.diskStorage({ destination: opts.toDir() }) : multer.memoryStorage();
    // File names come as UTF-8 (browsers, Mailgun): "résumé ✓.pdf" stays that, not "rÃ©sumÃ©".
    const upload = multer({ storage, defParamCharset: 'utf8', limits: { fileSize: opts.maxBytes() + 1, files: opts.maxFiles ?? 1, fields: 100 } });
    const handler = opts.field ? upload.single(opts.field) : upload.any();
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(opts.tooLarge());
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return next(ValidationError.field(err.field ?? 'file', 'unexpected file field (send one file as "file")'));
        return next(ValidationError.field(err.field ?? 'file', err.message));
      }
      // The parser's own errors ("Unexpected end of form", "Malformed part header") are the body's fault;
      // a system error (a full disk: ENOSPC) is ours.
      const system = typeof (err as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((err as { code: string }).code);
      next(err instanceof Error && !system ? new ValidationError(`The upload is not a valid multipart form: ${err.message}`) : err);
    });
  };
}
