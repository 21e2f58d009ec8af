import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import PinoPretty from 'pino-pretty';

/**
 * Where the logs go and in what form: JSON lines when the output is piped or collected (a service
 * manager, a container, a file), short readable lines on an interactive terminal. `LOG_FORMAT`
 * forces one or the other.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): 'json' | 'pretty' {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTTY ? 'pretty' : 'json';
}

const options: LoggerOptions = {
  // The level comes from LOG_LEVEL (read directly: the logger exists before config).
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  redact: ['req.headers.cookie', 'req.headers.authorization', 'password'],
};

/** One line per event on a terminal: time, level, message; a request's id and fields stay in the JSON form. */
function prettyStream(): DestinationStream {
  return PinoPretty({
    colorize: true,
    singleLine: true,
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname,req,res,responseTime,reqId',
    sync: true,
  });
}

export const logger = logFormat() === 'pretty' ? pino(options, prettyStream()) : pino(options);
