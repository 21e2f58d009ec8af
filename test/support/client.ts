export type Res<T = any> = { status: number; body: T; headers: Headers };

/** A small HTTP client that keeps the session cookie and the CSRF token, like the console does. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;
  user: { id: number; email: string; name: string; role: string } | undefined;

  constructor(readonly baseUrl: string) {}

  async login(email: string, password: string): Promise<this> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed (${res.status}): ${JSON.stringify(res.body)}`);
    return this;
  }

  withToken(token: string): ApiClient {
    const c = new ApiClient(this.baseUrl);
    c.bearer = token;
    return c;
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** A GET of a file, its bytes as they came. */
  async download(path: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(`${this.baseUrl}${path}`, { headers });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  /** A multipart/form-data POST (fields plus files), as a browser form sends it. */
  upload<T = any>(path: string, fields: Record<string, string | number>, files: { field?: string; name: string; data: Buffer | string; type?: string }[]) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    for (const f of files) form.append(f.field ?? 'file', new Blob([f.data], { type: f.type ?? 'application/octet-stream' }), f.name);
    return this.request<T>('POST', path, form);
  }

  async request<T>(method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}): Promise<Res<T>> {
    const headers: Record<string, string> = {};
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = this.csrfToken;
    const payload = body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body);
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair?.startsWith('cc_session=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (path === '/api/auth/login' && res.status === 200) {
      this.csrfToken = parsed.csrfToken;
      this.user = parsed.user;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
