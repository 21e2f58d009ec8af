// What the two profilers (bench/profile.ts: create + confirm and invoice + post in a web process;
// bench/profile-import.ts: an import in a worker) share: the CPU profile's shape, how a frame is named
// and packaged, and a statement with its values taken out.

export type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

/** A statement with its values taken out: what is run, not with which ids. */
export function sqlShape(sql: string, width = 160): string {
  return sql
    .replace(/^Execut(?:ed|ing) \([^)]*\):\s*/, '')
    .replace(/'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\((\?,\s*)+\?\)/g, '(…)')
    .replace(/(\(…\),\s*)+\(…\)/g, '(…)')
    .replace(/\s+/g, ' ')
    .slice(0, width);
}

/** A frame's file (relative to the repository), its function's name with file and line, and its package (an npm package, node, or our top folder). */
export function frameOf(f: ProfileNode['callFrame']): { file: string; name: string; pkg: string } {
  const file = f.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
  const name = `${f.functionName || '(anonymous)'} ${file ? `${file.split('node_modules/').pop()}:${f.lineNumber + 1}` : ''}`.trim();
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ??
    (file ? (file.startsWith('node:') ? 'node' : file.split('/').slice(0, 2).join('/')) : f.functionName);
  return { file, name, pkg };
}
