// The parser a user would write in ten minutes: the file's lines as they come (readline, Node's way
// to read a large file), one regex, JSON.stringify per post. Reading the whole file and splitting it,
// as this script once did, holds 1.5 GB for the 228 MB dump.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const path = process.argv[2];
const header = /^By (.+?) \| (\d{4}-\d{2}-\d{2}) \| ([\d,]+)位读者 \| 引用(.*)$/;
const emit = (post) => process.stdout.write(`${JSON.stringify({ ...post, excerpt: post.excerpt.join('\n') })}\n`);
let post = null;
let last = null; // the last non-blank line: the next post's title, or this post's text
let number = 0;
for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
  number++;
  const m = header.exec(line);
  if (m) {
    if (post) emit(post);
    post = {
      title: last,
      author: m[1],
      date: m[2],
      readers: Number(m[3].replaceAll(',', '')),
      excerpt: [m[4]],
      url: null,
      id: null,
      source: path,
      line: number,
    };
    last = null;
  } else if (line === '最近评论') {
    break; // the sidebar: the end of the posts
  } else if (line !== '') {
    if (post && last !== null) post.excerpt.push(last);
    last = line;
  }
}
if (post) {
  if (last !== null) post.excerpt.push(last);
  emit(post);
}
