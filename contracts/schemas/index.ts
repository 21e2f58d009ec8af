export * from './common';
export * from './auth';
export * from './partners';
export * from './catalog';
export * from './sales';
export * from './company';
export * from './jobs';
export * from './chatter';
