/** One Dockerfile instruction: its keyword, its arguments (continuations joined) and its build stage. */
export interface Instruction {
  keyword: string;
  args: string;
  stage: number;
  line: number;
}

/** Parses a Dockerfile into instructions (comments dropped, `\` continuations joined, stages numbered). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  let start = 0;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (!pending) start = i + 1;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) return;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(pending);
    pending = '';
    if (!m?.[1]) return;
    const keyword = m[1].toUpperCase();
    if (keyword === 'FROM') stage++;
    out.push({ keyword, args: (m[2] ?? '').trim(), stage, line: start });
  });
  return out;
}
