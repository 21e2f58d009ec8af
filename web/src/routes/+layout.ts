// A pure single-page app: the Express server serves the built files and the API.
export const ssr = false;
export const prerender = false;
