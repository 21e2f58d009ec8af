import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError, ValidationError } from './errors';

/**
 * Multipart parsing (multer, in memory) with its errors turned into ours: a file over the limit is
 * 413 with the limit in the message, anything else malformed is 400.
 */
export function multipart(opts: { field?: string; maxBytes: () => number; maxFiles?: number; tooLarge: () => AppError }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: opts.maxBytes() + 1, files: opts.maxFiles ?? 1, fields: 100 } });
    const handler = opts.field ? upload.single(opts.field) : upload.any();
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(opts.tooLarge());
        if (err.code === 'LIMIT_UNEXPECTED_FILE') return next(ValidationError.field(err.field ?? 'file', 'unexpected file field (send one file as "file")'));
        return next(ValidationError.field(err.field ?? 'file', err.message));
      }
      next(err instanceof Error && /multipart/i.test(err.message) ? new ValidationError(`The upload is not a valid multipart form: ${err.message}`) : err);
    });
  };
}
