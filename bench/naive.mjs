// The reference a user would write in ten minutes: read everything, split lines, a regex, JSON.stringify.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split(/\r?\n/);
const header = /^By (.+?) \| (\d{4}-\d{2}-\d{2}) \| ([\d,]+)位读者 \| 引用(.*)$/;
const out = [];
let post = null;
for (let i = 0; i < lines.length; i++) {
  const m = header.exec(lines[i]);
  if (m) {
    if (post) {
      post.excerpt.pop(); // that line was this post's title
      out.push(post);
    }
    post = {
      title: lines[i - 1],
      author: m[1],
      date: m[2],
      readers: Number(m[3].replaceAll(',', '')),
      excerpt: [m[4]],
      url: null,
      id: null,
      source: file,
      line: i + 1,
    };
  } else if (post && lines[i] !== '') {
    post.excerpt.push(lines[i]);
  }
}
if (post) out.push(post);
const last = out.at(-1);
if (last) last.excerpt.splice(last.excerpt.indexOf('最近评论'));
process.stdout.write(`${out.map((p) => JSON.stringify({ ...p, excerpt: p.excerpt.join('\n') })).join('\n')}\n`);
